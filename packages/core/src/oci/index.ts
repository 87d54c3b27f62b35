/**
 * The OCI distribution client shared by the actions that talk to registries: image references,
 * credentials (inputs, Docker config, credential helpers), and RegistryClient (blobs, manifests,
 * referrers; anonymous, basic and bearer auth; retries).
 */
export { DOCKER_HUB, apiHost, formatRef, isLoopback, isValidTag, parseRef, repoName, type ImageRef } from './ref.js';
export { authKeys, basicHeader, dockerConfigPath, dockerCredentials, parseChallenge, type Challenge, type Credentials } from './auth.js';
export {
  MANIFEST_ACCEPT,
  MEDIA,
  RegistryClient,
  RegistryError,
  sha256,
  type BlobResult,
  type ClientOptions,
  type ClientStats,
  type Descriptor,
} from './client.js';
