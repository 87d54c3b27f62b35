/**
 * `image-output: oci-layout`: an OCI image layout folder (https://github.com/opencontainers/image-spec/blob/main/image-layout.md):
 * `oci-layout`, `index.json` naming the image index by its first tag, and every blob under `blobs/sha256/`.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Descriptor, MEDIA } from '@goship/core/oci';

export async function writeLayout(
  dir: string,
  index: Descriptor,
  tags: readonly string[],
  blobs: Iterable<{ digest: string; data: () => Promise<Uint8Array> }>,
  imageName: string,
): Promise<number> {
  const blobDir = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  let written = 0;
  for (const b of blobs) {
    const file = path.join(blobDir, b.digest.slice('sha256:'.length));
    const have = await stat(file).catch(() => undefined);
    if (have?.isFile()) continue;
    await writeFile(file, await b.data());
    written++;
  }
  await writeFile(path.join(dir, 'oci-layout'), `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`);
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
  await writeFile(path.join(dir, 'index.json'), `${JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests })}\n`);
  return written;
}
