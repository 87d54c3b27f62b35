/**
 * The runner port: everything an action says to, or asks of, the GitHub runner — log lines and
 * groups, masks, outputs, exported variables, saved state, the job summary, annotations, inputs and
 * the OIDC token. Domain code talks to a port, never to `@actions/*`, so the same code runs as a
 * bundled step (runner.ts), in-process as one step of the whole chain (a child port that captures
 * outputs), and in unit tests (memoryPort).
 *
 * Core's own infrastructure (exec, github, oci, tools) logs through `currentPort()`: the port of the
 * action whose code is running, kept in an AsyncLocalStorage by `runAction`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
}

export interface RunnerPort {
  info(message: string): void;
  debug(message: string): void;
  annotation(level: AnnotationLevel, message: string, props?: AnnotationProps): void;
  startGroup(title: string): void;
  endGroup(): void;
  /** Registers a value the runner masks in every later log line. */
  mask(value: string): void;
  /** The raw value of an input as the runner passes it (undefined when not set). */
  input(name: string): string | undefined;
  output(name: string, value: string): void;
  exportVariable(name: string, value: string): void;
  addPath(dir: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  appendSummary(markdown: string): Promise<void>;
  /** A GitHub Actions OIDC token for `audience`. */
  idToken(audience: string): Promise<string>;
  /** True when the runner's debug logging is on. */
  isDebug(): boolean;
  /** Writes raw text (a child process's output) as the runner shows it. */
  write(text: string): void;
}

export interface MemoryPortRecord {
  log: string[];
  annotations: { level: AnnotationLevel; message: string; props?: AnnotationProps }[];
  masks: string[];
  outputs: Record<string, string>;
  exported: Record<string, string>;
  paths: string[];
  state: Record<string, string>;
  summary: string;
}

/**
 * A port that keeps everything in memory: for unit tests, and as the base of a child port when
 * one action runs inside another's step.
 */
export function memoryPort(
  opts: {
    inputs?: Record<string, string | undefined>;
    state?: Record<string, string>;
    idToken?: (audience: string) => Promise<string>;
    debug?: boolean;
  } = {},
): RunnerPort & { record: MemoryPortRecord } {
  const record: MemoryPortRecord = {
    log: [],
    annotations: [],
    masks: [],
    outputs: {},
    exported: {},
    paths: [],
    state: { ...(opts.state ?? {}) },
    summary: '',
  };
  return {
    record,
    info: (m) => void record.log.push(m),
    debug: (m) => void (opts.debug && record.log.push(`debug: ${m}`)),
    annotation: (level, message, props) => void record.annotations.push({ level, message, ...(props ? { props } : {}) }),
    startGroup: (t) => void record.log.push(`▸ ${t}`),
    endGroup: () => undefined,
    mask: (v) => void record.masks.push(v),
    input: (name) => opts.inputs?.[name],
    output: (n, v) => void (record.outputs[n] = v),
    exportVariable: (n, v) => void (record.exported[n] = v),
    addPath: (d) => void record.paths.push(d),
    saveState: (n, v) => void (record.state[n] = v),
    getState: (n) => record.state[n] ?? '',
    appendSummary: (md) => {
      record.summary += md;
      return Promise.resolve();
    },
    idToken: opts.idToken ?? (() => Promise.reject(new Error('no OIDC token in this context'))),
    isDebug: () => !!opts.debug,
    write: (t) => void record.log.push(t.replace(/\n$/, '')),
  };
}

/** Used outside any action (a library called from a script or a test): plain lines on stdout. */
const consolePort: RunnerPort = {
  ...memoryPort(),
  info: (m) => void process.stdout.write(`${m}\n`),
  annotation: (level, m) => void process.stdout.write(`${level}: ${m}\n`),
  startGroup: (t) => void process.stdout.write(`▸ ${t}\n`),
  write: (t) => void process.stdout.write(t),
};

const scope = new AsyncLocalStorage<RunnerPort>();

/** The port of the action whose code is running (a plain console port outside any action). */
export function currentPort(): RunnerPort {
  return scope.getStore() ?? consolePort;
}

/** Runs `fn` with `port` as the current port. */
export function withPort<T>(port: RunnerPort, fn: () => Promise<T>): Promise<T> {
  return scope.run(port, fn);
}
