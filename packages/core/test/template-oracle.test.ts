/**
 * Differential test: every case of template-corpus.json is rendered by goship's engine and by
 * Go's own text/template (template-oracle/, with GoReleaser's function set), and the two must
 * agree: the same output, or both fail with the same message.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/exec.js';
import { fileReader, renderTemplate, TemplateError } from '../src/template/index.js';
import { decodeCorpusValue, type CorpusCase } from './template-corpus.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const oracleDir = path.join(here, 'template-oracle');
const corpusFile = path.join(here, 'template-corpus.json');
const corpus = JSON.parse(fs.readFileSync(corpusFile, 'utf8')) as { fixtures: Record<string, unknown>; cases: CorpusCase[] };

interface OracleResult {
  id: string;
  out?: string;
  err?: string;
}

function sourceHash(): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(oracleDir, p)).update(fs.readFileSync(p));
    }
  };
  walk(oracleDir);
  return h.digest('hex').slice(0, 16);
}

/** Builds the oracle once per source hash, cached under the OS temp dir. */
async function oracleBinary(): Promise<string> {
  const bin = path.join(os.tmpdir(), `goship-template-oracle-${sourceHash()}`);
  if (fs.existsSync(bin)) return bin;
  const go = fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  await run(go, ['build', '-o', `${bin}.tmp`, '.'], {
    cwd: oracleDir,
    silent: true,
    env: { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
  });
  fs.renameSync(`${bin}.tmp`, bin);
  return bin;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'goship-template-cases-'));
let results: OracleResult[] = [];
const fixtures = new Map<string, ReturnType<typeof decodeCorpusValue>>();

beforeAll(async () => {
  const bin = await oracleBinary();
  const r = await run(bin, [corpusFile, work], { silent: true, maxBuffer: 64 << 20, env: { TZ: 'UTC' } });
  results = JSON.parse(r.stdout) as OracleResult[];
  for (const [k, v] of Object.entries(corpus.fixtures)) fixtures.set(k, decodeCorpusValue(v));
}, 300_000);

function goship(tc: CorpusCase, i: number): OracleResult {
  const cwd = path.join(work, `case-${i}`);
  const data = typeof tc.data === 'string' && tc.data.startsWith('@') ? fixtures.get(tc.data.slice(1)) : decodeCorpusValue(tc.data ?? null);
  try {
    const out = renderTemplate(tc.t, data, {
      name: tc.name ?? 'tmpl',
      missingKey: tc.missingkey ?? 'error',
      now: () => new Date(tc.now ?? '2026-11-20T10:00:00Z'),
      env: tc.env,
      cwd,
      homeDir: path.join(work, 'home'),
      readFile: fileReader(fs, (p) => path.resolve(cwd, p)),
    });
    return { id: tc.id, out };
  } catch (e) {
    if (e instanceof TemplateError) return { id: tc.id, err: e.goMessage };
    throw e;
  }
}

describe('template engine agrees with Go text/template + GoReleaser functions', () => {
  it('has a corpus of at least 200 cases, 40 of them errors', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(200);
    expect(results.length).toBe(corpus.cases.length);
    expect(results.filter((r) => r.err !== undefined).length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus.cases.map((tc, i) => [tc.id, tc.t, i] as const))('%s: %s', (_id, _t, i) => {
    const tc = corpus.cases[i]!;
    expect(goship(tc, i)).toEqual(results[i]);
  });
});
