/**
 * The one tar writer of multiarch-build, for release archives and image layers alike: ustar
 * headers, entries sorted by name, uid/gid 0, no user or group names, one mtime for every entry,
 * data padded to 512 bytes, two zero blocks at the end. Same entries, same bytes, on any machine.
 *
 * Two styles exist only so that nothing already released changes its digest: archives have always
 * ended a header's numbers with a space (the tar-stream library wrote them) and carried a name that
 * is not plain ASCII in a PAX `path` record; image layers have always ended numbers with NUL and
 * stored UTF-8 names as they are. Readers accept both.
 */
import { GoshipError } from '@goship/core/errors';

export interface TarEntry {
  /** Path inside the archive with forward slashes, no leading `/`. */
  name: string;
  /** Permission bits (e.g. 0o755). */
  mode: number;
  /** The file's bytes; undefined for a folder. */
  data?: Uint8Array;
}

export interface TarStyle {
  /** What ends a numeric header field: a space (`0000755 ` is `000755` + space + NUL) or NUL. */
  numbers: 'space' | 'nul';
  /** A name that is not plain ASCII: in a PAX `path` record, or as UTF-8 bytes in the ustar name. */
  unicode: 'pax' | 'utf8';
}

/** Release archives (`.tar.gz`): the bytes every archive released so far has. */
export const ARCHIVE_TAR: TarStyle = { numbers: 'space', unicode: 'pax' };
/** Image layers: the bytes (and so the diff_ids) every layer pushed so far has. */
export const LAYER_TAR: TarStyle = { numbers: 'nul', unicode: 'utf8' };

const BLOCK = 512;
const TYPE_FILE = '0';
const TYPE_DIR = '5';
const TYPE_PAX = 'x';
const PAX_NAME = 'PaxHeader';

interface Header {
  name: string;
  type: string;
  mode: number;
  size: number;
  mtime: number;
}

/** An octal number in a field of `width` bytes, ended as the style says. */
function octal(n: number, width: number, style: TarStyle): string {
  const digits = style.numbers === 'space' && width === 8 ? width - 2 : width - 1;
  const s = n.toString(8);
  if (s.length > digits) throw new GoshipError(`A tar header value ${n} does not fit in ${digits} octal digits.`);
  const body = s.padStart(digits, '0');
  return style.numbers === 'space' ? `${body} ` : `${body}\0`;
}

/** Sizes beyond 11 octal digits (8 GiB) use the base-256 form GNU tar and Go read. */
function writeSize(h: Buffer, size: number, style: TarStyle): void {
  if (size.toString(8).length <= 11) {
    h.write(octal(size, 12, style), 124, 'ascii');
    return;
  }
  h[124] = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    h[124 + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

/** name → ustar name and prefix; undefined when it cannot be stored there (too long, or not ASCII in the pax style). */
function ustarName(name: string, style: TarStyle): { name: string; prefix: string } | undefined {
  if (style.unicode === 'pax' && Buffer.byteLength(name) !== name.length) return undefined;
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(rest) <= 100) return Buffer.byteLength(prefix) <= 155 ? { name: rest, prefix } : undefined;
  }
  return undefined;
}

function encodeHeader(e: Header, names: { name: string; prefix: string }, style: TarStyle): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  h.write(names.name, 0, 100, 'utf8');
  h.write(octal(e.mode & 0o7777, 8, style), 100, 'ascii');
  h.write(octal(0, 8, style), 108, 'ascii');
  h.write(octal(0, 8, style), 116, 'ascii');
  writeSize(h, e.size, style);
  h.write(octal(e.mtime, 12, style), 136, 'ascii');
  h.write(e.type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(octal(0, 8, style), 329, 'ascii');
  h.write(octal(0, 8, style), 337, 'ascii');
  h.write(names.prefix, 345, 155, 'utf8');
  // the checksum is summed with its own field as eight spaces
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += h[i]!;
  const digits = sum.toString(8).padStart(6, '0');
  h.write(style.numbers === 'space' ? `${digits} \0` : `${digits}\0 `, 148, 'ascii');
  return h;
}

/** A PAX extended record `<len> path=<name>\n`, whose length counts its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const len = Buffer.byteLength(body);
  let digits = String(len).length;
  if (len + digits >= 10 ** digits) digits++;
  return Buffer.from(`${len + digits}${body}`, 'utf8');
}

function padding(size: number): Buffer[] {
  const pad = (BLOCK - (size % BLOCK)) % BLOCK;
  return pad ? [Buffer.alloc(pad)] : [];
}

function headerBlocks(e: Header, style: TarStyle): Buffer[] {
  const names = ustarName(e.name, style);
  if (names) return [encodeHeader(e, names, style)];
  // The real name goes in a PAX record; both headers are named PaxHeader, as tar-stream wrote them.
  const pax = paxRecord('path', e.name);
  const paxName = { name: PAX_NAME, prefix: '' };
  const placeholder = { name: e.type === TYPE_DIR ? `${PAX_NAME}/` : PAX_NAME, prefix: '' };
  return [
    encodeHeader({ ...e, type: TYPE_PAX, size: pax.length }, paxName, style),
    pax,
    ...padding(pax.length),
    encodeHeader(e, placeholder, style),
  ];
}

/** The tar archive of `entries`, sorted by name (folders with a trailing `/`), every mtime `mtimeSeconds`. */
export function tarBytes(entries: readonly TarEntry[], mtimeSeconds: number, style: TarStyle): Buffer {
  return Buffer.concat(tarParts(entries, mtimeSeconds, style));
}

/**
 * tarBytes as the parts it concatenates: headers, each entry's own data (not copied) and padding.
 * For the deflate workers, which put the parts side by side in their own memory.
 */
export function tarParts(entries: readonly TarEntry[], mtimeSeconds: number, style: TarStyle): Uint8Array[] {
  const headers = entries.map((e) => ({
    entry: e,
    name: e.data === undefined && !e.name.endsWith('/') ? `${e.name}/` : e.name,
  }));
  headers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Uint8Array[] = [];
  for (let i = 0; i < headers.length; i++) {
    const { entry, name } = headers[i]!;
    if (i > 0 && headers[i - 1]!.name === name) throw new GoshipError(`Two tar entries are named ${name}.`);
    const size = entry.data?.length ?? 0;
    out.push(
      ...headerBlocks({ name, type: entry.data === undefined ? TYPE_DIR : TYPE_FILE, mode: entry.mode, size, mtime: mtimeSeconds }, style),
    );
    if (entry.data) out.push(entry.data, ...padding(size));
  }
  out.push(Buffer.alloc(BLOCK * 2));
  return out;
}
