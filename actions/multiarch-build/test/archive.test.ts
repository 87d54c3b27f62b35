import { unzipSync } from 'fflate';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveFiles, dosTime, tarGz, tarGzAsync, zipBytes, zipBytesAsync, type Entry } from '../src/archive.js';
import { readTarGz } from './archive-read.js';

describe('deterministic archives', () => {
  const mtime = new Date('2026-01-01T12:34:56Z');
  const entries: Entry[] = [
    { name: 'README.md', data: Buffer.from('# hi\n'), executable: false },
    { name: 'hello', data: Buffer.from('\x7fELF...'), executable: true },
    { name: 'LICENSE', data: Buffer.from('MIT\n'), executable: false },
  ];
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  it('tar.gz: sorted entries, fixed modes and owners, commit mtime, gzip mtime 0 and OS 3', async () => {
    const gz = tarGz(entries, mtime);
    expect([...gz.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(gz.readUInt32LE(4)).toBe(0);
    expect(gz[9]).toBe(3);
    const hs = await readTarGz(gz);
    expect(hs.map((h) => [h.name, h.mode, h.uid, h.gid, h.uname, h.gname, h.mtime])).toEqual([
      ['LICENSE', 0o644, 0, 0, '', '', '2026-01-01T12:34:56.000Z'],
      ['README.md', 0o644, 0, 0, '', '', '2026-01-01T12:34:56.000Z'],
      ['hello', 0o755, 0, 0, '', '', '2026-01-01T12:34:56.000Z'],
    ]);
    expect(tarGz([...entries].reverse(), mtime).equals(gz)).toBe(true);
  });

  it('zip: the same bytes in any time zone, Unix modes, sorted', () => {
    process.env.TZ = 'UTC';
    const a = zipBytes(entries, mtime);
    process.env.TZ = 'Asia/Kolkata';
    const b = zipBytes([...entries].reverse(), mtime);
    expect(b.equals(a)).toBe(true);
    expect(Object.keys(unzipSync(a))).toEqual(['LICENSE', 'README.md', 'hello']);
    // central directory: external attributes of "hello" carry 0100755
    const cd = a.lastIndexOf(Buffer.from('PK\x01\x02'));
    expect(a.readUInt32LE(cd + 38) >>> 16).toBe(0o100755);
    expect(dosTime(mtime).getHours()).toBe(12);
  });

  it('compressed in worker threads, several at once: the same bytes as on the main thread', async () => {
    // big enough that deflate works in blocks, varied enough that it has choices to make
    const big = Buffer.alloc(3 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24 > 200 ? i & 0xff : 0x41;
    const sets = [entries, [...entries, { name: 'big.bin', data: big, executable: true }]];
    const [gzs, zips] = await Promise.all([
      Promise.all(sets.map((e) => tarGzAsync(e, mtime))),
      Promise.all(sets.map((e) => zipBytesAsync(e, mtime))),
    ]);
    sets.forEach((e, i) => {
      expect(gzs[i]!.equals(tarGz(e, mtime)), `tar.gz ${i}`).toBe(true);
      expect(zips[i]!.equals(zipBytes(e, mtime)), `zip ${i}`).toBe(true);
    });
  });

  it('refuses two entries with one name', () => {
    expect(() => tarGz([entries[0]!, entries[0]!], mtime)).toThrow(/Two files would be stored as README.md/);
  });

  it("collects archive-files with core's glob engine: best effort, symlinks out skipped, escapes refused", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'goship-files-'));
    const mod = path.join(root, 'mod');
    await mkdir(path.join(mod, 'docs'), { recursive: true });
    await mkdir(path.join(root, 'out'));
    await writeFile(path.join(root, 'out', 'secret'), 'x');
    for (const f of ['LICENSE', 'LICENSE.md', 'README.md', 'docs/README.md', 'docs/guide.md']) await writeFile(path.join(mod, f), f);
    await symlink(path.join(root, 'out', 'secret'), path.join(mod, 'LICENSE-link'));
    const prev = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = mod;
    try {
      const warnings: string[] = [];
      const found = await archiveFiles(mod, ['LICENSE*', 'README*', 'CHANGELOG*', 'docs/*.md'], (w) => warnings.push(w));
      // names are base names unless two share one; then the path relative to the module
      expect(found.map((f) => f.name)).toEqual(['LICENSE', 'LICENSE.md', 'README.md', 'docs/README.md', 'guide.md']);
      expect(warnings.join('\n')).toMatch(/^archive-files: LICENSE-link is a symlink to .*outside the workspace: skipped\.$/);
      for (const bad of ['../out/*', '/etc/passwd', 'docs/../../out/secret']) {
        await expect(
          archiveFiles(mod, [bad], () => undefined),
          bad,
        ).rejects.toThrow(/Input "archive-files"/);
      }
    } finally {
      process.env.GITHUB_WORKSPACE = prev;
    }
  });
});
