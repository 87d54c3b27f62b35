/**
 * What an archive holds, read straight from its bytes so GoReleaser's archives and goship's are
 * listed by the same code: each entry's path, type, permission bits, size and content digest.
 * tar (plain or gzip: ustar, PAX and GNU long names) and zip (central directory; Unix modes from
 * the external attributes, deflate or stored).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync, inflateRawSync } from 'node:zlib';

export interface ArchiveEntry {
  /** Forward slashes, as stored. */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits as four octal digits, e.g. `0755`. */
  mode: string;
  size: number;
  /** sha256 of the content (files only). */
  sha256?: string;
  linkname?: string;
}

function octal(n: number): string {
  return (n & 0o7777).toString(8).padStart(4, '0');
}

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const nul = s.indexOf(0);
  return (nul === -1 ? s : s.subarray(0, nul)).toString('utf8');
}

function tarNumber(b: Buffer, start: number, len: number): number {
  const f = b.subarray(start, start + len);
  // GNU base-256 for values that do not fit in octal.
  if (f[0]! & 0x80) return f.subarray(1).reduce((n, byte) => n * 256 + byte, f[0]! & 0x7f);
  const s = cstr(b, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) break;
    const len = parseInt(data.subarray(i, sp).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

export function listTar(buf: Buffer): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (let off = 0; off + 512 <= buf.length;) {
    const h = buf.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    const size = tarNumber(h, 124, 12);
    const flag = String.fromCharCode(h[156]!);
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (flag === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (flag === 'g') continue;
    if (flag === 'L') {
      longName = cstr(data, 0, data.length);
      continue;
    }
    if (flag === 'K') {
      longLink = cstr(data, 0, data.length);
      continue;
    }
    const magic = cstr(h, 257, 6);
    const prefix = magic.startsWith('ustar') && h[263] === 0x30 ? cstr(h, 345, 155) : '';
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
    const linkname = pax.linkpath ?? longLink ?? cstr(h, 157, 100);
    const realSize = pax.size !== undefined ? Number(pax.size) : size;
    const type = flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'dir' : flag === '2' ? 'symlink' : 'other';
    const e: ArchiveEntry = { path: name, type, mode: octal(tarNumber(h, 100, 8)), size: type === 'file' ? realSize : 0 };
    if (type === 'file') e.sha256 = createHash('sha256').update(data).digest('hex');
    if (type === 'symlink') e.linkname = linkname;
    entries.push(e);
    pax = {};
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

export function listZip(buf: Buffer): ArchiveEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new Error('not a zip file: no end of central directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new Error('zip64 archives are not supported by this listing');
  const entries: ArchiveEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nlen = buf.readUInt16LE(p + 28);
    const elen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const attrs = buf.readUInt32LE(p + 38);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    p += 46 + nlen + elen + clen;
    const unixMode = madeBy === 3 ? attrs >>> 16 : 0;
    const fmt = unixMode & 0o170000;
    const type = fmt === 0o120000 ? 'symlink' : fmt === 0o040000 || name.endsWith('/') ? 'dir' : 'file';
    const e: ArchiveEntry = { path: name, type, mode: octal(unixMode), size: type === 'file' ? usize : 0 };
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : undefined;
    if (data === undefined) throw new Error(`${name}: zip method ${method} is not supported by this listing`);
    if (type === 'file') e.sha256 = createHash('sha256').update(data).digest('hex');
    if (type === 'symlink') e.linkname = data.toString('utf8');
    entries.push(e);
  }
  return entries;
}

/** Lists `.tar.gz`/`.tgz`, `.tar` or `.zip` by its name. */
export async function listArchive(file: string): Promise<ArchiveEntry[]> {
  const buf = await readFile(file);
  if (/\.(tar\.gz|tgz)$/.test(file)) return listTar(gunzipSync(buf));
  if (file.endsWith('.tar')) return listTar(buf);
  if (file.endsWith('.zip')) return listZip(buf);
  throw new Error(`${file}: not an archive this listing reads (tar.gz, tgz, tar, zip)`);
}
