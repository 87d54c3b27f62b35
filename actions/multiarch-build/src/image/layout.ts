/**
 * `image-output: oci-layout`: an OCI image layout folder (https://github.com/opencontainers/image-spec/blob/main/image-layout.md):
 * `oci-layout`, `index.json` naming the image index by its first tag, and every blob under `blobs/sha256/`.
 * Written afresh inside `dist` (symlinks in its place replaced, never followed).
 */
import path from 'node:path';
import { type Descriptor, MEDIA } from '@goship/core/oci';
import { realDir, replaceFile } from '../dist.js';

export async function writeLayout(
  dir: string,
  index: Descriptor,
  tags: readonly string[],
  blobs: Iterable<{ digest: string; data: () => Promise<Uint8Array> }>,
  imageName: string,
): Promise<number> {
  const blobDir = path.join(dir, 'blobs', 'sha256');
  await realDir(blobDir, path.dirname(dir));
  const written = new Set<string>();
  for (const b of blobs) {
    if (written.has(b.digest)) continue;
    await replaceFile(path.join(blobDir, b.digest.slice('sha256:'.length)), await b.data());
    written.add(b.digest);
  }
  await replaceFile(path.join(dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
  // One entry, named by the first tag (the version): tools read a layout with one image without
  // being told which (`crane push DIR REF`, `skopeo copy oci:DIR …`).
  const manifests = [
    {
      mediaType: MEDIA.ociIndex,
      digest: index.digest,
      size: index.size,
      annotations: { 'io.containerd.image.name': `${imageName}:${tags[0]}`, 'org.opencontainers.image.ref.name': tags[0] },
    },
  ];
  await replaceFile(path.join(dir, 'index.json'), `${JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests })}\n`);
  return written.size;
}
