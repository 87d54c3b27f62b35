/** A recorded-shape `golang.org/toolchain/@v/list` with releases, pre-releases, other hosts and noise. */
export const TOOLCHAIN_LIST = [
  'v0.0.1-go1.23.0.linux-amd64',
  'v0.0.1-go1.23.4.linux-amd64',
  'v0.0.1-go1.23.12.linux-amd64',
  'v0.0.1-go1.24.0.linux-amd64',
  'v0.0.1-go1.24.6.linux-amd64',
  'v0.0.1-go1.24.13.linux-amd64',
  'v0.0.1-go1.25rc1.linux-amd64',
  'v0.0.1-go1.25.0.linux-amd64',
  'v0.0.1-go1.25.3.linux-amd64',
  'v0.0.1-go1.26rc2.linux-amd64',
  'v0.0.1-go1.25.9.darwin-arm64',
  'v0.0.1-go1.25.9.linux-arm64',
  'garbage',
].join('\n');
