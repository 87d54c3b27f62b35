/**
 * Secret inputs: declared by each action, read and masked before any other input is validated,
 * refused by name (never echoed) when a one-line secret holds a line break, and scrubbed from every
 * message, summary and output goship writes — including errors thrown by libraries, which quote
 * header values and URLs as they got them.
 */
import { GoshipError } from '../errors.js';
import type { RunnerPort } from './port.js';

export interface SecretSpec {
  /** The input's name, e.g. `token`. */
  name: string;
  /** What it is, for messages: `token`, `registry password`, `signing key`. */
  what?: string;
  /** PEM keys span lines; tokens, passwords and URLs do not. */
  multiline?: boolean;
}

const REDACTED = '***';

export class Secrets {
  private readonly scrubbed: string[] = [];
  readonly values = new Map<string, string>();

  constructor(private readonly port: RunnerPort) {}

  /** Masks a value (and the forms libraries print it in) from here on. */
  add(value: string): void {
    if (value.trim().length < 3) return;
    const forms = new Set<string>();
    // A PEM's armour lines (`-----BEGIN PRIVATE KEY-----`) are not secret; masking them would hide them in every log.
    const parts = /[\r\n]/.test(value)
      ? value.split(/\r?\n|\r/).filter((l) => l.trim().length >= 3 && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(l.trim()))
      : [value];
    for (const v of parts) {
      forms.add(v);
      forms.add(encodeURIComponent(v));
      forms.add(JSON.stringify(v).slice(1, -1));
    }
    if (parts.length > 1 || value !== value.trim()) {
      forms.add(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    for (const f of forms) {
      if (f.length < 3 || this.scrubbed.includes(f)) continue;
      this.scrubbed.push(f);
      if (!/[\r\n]/.test(f)) this.port.mask(f);
    }
    // longest first, so a value is not half-replaced by one of its own parts
    this.scrubbed.sort((a, b) => b.length - a.length);
  }

  /** `text` with every known secret replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    for (const s of this.scrubbed) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
}

/**
 * Reads every declared secret input, masks it, and only then checks it: so one bad secret never
 * leaves another unmasked. Throws (without the value) when a one-line secret has CR or LF in it.
 */
export function readSecrets(port: RunnerPort, specs: readonly SecretSpec[]): Secrets {
  const secrets = new Secrets(port);
  const raw = specs.map((s) => ({ spec: s, value: port.input(s.name) ?? '' }));
  for (const { value } of raw) secrets.add(value);
  for (const { spec, value } of raw) {
    const v = spec.multiline ? value.trim() : value.trim();
    if (!spec.multiline && /[\r\n]/.test(v)) {
      throw new GoshipError(
        `Input "${spec.name}" holds a line break (CR or LF); a ${spec.what ?? 'secret'} is a single line. Its value is not shown.`,
        `Check the secret behind \`${spec.name}:\` — a pasted value often ends with a newline or carries a second line`,
      );
    }
    secrets.values.set(spec.name, v);
  }
  return secrets;
}
