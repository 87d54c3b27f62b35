export { publishImage, type PublishOptions, type PublishResult, type ImageBinary, imagePlatforms } from './publish.js';
export { readImageInputs, expandTags, type ImageInputs } from './inputs.js';
export { parseRef, formatRef, repoName, type ImageRef } from '@goship/core/oci';
