/**
 * Streaming digests and checksum files in the format `sha256sum -c` reads
 * (`<hex>  <name>`, two spaces, one line a file, sorted by name).
 */
import { createHash } from 'node:crypto';
import { open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GoshipError } from './errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

/** The piece a file is hashed in: one buffer a file, reused for every read. */
const PIECE = 1 << 20;

/**
 * A file's digest and size, from one pass over its bytes. The file is read in 1 MiB pieces into one
 * buffer (a read stream allocates a 64 KiB buffer a piece; for a release's binaries that garbage
 * costs more CPU than the hash), and the size is what was hashed, not a separate `stat`.
 */
export async function digestFile(file: string, algorithm: DigestAlgorithm = 'sha256'): Promise<{ digest: string; size: number }> {
  const h = createHash(algorithm);
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(PIECE);
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, PIECE, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead)); // update copies into the hash state: the buffer is free again
      size += bytesRead;
    }
    return { digest: h.digest('hex'), size };
  } finally {
    await fh.close();
  }
}

export async function hashFile(file: string, algorithm: DigestAlgorithm = 'sha256'): Promise<string> {
  return (await digestFile(file, algorithm)).digest;
}

export function hashBytes(data: string | Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return createHash(algorithm).update(data).digest('hex');
}

export interface ChecksumLine {
  digest: string;
  name: string;
}

export function formatChecksums(lines: readonly ChecksumLine[]): string {
  const sorted = [...lines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((l) => `${l.digest}  ${l.name}\n`).join('');
}

/** Parses `sha256sum` output, text (`  `) or binary (` *`) mode. */
export function parseChecksums(text: string): ChecksumLine[] {
  const out: ChecksumLine[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const m = /^([0-9a-f]{64}|[0-9a-f]{128}) [ *](.+)$/.exec(line);
    if (!m) throw new GoshipError(`checksums line ${i + 1} is not "<hex digest>  <file name>": ${JSON.stringify(line)}`);
    out.push({ digest: m[1]!, name: m[2]! });
  }
  return out;
}

export async function writeChecksums(file: string, lines: readonly ChecksumLine[]): Promise<void> {
  await writeFile(file, formatChecksums(lines));
}

/** Verifies every line of a checksums file against the files beside it; returns the mismatches. */
export async function verifyChecksums(file: string): Promise<{ name: string; expected: string; actual: string | null }[]> {
  const lines = parseChecksums(await readFile(file, 'utf8'));
  const dir = path.dirname(file);
  const bad: { name: string; expected: string; actual: string | null }[] = [];
  for (const l of lines) {
    const alg: DigestAlgorithm = l.digest.length === 128 ? 'sha512' : 'sha256';
    let actual: string | null;
    try {
      actual = await hashFile(path.join(dir, l.name), alg);
    } catch {
      actual = null;
    }
    if (actual !== l.digest) bad.push({ name: l.name, expected: l.digest, actual });
  }
  return bad;
}
