/**
 * The build info a Go binary carries (what `go version -m -json` prints), read from its bytes in
 * this process instead of by a `go` process per binary. The format is the one Go's
 * debug/buildinfo reads: a 32-byte header starting with the magic `\xff Go buildinf:` at a 16-byte
 * aligned offset of the data section, then (flag 2, every Go since 1.18) the Go version and the
 * module info inline as varint-prefixed strings; the module info is the text of
 * runtime/debug.BuildInfo.String() (path, mod, dep, `=>` and build lines) between two 16-byte
 * sentinels. The result has the shape of `go version -m -json` (fields that Go leaves empty are
 * left out the same way), which a test checks on real binaries of every platform.
 *
 * A binary in an older format (pointers instead of inline strings) or one this does not recognise
 * gives undefined: the caller asks the go command then.
 */
import type { BuildInfo } from './go.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const ALIGN = 16;
const FLAG_INLINE = 2;

type Module = BuildInfo['Main'] & { Replace?: BuildInfo['Main'] };

/** The build info in a binary's bytes, or undefined when it has none this can read. */
export function parseBuildInfo(bytes: Uint8Array): BuildInfo | undefined {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = headerAt(data);
  if (at === undefined) return undefined;
  const flags = data[at + 15]!;
  if ((flags & FLAG_INLINE) === 0) return undefined;
  const version = readString(data, at + HEADER);
  if (!version) return undefined;
  const mod = readString(data, version.next);
  if (!mod) return undefined;
  let text = mod.value;
  // the module info sits between 16-byte sentinels; without them there is none
  text = text.length >= 33 && text[text.length - 17] === 0x0a ? text.subarray(16, text.length - 16) : Buffer.alloc(0);
  return parseModInfo(version.value.toString('utf8'), text.toString('utf8'));
}

/**
 * Where the header is: in the section Go's linker writes it to when the binary says where that is
 * (debug/buildinfo reads there too, its first 64 KiB), else the first aligned magic in the whole
 * file. The section is found from the headers in a few microseconds, where the scan reads the
 * text and read-only data before it (most of a 15 MB binary, ~3 ms); it also cannot be misled
 * by the magic as a string constant of a program that reads build info itself.
 */
function headerAt(data: Buffer): number | undefined {
  const start = buildInfoSection(data);
  if (start !== undefined) {
    const found = alignedMagic(data, start, Math.min(data.length, start + SEARCH));
    if (found !== undefined) return found;
  }
  return alignedMagic(data, 0, data.length);
}

/** The first occurrence of the magic at a 16-byte aligned offset in [from, end) with a whole header after it. */
function alignedMagic(data: Buffer, from: number, end: number): number | undefined {
  for (;;) {
    const i = data.indexOf(MAGIC, from);
    if (i < 0 || i >= end || data.length - i < HEADER) return undefined;
    if (i % ALIGN === 0) return i;
    from = i + 1;
  }
}

/** How far into its section debug/buildinfo looks for the header. */
const SEARCH = 64 * 1024;

/**
 * The file offset of the section holding the build info, from the binary's own headers: ELF's
 * `.go.buildinfo`, Mach-O's `__go_buildinfo` (64-bit), PE's `.data`. Undefined for another
 * format, a header this does not follow, or offsets outside the file: the caller scans then.
 */
export function buildInfoSection(data: Buffer): number | undefined {
  const inFile = (n: number): number | undefined => (Number.isSafeInteger(n) && n >= 0 && n < data.length ? n : undefined);
  try {
    if (data.length >= 64 && data.readUInt32BE(0) === 0x7f454c46) {
      // ELF: class (1 = 32-bit, 2 = 64-bit) and byte order (1 = little, 2 = big) from e_ident
      const wide = data[4] === 2;
      const le = data[5] === 1;
      const u16 = (at: number): number => (le ? data.readUInt16LE(at) : data.readUInt16BE(at));
      const u32 = (at: number): number => (le ? data.readUInt32LE(at) : data.readUInt32BE(at));
      const word = (at: number): number => (wide ? Number(le ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at)) : u32(at));
      const shoff = word(wide ? 0x28 : 0x20);
      const shentsize = u16(wide ? 0x3a : 0x2e);
      const shnum = u16(wide ? 0x3c : 0x30);
      const shstrndx = u16(wide ? 0x3e : 0x32);
      const section = (i: number) => {
        const at = shoff + i * shentsize;
        return { name: u32(at), offset: word(at + (wide ? 0x18 : 0x10)) };
      };
      if (shstrndx >= shnum) return undefined;
      const names = section(shstrndx).offset;
      for (let i = 0; i < shnum; i++) {
        const sec = section(i);
        const at = names + sec.name;
        if (data.toString('latin1', at, at + 14) === '.go.buildinfo\0') return inFile(sec.offset);
      }
      return undefined;
    }
    if (data.length >= 32 && data.readUInt32LE(0) === 0xfeedfacf) {
      // Mach-O 64-bit (Go's darwin and ios binaries): LC_SEGMENT_64 commands and their sections
      const ncmds = data.readUInt32LE(16);
      for (let i = 0, at = 32; i < ncmds; i++) {
        const cmd = data.readUInt32LE(at);
        const size = data.readUInt32LE(at + 4);
        if (cmd === 0x19) {
          // only the sections that fit in the command: a count from a damaged header cannot run on
          const nsects = Math.min(data.readUInt32LE(at + 64), Math.floor((size - 72) / 80));
          for (let j = 0; j < nsects; j++) {
            const sec = at + 72 + j * 80;
            if (data.toString('latin1', sec, sec + 16).replace(/\0+$/, '') === '__go_buildinfo') return inFile(data.readUInt32LE(sec + 48));
          }
        }
        if (size < 8) return undefined;
        at += size;
      }
      return undefined;
    }
    if (data.length >= 64 && data.readUInt16LE(0) === 0x5a4d) {
      // PE: the section table after the COFF header and the optional header; Go writes the build info first in .data
      const pe = data.readUInt32LE(0x3c);
      if (data.readUInt32LE(pe) !== 0x00004550) return undefined;
      const nsects = data.readUInt16LE(pe + 6);
      const table = pe + 24 + data.readUInt16LE(pe + 20);
      for (let i = 0; i < nsects; i++) {
        const sec = table + i * 40;
        if (data.toString('latin1', sec, sec + 8) === '.data\0\0\0') return inFile(data.readUInt32LE(sec + 20));
      }
    }
    return undefined;
  } catch {
    return undefined; // a header pointing past the end (RangeError): scan instead
  }
}

/** A uvarint length, then that many bytes. */
function readString(data: Buffer, at: number): { value: Buffer; next: number } | undefined {
  let n = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    if (i >= data.length || shift > 28) return undefined;
    const b = data[i++]!;
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
  }
  if (i + n > data.length) return undefined;
  return { value: data.subarray(i, i + n), next: i + n };
}

/** runtime/debug.ParseBuildInfo's reading of the module info, into `go version -m -json`'s shape. */
export function parseModInfo(goVersion: string, text: string): BuildInfo | undefined {
  // go's JSON leaves out every empty field but Main itself
  const info = { GoVersion: goVersion, Main: {} } as BuildInfo;
  const deps: Module[] = [];
  const settings: { Key: string; Value: string }[] = [];
  let last: Module | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0) return undefined;
    const [word, rest] = [line.slice(0, tab), line.slice(tab + 1)];
    switch (word) {
      case 'go':
        break; // debug.BuildInfo.String() writes it; the binary's header has it
      case 'path':
        if (rest) info.Path = rest;
        else delete (info as Partial<BuildInfo>).Path;
        break;
      case 'mod': {
        const m = moduleOf(rest);
        if (!m) return undefined;
        info.Main = m;
        last = info.Main;
        break;
      }
      case 'dep': {
        const m = moduleOf(rest);
        if (!m) return undefined;
        deps.push(m);
        last = m;
        break;
      }
      case '=>': {
        const m = moduleOf(rest);
        if (!m || !last) return undefined;
        last.Replace = m;
        last = undefined;
        break;
      }
      case 'build': {
        const s = settingOf(rest);
        if (!s) return undefined;
        settings.push(s);
        break;
      }
      default:
        return undefined;
    }
  }
  if (deps.length) info.Deps = deps;
  if (settings.length) info.Settings = settings;
  return info;
}

function moduleOf(s: string): Module | undefined {
  const f = s.split('\t');
  if (f.length !== 2 && f.length !== 3) return undefined;
  const m = {} as Module;
  if (f[0]) m.Path = f[0];
  if (f[1]) m.Version = f[1];
  if (f[2]) m.Sum = f[2];
  return m;
}

function settingOf(kv: string): { Key: string; Value: string } | undefined {
  if (!kv || kv[0] === '=') return undefined;
  let key: string;
  let raw: string;
  if (kv[0] === '"' || kv[0] === '`') {
    const q = quotedPrefix(kv);
    if (q === undefined || kv[q.length] !== '=') return undefined;
    key = q.value;
    raw = kv.slice(q.length + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq < 0) return undefined;
    key = kv.slice(0, eq);
    raw = kv.slice(eq + 1);
  }
  let value = raw;
  if (raw[0] === '"' || raw[0] === '`') {
    const q = quotedPrefix(raw);
    if (q === undefined || q.length !== raw.length) return undefined;
    value = q.value;
  }
  return { Key: key, Value: value };
}

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/**
 * Go's strconv.QuotedPrefix and Unquote for a string literal at the start of `s`: a raw `…`
 * string, or a "…" one with Go's escapes (\a \b \f \n \r \t \v \\ \" \' \xNN \NNN \uNNNN
 * \UNNNNNNNN; \x and octal are bytes, decoded as UTF-8 with the rest). Its length in `s` and its value.
 */
export function quotedPrefix(s: string): { length: number; value: string } | undefined {
  if (s[0] === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? undefined : { length: end + 1, value: s.slice(1, end).replace(/\r/g, '') };
  }
  if (s[0] !== '"') return undefined;
  const bytes: number[] = [];
  const text = (t: string): void => void bytes.push(...Buffer.from(t, 'utf8'));
  for (let i = 1; i < s.length;) {
    const c = s[i]!;
    if (c === '"') return { length: i + 1, value: Buffer.from(bytes).toString('utf8') };
    if (c === '\n') return undefined;
    if (c !== '\\') {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      text(ch);
      i += ch.length;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return undefined;
    if (e in SIMPLE) {
      text(SIMPLE[e]!);
      i += 2;
    } else if (e === 'x') {
      const h = s.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      bytes.push(parseInt(h, 16));
      i += 4;
    } else if (e >= '0' && e <= '7') {
      const o = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined;
      bytes.push(parseInt(o, 8));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) return undefined;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return undefined;
      text(String.fromCodePoint(cp));
      i += 2 + n;
    } else {
      return undefined;
    }
  }
  return undefined;
}
