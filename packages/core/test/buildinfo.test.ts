import { describe, expect, it } from 'vitest';
import { buildInfoSection, parseBuildInfo, parseModInfo, quotedPrefix } from '../src/buildinfo.js';

/** A binary's bytes around a build info blob as Go lays it out: the 32-byte header, then the inline strings. */
function blob(version: string, mod: string, opts: { flags?: number; at?: number } = {}): Buffer {
  const sentinel = Buffer.alloc(16, 0x30);
  const modBytes = mod ? Buffer.concat([sentinel, Buffer.from(mod), sentinel]) : Buffer.alloc(0);
  const str = (b: Buffer): Buffer => Buffer.concat([uvarint(b.length), b]);
  const header = Buffer.alloc(32);
  header.write('\xff Go buildinf:', 0, 'latin1');
  header[14] = 8;
  header[15] = opts.flags ?? 2;
  const at = opts.at ?? 64;
  return Buffer.concat([Buffer.alloc(at, 0x90), header, str(Buffer.from(version)), str(modBytes), Buffer.alloc(40)]);
}

function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

const MOD =
  'path\texample.com/x/cmd/x\nmod\texample.com/x\t(devel)\t\ndep\ta.b/c\tv1.0.0\th1:abc=\n=>\t../c\t(devel)\t\nbuild\t-ldflags="-s -w -X \\"main.v=1 2\\""\nbuild\tGOOS=linux\n';

describe('build info reader', () => {
  it('reads the inline strings after an aligned header, and the module info between its sentinels', () => {
    expect(parseBuildInfo(blob('go1.26.8', MOD))).toEqual({
      GoVersion: 'go1.26.8',
      Path: 'example.com/x/cmd/x',
      Main: { Path: 'example.com/x', Version: '(devel)' },
      Deps: [{ Path: 'a.b/c', Version: 'v1.0.0', Sum: 'h1:abc=', Replace: { Path: '../c', Version: '(devel)' } }],
      Settings: [
        { Key: '-ldflags', Value: '-s -w -X "main.v=1 2"' },
        { Key: 'GOOS', Value: 'linux' },
      ],
    });
  });
  it('skips a magic that is not 16-byte aligned (a string constant), and refuses the pre-1.18 pointer format', () => {
    const fake = Buffer.concat([Buffer.from('xx\xff Go buildinf:', 'latin1'), Buffer.alloc(64)]);
    expect(parseBuildInfo(Buffer.concat([fake, blob('go1.22.0', MOD, { at: 48 })]))?.GoVersion).toBe('go1.22.0');
    expect(parseBuildInfo(blob('go1.17', MOD, { flags: 0 }))).toBeUndefined();
    expect(parseBuildInfo(Buffer.from('no build info here'))).toBeUndefined();
    // a length past the end of the file
    expect(parseBuildInfo(blob('go1.26.8', MOD).subarray(0, 64 + 32 + 3))).toBeUndefined();
  });
  it('reads from the section a binary names, before a scan that an aligned string constant would mislead', () => {
    // a PE file: MZ, e_lfanew → PE\0\0, no optional header, one .data section at file offset 0x200;
    // an aligned copy of the magic earlier in the file (a program that reads build info has one)
    const pe = Buffer.alloc(0x200);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x40, 0x3c);
    pe.writeUInt32LE(0x00004550, 0x40);
    pe.writeUInt16LE(1, 0x46); // NumberOfSections
    pe.writeUInt16LE(0, 0x54); // SizeOfOptionalHeader
    pe.write('.data', 0x58, 'latin1');
    pe.writeUInt32LE(0x200, 0x58 + 20); // PointerToRawData
    pe.write('\xff Go buildinf:', 0x100, 'latin1');
    pe[0x100 + 15] = 0; // the constant's "flags": not inline, unreadable
    const file = Buffer.concat([pe, blob('go1.26.8', MOD)]);
    expect(buildInfoSection(file)).toBe(0x200);
    expect(parseBuildInfo(file)?.GoVersion).toBe('go1.26.8');
    // headers that point outside the file: the whole file is scanned, as before
    const lost = Buffer.from(file);
    lost.writeUInt32LE(0x7fffff00, 0x58 + 20);
    expect(buildInfoSection(lost)).toBeUndefined();
    const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01', 'latin1'), Buffer.alloc(58, 0xff), blob('go1.26.8', MOD, { at: 16 })]);
    expect(buildInfoSection(elf)).toBeUndefined();
    // a Mach-O segment command claiming 2^32 - 1 sections in 72 bytes: none is read, nothing hangs
    const macho = Buffer.alloc(256);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(1, 16); // ncmds
    macho.writeUInt32LE(0x19, 32); // LC_SEGMENT_64
    macho.writeUInt32LE(72, 36); // cmdsize: no room for a section
    macho.writeUInt32LE(0xffffffff, 32 + 64); // nsects
    expect(buildInfoSection(macho)).toBeUndefined();
    expect(parseBuildInfo(elf)?.GoVersion).toBe('go1.26.8');
  });
  it('has no module info without the sentinels, and refuses lines it does not know', () => {
    expect(parseBuildInfo(blob('go1.26.8', ''))).toEqual({ GoVersion: 'go1.26.8', Main: {} });
    expect(parseModInfo('go1', 'weird\tline\n')).toBeUndefined();
    expect(parseModInfo('go1', '=>\tx\tv1\n')).toBeUndefined(); // a replacement of nothing
    expect(parseModInfo('go1', 'build\t=x\n')).toBeUndefined();
    expect(parseModInfo('go1', 'build\t"k=v\n')).toBeUndefined();
  });
  it("unquotes as Go's strconv does: escapes, raw strings, quoted keys", () => {
    expect(quotedPrefix('"a\\tb\\n\\\\\\"\\x41\\101\\u00fc\\U0001F600"=rest')).toEqual({ length: 36, value: 'a\tb\n\\"AAü😀' });
    expect(quotedPrefix('`raw \\n`x')).toEqual({ length: 8, value: 'raw \\n' });
    expect(quotedPrefix('"\\xc3\\xbc"')?.value).toBe('ü');
    expect(quotedPrefix('"open')).toBeUndefined();
    expect(quotedPrefix('"\\q"')).toBeUndefined();
    expect(parseModInfo('go1', 'build\t"odd key"="v w"\n')?.Settings).toEqual([{ Key: 'odd key', Value: 'v w' }]);
  });
});
