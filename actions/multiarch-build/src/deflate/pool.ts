/**
 * A pool of worker threads that deflate with libdeflate, one per core, started on first use and kept:
 * a worker compiles the module once and its code stays warm for every later archive and layer
 * (a worker per call, as fflate's async API starts, pays its start-up and a cold JIT each time).
 * The workers run libdeflateOf's own source (eval), so the pool needs no file beside the bundle and
 * works the same from every bundle and from the sources in tests. An idle pool does not keep the
 * process alive.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { type DeflateInput, gzipMember, libdeflateOf } from './libdeflate.js';
import { LIBDEFLATE_WASM_BASE64 } from './libdeflate-wasm.js';

/** `gzip`: a gzip member; `raw`: raw DEFLATE and the CRC-32 of the input (a zip entry). */
export type DeflateKind = 'gzip' | 'raw';

export interface Deflated {
  out: Uint8Array;
  /** CRC-32 of the input (`raw` only). */
  crc?: number;
}

interface Job {
  kind: DeflateKind;
  data: DeflateInput;
  level: number;
  /** Bytes to compress: the queue serves the largest first. */
  size: number;
  /** The inputs' buffers handed to the worker instead of copied (the caller no longer reads them). */
  transfer: ArrayBuffer[];
  resolve: (d: Deflated) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { crc32 } = require('node:zlib');
const libdeflateOf = ${libdeflateOf.toString()};
const z = libdeflateOf(workerData.wasm);
// V8 first runs WebAssembly from its baseline compiler and compiles a hot function with its
// optimizing one in the background, for the function's next call: a call already running never
// switches. A first archive would deflate on the slow code from start to end, so each level the
// pool serves is run once here on the module's own bytes, which is enough to make its code hot.
for (const level of workerData.warm) z.deflate(workerData.wasm, level);
const gzipMember = ${gzipMember.toString()};
parentPort.on('message', (m) => {
  try {
    let crc = 0;
    let size = 0;
    // an empty part is skipped: zlib's crc32 of a null buffer (a zero-length one may have none) is 0, not the CRC so far
    for (const p of Array.isArray(m.data) ? m.data : [m.data]) if (p.byteLength) { crc = crc32(p, crc); size += p.byteLength; }
    const raw = z.deflate(m.data, m.level);
    // gzip: the member is written here around the raw stream, with zlib's CRC-32 (the module's is slower)
    const out = m.kind === 'raw' ? raw : gzipMember(raw, crc, size, m.level);
    parentPort.postMessage(m.kind === 'raw' ? { out, crc } : { out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
});
`;

/** The ArrayBuffers of `data` that its views cover whole, each once: those that can be moved to a worker. */
function ownedBuffers(data: DeflateInput): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const p of data instanceof Uint8Array ? [data] : data) {
    const b = p.buffer;
    if (b instanceof ArrayBuffer && p.byteOffset === 0 && p.byteLength === b.byteLength) out.add(b);
  }
  return [...out];
}

let wasmBytes: Uint8Array | undefined;
/** The module's bytes, decoded once. */
export function libdeflateWasm(): Uint8Array {
  return (wasmBytes ??= new Uint8Array(Buffer.from(LIBDEFLATE_WASM_BASE64, 'base64')));
}

/**
 * Workers: one per core, at most 4 (packaging runs at most 4 archives at once, and each worker's
 * heap keeps about 2.5× the largest input it compressed until the run ends).
 */
export const POOL_SIZE = Math.max(1, Math.min(4, os.availableParallelism()));

export class DeflatePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];

  /**
   * @param warmLevels the levels each worker prepares as it starts (see WORKER_SOURCE): those the
   *   callers use. Another level works too, its first call slower.
   */
  constructor(
    private readonly size = POOL_SIZE,
    private readonly warmLevels: readonly number[] = [],
  ) {}

  /**
   * Compresses `data` in a worker. With `consume`, the buffers that `data` alone views are moved
   * to the worker, not copied, and are empty (detached) afterwards: for inputs read only to be
   * compressed. Other inputs (a part of a larger buffer, Node's shared pool) are copied as usual.
   */
  run(kind: DeflateKind, data: DeflateInput, level: number, consume = false): Promise<Deflated> {
    return new Promise((resolve, reject) => {
      const transfer = consume ? ownedBuffers(data) : [];
      const size = data instanceof Uint8Array ? data.byteLength : data.reduce((n, p) => n + p.byteLength, 0);
      // Largest first (ties in arrival order): when the last builds' files wait together, the big
      // ones start at once and the small ones fill in beside them, so no worker is left with a big
      // file to itself at the end of the run (longest-processing-time-first scheduling).
      const at = this.queue.findIndex((j) => j.size < size);
      this.queue.splice(at < 0 ? this.queue.length : at, 0, { kind, data, level, size, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Starts up to `n` workers now, without a job, so that their start-up (a thread, Node's
   * bootstrap, compiling the module) overlaps the work before the first compression instead of
   * delaying it. Idle workers do not keep the process alive.
   */
  warm(n = this.size): void {
    while (this.slots.length < Math.min(n, this.size)) this.start();
  }

  /** How many workers are running. */
  get started(): number {
    return this.slots.length;
  }

  /** Stops every worker (the pool starts new ones when it is used again). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.start();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      // the input is copied unless the caller gave it up; the output comes back transferred
      slot.worker.postMessage({ kind: job.kind, data: job.data, level: job.level }, job.transfer);
    }
  }

  private start(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { wasm: libdeflateWasm(), warm: this.warmLevels } });
    const slot: Slot = { worker };
    worker.on('message', (m: { out?: Uint8Array; crc?: number; error?: string }) => {
      const job = slot.job;
      slot.job = undefined;
      worker.unref();
      if (m.out) job?.resolve(m.crc === undefined ? { out: m.out } : { out: m.out, crc: m.crc });
      else job?.reject(new Error(`deflate in a worker thread failed: ${m.error}`));
      this.dispatch();
    });
    const lost = (e: Error): void => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = undefined;
      job?.reject(new Error(`deflate worker thread stopped: ${e.message}`));
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}
