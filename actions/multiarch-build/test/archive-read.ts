/** Reads archives back for assertions: tar.gz entries with headers, zip entries with attributes. */
import { unzipSync } from 'fflate';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface ReadEntry {
  name: string;
  mode: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  mtime: string;
  data: Buffer;
}

export async function readTarGz(gz: Buffer): Promise<ReadEntry[]> {
  const ex = tar.extract();
  const out: ReadEntry[] = [];
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({
          name: h.name,
          mode: h.mode ?? -1,
          uid: h.uid,
          gid: h.gid,
          uname: h.uname,
          gname: h.gname,
          mtime: h.mtime?.toISOString() ?? '',
          data: Buffer.concat(chunks),
        });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from(gunzipSync(gz)).pipe(ex);
  await done;
  return out;
}

/** Zip entries with the Unix mode from the central directory and the DOS time as written. */
export function readZip(buf: Buffer): ReadEntry[] {
  const files = unzipSync(buf);
  const out: ReadEntry[] = [];
  let off = buf.lastIndexOf(Buffer.from('PK\x05\x06'));
  const count = buf.readUInt16LE(off + 10);
  off = buf.readUInt32LE(off + 16);
  for (let i = 0; i < count; i++) {
    const time = buf.readUInt16LE(off + 12);
    const date = buf.readUInt16LE(off + 14);
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    const attrs = buf.readUInt32LE(off + 38);
    const name = buf.subarray(off + 46, off + 46 + nameLen).toString('utf8');
    const y = (date >> 9) + 1980;
    const mtime = `${y}-${String((date >> 5) & 15).padStart(2, '0')}-${String(date & 31).padStart(2, '0')}T${String(time >> 11).padStart(2, '0')}:${String((time >> 5) & 63).padStart(2, '0')}:${String((time & 31) * 2).padStart(2, '0')}`;
    out.push({ name, mode: (attrs >>> 16) & 0o7777, mtime, data: Buffer.from(files[name]!) });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
