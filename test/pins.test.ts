/**
 * Tool pins agree: every version of a tool in tools.versions that appears anywhere else — an
 * action.yml default, a default in code, the test kit's tool list, a test, a benchmark — is the
 * same, so a pin cannot be moved in one place alone. And every action's `platforms` default is
 * core's DEFAULT_PLATFORMS.
 *
 * Elsewhere a pin is found by how it is written next to the tool's name: `name@v1.2.3`,
 * `module/path@v1.2.3`, `name: 'v1.2.3'`, `['name', 'v1.2.3']`, `'name-version', 'v1.2.3'`,
 * `name v1.2.3` in prose, `{ name: 'name', …, version: 'v1.2.3' }`, and action.yml inputs
 * `<name>-version` with a default.
 */
import { DEFAULT_PLATFORMS } from '../packages/core/src/platform.js';
import { readActionYaml } from '../packages/testkit/src/runner.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');

interface Pin {
  name: string;
  version: string;
  /** The Go module path for `go:` sources. */
  module?: string;
}

function readPins(): Pin[] {
  return readFileSync(path.join(root, 'tools.versions'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => {
      const [name, version, source = ''] = l.trim().split(/\s+/);
      return { name: name!, version: version!, ...(source.startsWith('go:') ? { module: source.slice(3) } : {}) };
    });
}

/** Generated, vendored or recorded text, not places a pin is written by hand. */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.tools', '.git', 'fixtures', 'results', 'testdata']);
const TEXT_FILE = /\.(ts|mjs|js|cjs|ya?ml|json|sh|md)$/;
const SCRIPTS = new Set(['test', 'demo', 'goship', 'install-tools', 'check-dist']);

function repoFiles(dir = root): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    // this file quotes versions as samples
    if (SKIP_DIRS.has(e.name) || p === self) continue;
    if (e.isDirectory()) out.push(...repoFiles(p));
    else if ((TEXT_FILE.test(e.name) || (path.basename(dir) === 'scripts' && SCRIPTS.has(e.name))) && e.name !== 'pnpm-lock.yaml')
      out.push(p);
  }
  return out;
}

export interface Mention {
  file: string;
  line: number;
  tool: string;
  version: string;
  text: string;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every place in `text` where a version is written for one of the pinned tools. */
export function mentions(file: string, text: string, pins: readonly Pin[]): Mention[] {
  const found: Mention[] = [];
  const add = (tool: string, version: string, index: number, match: string): void => {
    found.push({ file, line: text.slice(0, index).split('\n').length, tool, version, text: match });
  };
  for (const pin of pins) {
    const goTool = pin.version.startsWith('v');
    const ver = goTool ? 'v\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?' : '\\d+\\.\\d+\\.\\d+';
    const name = esc(pin.name);
    const patterns = [
      // name@version; for Go tools also `name: 'v…'`, `['name', 'v…']`, `'name-version', 'v…'`, `name v…`
      new RegExp(`(?<![\\w/@.-])${name}${goTool ? `(?:-version)?(?:@|['"]?\\s*[:,=]?\\s*['"]?\\s*)` : '@'}(${ver})(?![\\w.])`, 'g'),
      // { name: 'tool', …, version: 'v…' } on one line
      new RegExp(`name:\\s*['"]${name}['"][^\\n}]*?version:\\s*['"](${ver})['"]`, 'g'),
      ...(pin.module ? [new RegExp(`(?<![\\w.-])${esc(pin.module)}@(${ver})(?![\\w.])`, 'g')] : []),
    ];
    for (const re of patterns) for (const m of text.matchAll(re)) add(pin.name, m[1]!, m.index, m[0]);
  }
  return found;
}

/** action.yml inputs named `<tool>-version`: their defaults are pins too. */
async function actionYmlMentions(pins: readonly Pin[]): Promise<Mention[]> {
  const found: Mention[] = [];
  for (const a of readdirSync(path.join(root, 'actions'))) {
    const yml = await readActionYaml(path.join(root, 'actions', a)).catch(() => undefined);
    for (const [input, spec] of Object.entries(yml?.inputs ?? {})) {
      const pin = pins.find((p) => input === `${p.name}-version`);
      if (pin && spec.default !== undefined) {
        found.push({
          file: `actions/${a}/action.yml`,
          line: 0,
          tool: pin.name,
          version: String(spec.default),
          text: `${input}: ${spec.default}`,
        });
      }
    }
  }
  return found;
}

/**
 * Mentions that are not pins, each with why; an entry that no longer matches fails the test,
 * so the list cannot hide a real pin after the text changes.
 */
const NOT_PINS = [
  {
    file: 'actions/go-quality-gate/test/tools.test.ts',
    text: 'govulncheck v2.15.0',
    why: "the built-with-an-older-Go message, on golangci-lint's tool record renamed to govulncheck",
  },
];

describe('tool pins', () => {
  const pins = readPins();

  it('finds the pins it knows of (so a change of how they are written does not silence this test)', async () => {
    const all = [
      ...(await actionYmlMentions(pins)),
      ...repoFiles().flatMap((f) => mentions(path.relative(root, f), readFileSync(f, 'utf8'), pins)),
    ];
    const at = (file: string): string[] => [...new Set(all.filter((m) => m.file === file).map((m) => m.tool))].sort();
    expect(at('actions/go-quality-gate/action.yml')).toEqual(['golangci-lint', 'govulncheck', 'staticcheck']);
    expect(at('actions/go-quality-gate/src/config.ts')).toEqual(['golangci-lint', 'govulncheck', 'staticcheck']);
    expect(at(path.join('packages', 'testkit', 'src', 'pipeline.ts'))).toEqual(['golangci-lint', 'govulncheck', 'staticcheck']);
    expect(at('package.json')).toEqual(['pnpm']);
    expect(at(path.join('packages', 'core', 'test', 'tools.itg.test.ts'))).toEqual(['actionlint']);
  });

  it('every version written for a pinned tool is the version tools.versions pins', async () => {
    const all = [
      ...(await actionYmlMentions(pins)),
      ...repoFiles().flatMap((f) => mentions(path.relative(root, f), readFileSync(f, 'utf8'), pins)),
    ];
    const pinned = new Map(pins.map((p) => [p.name, p.version]));
    const excused = (m: Mention): boolean => NOT_PINS.some((n) => n.file === m.file && m.text.includes(n.text));
    const wrong = all.filter((m) => m.version !== pinned.get(m.tool) && !excused(m));
    expect(
      wrong.map(
        (m) => `${m.file}:${m.line}: ${m.tool} ${m.version} (tools.versions pins ${pinned.get(m.tool)}) in ${JSON.stringify(m.text)}`,
      ),
    ).toEqual([]);
    for (const n of NOT_PINS)
      expect(
        all.filter((m) => m.file === n.file && m.text.includes(n.text)),
        n.why,
      ).toHaveLength(1);
  });

  it('the scanner catches a pin changed in one place alone, however it is written', () => {
    const staticcheck = pins.find((p) => p.name === 'staticcheck')!;
    const other = staticcheck.version.replace(/\d+$/, (d) => String(Number(d) + 1));
    const samples = [
      `['staticcheck', '${other}']`,
      `prebuiltToolCache({ staticcheck: '${other}' })`,
      `versionInput(inputs, 'staticcheck-version', '${other}')`,
      `go install ${staticcheck.module}@${other}`,
      `{ name: 'staticcheck', module: 'x', version: '${other}' }`,
      `staticcheck ${other} is slower`,
    ];
    for (const s of samples)
      expect(
        mentions('sample.ts', s, pins).map((m) => m.version),
        s,
      ).toContain(other);
    // a version beside an unrelated word, or an address, is no pin
    expect(mentions('sample.ts', `registry 127.0.0.1:5000 and ghcr.io/o/registry:${other}`, pins)).toEqual([]);
  });
});

describe('platform defaults', () => {
  it("every action.yml `platforms` default is core's DEFAULT_PLATFORMS", async () => {
    let seen = 0;
    for (const a of readdirSync(path.join(root, 'actions'))) {
      const yml = await readActionYaml(path.join(root, 'actions', a)).catch(() => undefined);
      const input = yml?.inputs?.platforms;
      const def = input?.default;
      if (def === undefined) continue;
      seen++;
      if (def === '') {
        // empty: the action chooses (its default, or a config's targets); the description must name the default
        expect(String(input?.description), `actions/${a}/action.yml`).toContain(`Default: ${DEFAULT_PLATFORMS.join(', ')}.`);
        continue;
      }
      expect(
        String(def)
          .split(/[,\n]/)
          .map((s) => s.trim())
          .filter(Boolean),
        `actions/${a}/action.yml`,
      ).toEqual(DEFAULT_PLATFORMS);
    }
    expect(seen).toBeGreaterThanOrEqual(2); // setup-go-matrix and multiarch-build
  });
});
