/**
 * The "Install" section of the release notes: the commands for each way the release can be
 * installed — the Linux packages on it (apt, dnf, apk), the Homebrew tap and the Scoop bucket it
 * updates. A separate function so the notes (notes.ts) can place it; empty when there is nothing
 * but archives.
 */
import type { Manifest } from '@goship/core/manifest';
import { downloadUrl } from './manifests.js';
import type { TapInputs } from './index.js';

const TOOL: Record<string, (file: string, url: string) => string> = {
  deb: (file, url) => `curl -fsSLO ${url}\nsudo apt install ./${file}`,
  rpm: (_file, url) => `sudo dnf install ${url}`,
  // goship does not sign apks with an apk key: the checksums file's signature covers them.
  apk: (file, url) => `curl -fsSLO ${url}\nsudo apk add --allow-untrusted ./${file}`,
};

const LABEL: Record<string, string> = { deb: 'Debian and Ubuntu', rpm: 'Fedora, RHEL and openSUSE', apk: 'Alpine' };

export function installSection(m: Manifest, o: Pick<TapInputs, 'homebrew' | 'scoop'> & { repoUrl: string }): string {
  const blocks: string[] = [];
  const host = new URL(o.repoUrl).origin;
  const tag = m.tag || `v${m.version}`;
  const packages = m.artifacts.filter((a) => a.kind === 'package' && a.os === 'linux');
  for (const format of ['deb', 'rpm', 'apk']) {
    const of = packages.filter((a) => a.format === format).sort((a, b) => (a.name < b.name ? -1 : 1));
    const example = of.find((a) => a.arch === 'amd64') ?? of[0];
    if (!example) continue;
    const archs = of.map((a) => (typeof a.packageArch === 'string' ? a.packageArch : (a.arch ?? ''))).join(', ');
    blocks.push(
      `${LABEL[format]} (${archs}):\n\n\`\`\`sh\n${TOOL[format]!(example.name, downloadUrl(o.repoUrl, tag, example.name))}\n\`\`\``,
    );
  }
  if (o.homebrew) {
    const tap = `${o.homebrew.owner}/${o.homebrew.repo.replace(/^homebrew-/, '')}`;
    const tapArg = o.homebrew.repo.startsWith('homebrew-') ? '' : ` ${host}/${o.homebrew.owner}/${o.homebrew.repo}`;
    blocks.push(
      `Homebrew (macOS and Linux):\n\n\`\`\`sh\nbrew tap ${tap}${tapArg}\nbrew install ${o.homebrew.formula ? '' : '--cask '}${tap}/${m.project}\n\`\`\``,
    );
  }
  if (o.scoop) {
    blocks.push(
      `Scoop (Windows):\n\n\`\`\`sh\nscoop bucket add ${o.scoop.repo} ${host}/${o.scoop.owner}/${o.scoop.repo}\nscoop install ${o.scoop.repo}/${m.project}\n\`\`\``,
    );
  }
  if (!blocks.length) return '';
  return `### Install\n\n${blocks.join('\n\n')}\n`;
}
