import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipBytes, zipBytesAsync } from '../src/archive.js';
import { libdeflateOf } from '../src/deflate/libdeflate.js';
import { LIBDEFLATE_WASM_SHA256 } from '../src/deflate/libdeflate-wasm.js';
import { DeflatePool, libdeflateWasm } from '../src/deflate/pool.js';
import { gzipFixed, gzipFixedAsync } from '../src/gzip.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const actionDir = path.resolve(here, '..');
const root = path.resolve(actionDir, '../..');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Compressible, varied bytes: what deflate has choices to make on. */
function texty(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 28 > 10 ? 0x61 + ((x >>> 8) % 26) : i & 0xff;
  }
  return b;
}

const INPUTS: [string, Buffer][] = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from('x')],
  ['random 70 KiB', randomBytes(70 << 10)],
  ['text 1 MiB + 3', texty((1 << 20) + 3, 7)],
  // beyond the module's first heap: the growth import is exercised
  ['text 24 MiB', texty(24 << 20, 11)],
];

describe('libdeflate (WebAssembly)', () => {
  it('is the module the pinned npm package ships', () => {
    expect(sha(libdeflateWasm())).toBe(LIBDEFLATE_WASM_SHA256);
    // re-extracts it from node_modules/libdeflate and compares with the vendored file
    execFileSync(process.execPath, [path.join(root, 'scripts', 'vendor-libdeflate.mjs'), '--check'], { stdio: 'pipe' });
  });

  it("compresses byte for byte as the package's own Emscripten glue does, at levels 1, 6 and 12", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-deflate-'));
    const z = libdeflateOf(libdeflateWasm());
    const files = INPUTS.map(([name, data], i) => {
      const file = path.join(dir, `in${i}`);
      writeFileSync(file, data);
      // level 12 is slow (a few MB/s): small inputs only
      return { name, file, data, levels: data.length < 2 << 20 ? [1, 6, 12] : [1, 6] };
    });
    // the glue runs in its own process: it installs process-wide handlers
    const script = `import { gzip, deflate } from 'libdeflate'; import { readFileSync } from 'node:fs'; import { createHash } from 'node:crypto';
      const h = (b) => createHash('sha256').update(b).digest('hex');
      const out = JSON.parse(process.argv[1]).map(([f, levels]) => levels.map((l) => [h(gzip(readFileSync(f), l)), h(deflate(readFileSync(f), l))]));
      process.stdout.write(JSON.stringify(out));`;
    const theirs = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(files.map((f) => [f.file, f.levels]))], {
        cwd: actionDir,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as [string, string][][];
    files.forEach((f, i) => {
      f.levels.forEach((level, j) => {
        expect([sha(z.gzip(f.data, level)), sha(z.deflate(f.data, level))], `${f.name}, level ${level}`).toEqual(theirs[i]![j]);
      });
    });
  });

  it('round-trips through zlib, with the CRC-32 and size zlib computes', () => {
    const z = libdeflateOf(libdeflateWasm());
    for (const [name, data] of INPUTS) {
      const gz = z.gzip(data, 6);
      expect(gunzipSync(gz).equals(data), name).toBe(true);
      expect(Buffer.from(gz).readUInt32LE(gz.length - 8), name).toBe(crc32(data));
      expect(Buffer.from(gz).readUInt32LE(gz.length - 4), name).toBe(data.length);
      expect(inflateRawSync(z.deflate(data, 6)).equals(data), name).toBe(true);
    }
    expect(() => z.gzip(Buffer.from('x'), 13)).toThrow(/deflate level 13: 1 to 12/);
  });

  it('gives the same bytes in the worker pool as on this thread, more jobs than workers, and survives a bad job', async () => {
    const pool = new DeflatePool(2);
    try {
      const jobs = [...INPUTS, ...INPUTS.slice(0, -1)].map(([, d]) => d);
      const z = libdeflateOf(libdeflateWasm());
      // the pool writes the gzip member itself around raw DEFLATE (gzipMember): the same bytes as
      // libdeflate's gzip at every level, the XFL byte included (4 below level 2, 2 from level 8)
      for (const level of [1, 2, 5, 6, 8, 12]) {
        const outs = await Promise.all(jobs.map((d) => pool.run('gzip', d, level)));
        outs.forEach((o, i) =>
          expect(Buffer.from(o.out).equals(Buffer.from(z.gzip(jobs[i]!, level))), `job ${i}, level ${level}`).toBe(true),
        );
      }
      const raw = await pool.run('raw', INPUTS[3]![1], 6);
      expect(raw.crc).toBe(crc32(INPUTS[3]![1]));
      expect(inflateRawSync(raw.out).equals(INPUTS[3]![1])).toBe(true);
      await expect(pool.run('gzip', Buffer.from('x'), 0)).rejects.toThrow(/deflate in a worker thread failed: deflate level 0/);
      expect(gunzipSync((await pool.run('gzip', Buffer.from('still here'), 6)).out).toString()).toBe('still here');
    } finally {
      await pool.close();
    }
  });

  it('starts workers ahead of the work when warmed, never more than its size, and compresses on them', async () => {
    const pool = new DeflatePool(2);
    try {
      pool.warm(1);
      expect(pool.started).toBe(1);
      pool.warm(5);
      expect(pool.started).toBe(2);
      const d = INPUTS[3]![1];
      const outs = await Promise.all([pool.run('gzip', d, 6), pool.run('gzip', d, 6), pool.run('gzip', d, 6)]);
      // the warmed workers took the jobs: no third was started
      expect(pool.started).toBe(2);
      const want = Buffer.from(libdeflateOf(libdeflateWasm()).gzip(d, 6));
      for (const o of outs) expect(Buffer.from(o.out).equals(want)).toBe(true);
    } finally {
      await pool.close();
    }
    expect(pool.started).toBe(0);
  });

  it('serves the largest waiting job first, ties in arrival order', async () => {
    const pool = new DeflatePool(1);
    try {
      const done: string[] = [];
      const job = (name: string, size: number): Promise<void> =>
        pool.run('raw', Buffer.alloc(size, name), 1).then(() => void done.push(name));
      // the one worker takes the first job at once; the rest wait and are served by size
      await Promise.all([job('first', 10), job('small', 100), job('big', 300_000), job('mid-a', 5_000), job('mid-b', 5_000)]);
      expect(done).toEqual(['first', 'big', 'mid-a', 'mid-b', 'small']);
    } finally {
      await pool.close();
    }
  });

  it('compresses parts as their concatenation, on this thread and in the pool, CRC-32 included', async () => {
    const z = libdeflateOf(libdeflateWasm());
    const whole = texty((3 << 20) + 77, 13);
    // uneven cuts, an empty part, a view into the middle of a larger buffer
    const parts = [whole.subarray(0, 511), Buffer.alloc(0), whole.subarray(511, 2 << 20), whole.subarray(2 << 20)];
    for (const level of [1, 6]) {
      expect(Buffer.from(z.gzip(parts, level)).equals(Buffer.from(z.gzip(whole, level))), `gzip, level ${level}`).toBe(true);
      expect(Buffer.from(z.deflate(parts, level)).equals(Buffer.from(z.deflate(whole, level))), `raw, level ${level}`).toBe(true);
    }
    const pool = new DeflatePool(1);
    try {
      const raw = await pool.run('raw', parts, 6);
      expect(raw.crc).toBe(crc32(whole));
      expect(Buffer.from(raw.out).equals(Buffer.from(z.deflate(whole, 6)))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('moves what the caller gives up to the worker, and copies what it shares', async () => {
    const z = libdeflateOf(libdeflateWasm());
    const pool = new DeflatePool(1, [6, 1]);
    try {
      const own = texty(400_000, 21);
      const kept = Buffer.from(own);
      const big = texty(900_000, 23);
      const view = big.subarray(1000, 300_000); // part of a larger buffer: never detached
      const small = Buffer.from('pooled'); // Node's shared pool
      const want = Buffer.from(z.gzip([kept, big.subarray(1000, 300_000), Buffer.from('pooled')], 6));
      const out = await pool.run('gzip', [own, view, small], 6, true);
      expect(Buffer.from(out.out).equals(want)).toBe(true);
      expect(own.byteLength).toBe(0); // moved: detached here
      expect(view.byteLength).toBe(299_000);
      expect(small.toString()).toBe('pooled');
      expect(big.byteLength).toBe(900_000);
      // without consume nothing moves
      const again = texty(400_000, 21);
      await pool.run('raw', again, 1);
      expect(again.byteLength).toBe(400_000);
    } finally {
      await pool.close();
    }
  });

  it('pins the gzip header and gives the same member on both paths', async () => {
    const data = texty(300_000, 3);
    const [a, b] = [gzipFixed(data), await gzipFixedAsync(data)];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  });
});

describe('zip writer', () => {
  const mtime = new Date(Date.UTC(2026, 0, 2, 3, 4, 6));
  const entries = [
    { name: 'tool.exe', data: texty(200_000, 5), executable: true },
    { name: 'LICENSE', data: Buffer.from('MIT\n'), executable: false },
    { name: 'docs/héllo.md', data: Buffer.from('# é\n'), executable: false, mode: 0o600 },
    { name: 'empty', data: Buffer.alloc(0), executable: false },
  ];

  it('writes an archive unzip tests and zipinfo lists with Unix modes, UTC times and UTF-8 names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goship-zip-'));
    const file = path.join(dir, 'a.zip');
    const bytes = zipBytes(entries, mtime);
    expect((await zipBytesAsync(entries, mtime)).equals(bytes)).toBe(true);
    writeFileSync(file, bytes);
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const listing = execFileSync('zipinfo', ['-T', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })
      .split('\n')
      .filter((l) => /^[-d]r/.test(l))
      .map((l) => l.split(/\s+/))
      .map((f) => [f[0], f[3], f[5], f[6], f.slice(7).join(' ')]);
    expect(listing).toEqual([
      ['-rw-r--r--', '4', 'defN', '20260102.030406', 'LICENSE'],
      ['-rw-------', '5', 'defN', '20260102.030406', 'docs/héllo.md'],
      ['-rw-r--r--', '0', 'defN', '20260102.030406', 'empty'],
      ['-rwxr-xr-x', '200000', 'defN', '20260102.030406', 'tool.exe'],
    ]);
    const out = path.join(dir, 'out');
    execFileSync('unzip', ['-q', file, '-d', out]);
    expect(execFileSync('sha256sum', ['tool.exe'], { cwd: out, encoding: 'utf8' }).split(' ')[0]).toBe(sha(entries[0]!.data));
  });

  it('refuses a time after 2107, which DOS time cannot hold', () => {
    expect(() => zipBytes(entries, new Date(Date.UTC(2108, 0, 1)))).toThrow(/after 2107/);
  });
});
