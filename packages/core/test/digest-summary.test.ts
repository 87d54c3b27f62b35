import { execFileSync } from 'node:child_process';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestFile, formatChecksums, hashFile, parseChecksums, verifyChecksums, writeChecksums } from '../src/digest.js';
import { GoshipError, InputError } from '../src/errors.js';
import { Summary, SUMMARY_BUDGET_BYTES, escapeCell, formatBytes, rankFindings, table } from '../src/summary.js';

describe('checksums', () => {
  it('writes a file `sha256sum -c` accepts and detects tampering', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sums-'));
    await writeFile(path.join(dir, 'b.tar.gz'), 'bbb');
    await writeFile(path.join(dir, 'a.zip'), 'aaa');
    const lines = await Promise.all(['b.tar.gz', 'a.zip'].map(async (name) => ({ name, digest: await hashFile(path.join(dir, name)) })));
    const file = path.join(dir, 'checksums.txt');
    await writeChecksums(file, lines);
    expect(execFileSync('sha256sum', ['-c', 'checksums.txt'], { cwd: dir, encoding: 'utf8' })).toBe('a.zip: OK\nb.tar.gz: OK\n');
    expect(await verifyChecksums(file)).toEqual([]);
    await writeFile(path.join(dir, 'a.zip'), 'tampered');
    expect((await verifyChecksums(file)).map((b) => b.name)).toEqual(['a.zip']);
  });

  it('hashes a file in pieces as sha256sum and sha512sum do, around the piece size', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'digest-'));
    const piece = 1 << 20;
    for (const size of [0, 1, piece - 1, piece, piece + 1, 3 * piece + 7]) {
      const file = path.join(dir, `f${size}`);
      await writeFile(file, randomBytes(size));
      for (const [alg, tool] of [
        ['sha256', 'sha256sum'],
        ['sha512', 'sha512sum'],
      ] as const) {
        const want = execFileSync(tool, [file], { encoding: 'utf8' }).split(' ')[0];
        expect(await digestFile(file, alg), `${alg} of ${size} bytes`).toEqual({ digest: want, size: (await stat(file)).size });
      }
    }
  });

  it('round-trips sha512 and binary-mode lines, rejects junk', () => {
    const d = 'f'.repeat(128);
    expect(parseChecksums(`${d} *x.bin\n`)).toEqual([{ digest: d, name: 'x.bin' }]);
    expect(formatChecksums([{ digest: d, name: 'x.bin' }])).toBe(`${d}  x.bin\n`);
    expect(() => parseChecksums('nope  x\n')).toThrow(GoshipError);
  });
});

describe('summary', () => {
  it('escapes table cells', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b<br>c');
    expect(table(['a', 'b'], [[1, 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |\n');
  });

  it('stays under the size budget', () => {
    const s = new Summary();
    for (let i = 0; i < 2000; i++) s.text('x'.repeat(1000));
    const out = s.toString();
    expect(Buffer.byteLength(out)).toBeLessThan(SUMMARY_BUDGET_BYTES + 1024);
    expect(out).toContain('Summary truncated');
  });

  it('ranks errors before warnings, then by rank and position', () => {
    const ranked = rankFindings([
      { severity: 'warning', message: 'w', rank: 1 },
      { severity: 'error', message: 'e2', rank: 5 },
      { severity: 'error', message: 'e1', rank: 1 },
    ]);
    expect(ranked.map((f) => f.message)).toEqual(['e1', 'e2', 'w']);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.00 MiB');
  });

  it('input errors carry their parts', () => {
    const e = new InputError('platforms', 'linux/arm65', 'a port', 'Fix it');
    expect([e.input, e.got, e.expected, e.hint]).toEqual(['platforms', 'linux/arm65', 'a port', 'Fix it']);
    expect(e.message).toBe('Input "platforms": got "linux/arm65"; expected a port. Fix it.');
  });
});
