/**
 * What `runAction` hands an action's `main`: the runner port behind a thin layer that scrubs
 * secrets from everything going out, typed inputs, timed phases as log groups, the outputs, the
 * job summary and the annotation budget. Domain modules receive the context (or just its `log`);
 * none of them talks to the runner directly.
 */
import { formatMs } from '../summary.js';
import type { Inputs } from './inputs.js';
import type { AnnotationLevel, AnnotationProps, RunnerPort } from './port.js';
import type { Secrets } from './secrets.js';

export interface PhaseTiming {
  name: string;
  ms: number;
  ok: boolean;
}

/** Log lines for people. Every method scrubs secrets first. */
export interface Log {
  info(message: string): void;
  warning(message: string, props?: AnnotationProps): void;
  error(message: string, props?: AnnotationProps): void;
  notice(message: string, props?: AnnotationProps): void;
  debug(message: string): void;
}

export class ActionContext {
  readonly phases: PhaseTiming[] = [];
  readonly log: Log;

  constructor(
    /** The action's name, e.g. `multiarch-build`: failure messages start with it. */
    readonly name: string,
    readonly port: RunnerPort,
    readonly inputs: Inputs,
    readonly secrets: Secrets,
  ) {
    const say = (level: AnnotationLevel) => (m: string, props?: AnnotationProps) => port.annotation(level, this.scrub(m), props);
    this.log = {
      info: (m) => port.info(this.scrub(m)),
      warning: say('warning'),
      error: say('error'),
      notice: say('notice'),
      debug: (m) => port.debug(this.scrub(m)),
    };
  }

  scrub(text: string): string {
    return this.secrets.scrub(text);
  }

  /** Masks a value obtained at run time (an OIDC token, a registry token). */
  secret(value: string): void {
    this.secrets.add(value);
  }

  /** Runs `fn` inside a log group titled `title`, timing it. */
  async phase<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    let ok = false;
    this.port.startGroup(this.scrub(title));
    try {
      const r = await fn();
      ok = true;
      return r;
    } finally {
      const ms = performance.now() - start;
      this.phases.push({ name: title, ms, ok });
      this.port.endGroup();
      this.port.info(`${ok ? '✓' : '✗'} ${this.scrub(title)} (${formatMs(ms)})`);
    }
  }

  /** Writes the step's outputs: the one place an action sets them. */
  outputs(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.port.output(k, this.scrub(v));
  }

  /** Appends Markdown to the job summary. */
  async summary(markdown: string | { toString(): string }): Promise<void> {
    await this.port.appendSummary(this.scrub(String(markdown)));
  }

  annotate(level: AnnotationLevel, message: string, props?: AnnotationProps): void {
    this.port.annotation(level, this.scrub(message), props);
  }

  exportVariable(name: string, value: string): void {
    this.port.exportVariable(name, value);
  }

  addPath(dir: string): void {
    this.port.addPath(dir);
  }

  saveState(name: string, value: string): void {
    this.port.saveState(name, value);
  }

  getState(name: string): string {
    return this.port.getState(name);
  }

  /** A GitHub Actions OIDC token for `audience`, masked. */
  async idToken(audience: string): Promise<string> {
    const t = await this.port.idToken(audience);
    this.secret(t);
    return t;
  }
}
