import { type ActionResult, GitRepo, actionDir, fixtureRepo, fixturesDir, goEnv, runAction, tempDir } from '@goship/testkit';
import { prebuiltToolCache } from '@goship/testkit/toolcache';
import { buildVulnDb } from '@goship/testkit/vulndb';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const execFileP = promisify(execFile);
const dir = actionDir('go-quality-gate');
let toolCache: string;

interface Report {
  passed: boolean;
  checks: { name: string; status: string }[];
  findings: { check: string; class: string; severity: string; file: string | null; line: number | null; message: string; hint: string }[];
  coverage: {
    total: number;
    thresholds: { rule: string; ok: boolean }[];
    diff: { lines: number; covered: number; percent: number } | null;
  } | null;
  vulns: { id: string; reachability: string; module: string; found: string; fixed: string }[];
}

async function gate(
  cwd: string,
  inputs: Record<string, string | number | boolean>,
  env: Record<string, string> = {},
  extra: { event?: unknown; eventName?: string; toolCache?: string } = {},
): Promise<ActionResult> {
  return runAction(dir, { cwd, inputs, env: goEnv(env), toolCache, ...extra });
}

async function report(r: ActionResult): Promise<Report> {
  return JSON.parse(await readFile(r.outputs.report!, 'utf8')) as Report;
}

function errorsOf(r: ActionResult): ActionResult['annotations'] {
  return r.annotations.filter((a) => a.type === 'error' && a.properties.title);
}

beforeAll(async () => {
  toolCache = await prebuiltToolCache({ staticcheck: 'v0.8.2', govulncheck: 'v1.8.0', 'golangci-lint': 'v2.15.0' });
});

describe('go-quality-gate on a clean module', () => {
  it('passes fixtures/go/hello and reports the exact coverage go tool cover computes', async () => {
    const repo = await fixtureRepo('hello');
    const r = await gate(repo.dir, { checks: 'fmt,vet,mod,test,race,coverage,staticcheck' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.passed).toBe('true');
    expect(r.outputs['failed-checks']).toBe('[]');
    const func = await execFileP('go', ['tool', 'cover', `-func=${r.outputs['coverage-profile']}`], {
      cwd: repo.dir,
      env: { ...process.env, ...goEnv() },
    });
    const total = /total:\s+\(statements\)\s+([\d.]+)%/.exec(func.stdout)?.[1];
    expect(total).toBeDefined();
    expect(r.outputs.coverage).toBe(total);
    expect(JSON.parse(r.outputs.tests!)).toEqual({ passed: 2, failed: 0, skipped: 0 });
    const junit = await readFile(r.outputs.junit!, 'utf8');
    expect(junit).toContain('<testcase classname="example.com/hello" name="TestGreeting"');
    expect(junit).toMatch(/<testsuites tests="2" failures="0"/);
    const rep = await report(r);
    expect(rep.findings).toEqual([]);
    expect(rep.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
      'fmt:passed',
      'mod:passed',
      'vet:passed',
      'test:passed',
      'staticcheck:passed',
      'race:passed',
      'coverage:passed',
    ]);
    expect(r.summary).toContain('| staticcheck | ✅ passed |');
    // each check's commands and output form one log group
    expect(r.log).toMatch(/::group::vet: commands and output\n\[command\]go vet -json -- \.\/\.\.\. {2}\(exit 0, \d+ ms\)/);
    expect(r.summary).toContain(`### Coverage: ${total}%`);
  });
});

describe('go-quality-gate on broken variants', () => {
  it('classifies format, vet, undefined symbol, failing test, race, timeout, tidy drift and a branch coverage rule, each at file:line', async () => {
    const repo = await fixtureRepo('hello', {
      history: [
        {
          message: 'break everything',
          files: {
            'fmtbad.go': 'package main\n\nfunc   unformatted() int {\nreturn 1\n}\n',
            // assign is not among the analyzers go test runs itself, so the tests still build
            'vetbad.go': 'package main\n\nfunc vetBad() int {\n\tx := 1\n\tx = x\n\treturn x\n}\n',
            'bad_test.go':
              'package main\n\nimport "testing"\n\nfunc TestFails(t *testing.T) {\n\tt.Errorf("want %d, got %d", 1, 2)\n}\n\nfunc TestRace(t *testing.T) {\n\tx := 0\n\tdone := make(chan bool)\n\tgo func() { x++; done <- true }()\n\tx++\n\t<-done\n}\n',
            'sub/sub.go': 'package sub\n\n// Sub calls what does not exist.\nfunc Sub() int {\n\treturn missing()\n}\n',
            'slow/slow_test.go':
              'package slow\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestSlow(t *testing.T) {\n\ttime.Sleep(time.Minute)\n}\n',
            'go.mod': 'module example.com/hello\n\ngo 1.24.0\n\nrequire github.com/google/uuid v1.6.0\n',
            'go.sum':
              'github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n',
          },
        },
      ],
    });
    const r = await gate(
      repo.dir,
      {
        checks: 'fmt,vet,mod,test,race,coverage',
        'test-args': '-timeout=5s',
        'coverage-rules': 'branch:main: 10\nbranch:release/*: 95\npackage:.: 90',
      },
      { GITHUB_REF: 'refs/heads/release/1.4', GITHUB_REF_NAME: 'release/1.4' },
    );
    expect(r.exitCode, r.log).toBe(1);
    expect(r.outputs.passed).toBe('false');
    if (process.env.GQG_DEBUG) console.log('%s\n%s', r.summary, r.log);
    expect(JSON.parse(r.outputs['failed-checks']!)).toEqual(['fmt', 'mod', 'vet', 'test', 'race', 'coverage']);
    const ann = errorsOf(r);
    const at = (cls: string): { file?: string; line?: number; message: string } | undefined => {
      const a = ann.find((x) => x.properties.title!.includes(`: ${cls}`));
      return a && { file: a.file, line: a.line, message: a.message };
    };
    expect(at('format')).toMatchObject({ file: 'fmtbad.go', line: 3 });
    expect(at('vet')).toMatchObject({ file: 'vetbad.go', line: 5 });
    expect(at('vet')!.message).toContain('assign: self-assignment of x');
    expect(at('undefined-symbol')).toMatchObject({ file: 'sub/sub.go', line: 5 });
    expect(at('undefined-symbol')!.message).toContain('undefined: missing');
    expect(at('test-failure')).toMatchObject({ file: 'bad_test.go', line: 6 });
    expect(at('test-failure')!.message).toContain('TestFails: want 1, got 2');
    // The race detector reports whichever of the two accesses (lines 12 and 13) it sees second.
    expect(at('race')!.file).toBe('bad_test.go');
    expect([12, 13]).toContain(at('race')!.line);
    expect(at('timeout')).toMatchObject({ file: 'slow/slow_test.go', line: 9 });
    expect(at('timeout')!.message).toContain('TestSlow: test timed out after 5s');
    expect(at('tidy')).toMatchObject({ file: 'go.mod', line: 5 });
    expect(at('tidy')!.message).toContain('go mod tidy would remove require github.com/google/uuid v1.6.0');
    const rep = await report(r);
    const cov = rep.findings.filter((f) => f.class === 'coverage');
    expect(cov.map((f) => f.message)).toEqual([
      expect.stringMatching(/^Coverage of total on release\/1\.4 is [\d.]+%, below 95% \(branch:release\/\*: 95\)$/),
      expect.stringMatching(/^Coverage of example\.com\/hello is [\d.]+%, below 90% \(package:\.: 90\); lowest file 0\.0%$/),
    ]);
    expect(cov[1]!.file).toBe('fmtbad.go');
    expect(rep.coverage!.thresholds).toEqual([
      expect.objectContaining({ rule: 'branch:release/*: 95', ok: false }),
      expect.objectContaining({ subject: 'example.com/hello', rule: 'package:.: 90', ok: false }),
    ]);
    // every finding carries a hint
    for (const f of rep.findings) expect(f.hint.length).toBeGreaterThan(10);
    // the undefined symbol is reported once although vet and test both saw it
    expect(rep.findings.filter((f) => f.class === 'undefined-symbol')).toHaveLength(1);
    const counts = JSON.parse(r.outputs.tests!) as { passed: number; failed: number };
    expect(counts.failed).toBe(3);
    const junit = await readFile(r.outputs.junit!, 'utf8');
    expect(junit).toContain('name="[build failed]"');
    expect(junit).toContain('<failure message="Failed">');
  });

  it('classifies a missing module and a type mismatch, and still runs the packages that build', async () => {
    const repo = await fixtureRepo('hello', {
      history: [
        {
          message: 'break the build',
          files: {
            'ext/ext.go': 'package ext\n\nimport _ "github.com/not/there"\n',
            'tm/tm.go': 'package tm\n\n// F mixes types.\nfunc F() string {\n\tvar n int = "x"\n\treturn n\n}\n',
          },
        },
      ],
    });
    const r = await gate(repo.dir, { checks: 'vet,test,race' });
    expect(r.exitCode, r.log).toBe(1);
    const rep = await report(r);
    const where = (cls: string): string[] => rep.findings.filter((f) => f.class === cls).map((f) => `${f.file}:${f.line}`);
    expect(where('missing-module')).toEqual(['ext/ext.go:3']);
    expect(where('type-mismatch')).toEqual(['tm/tm.go:5', 'tm/tm.go:6']);
    const missing = rep.findings.find((f) => f.class === 'missing-module')!;
    expect(missing.message).toContain('no required module provides package github.com/not/there');
    expect(missing.hint).toContain('go get');
    // the root package built and its tests ran
    expect(JSON.parse(r.outputs.tests!)).toEqual({ passed: 2, failed: 0, skipped: 0 });
    const junit = await readFile(r.outputs.junit!, 'utf8');
    expect(junit).toMatch(
      /<testsuite name="example.com\/hello\/ext" tests="1" failures="1"[^>]*>\n\s*<testcase classname="example.com\/hello\/ext" name="\[build failed\]"[^>]*>\n\s*<failure message="Failed">[^<]*no required module provides package github.com\/not\/there/,
    );
  });

  it('caps annotations per type, lists every finding in the summary, and fail-fast skips the expensive checks', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`ugly${String(i).padStart(2, '0')}.go`] = `package main\n\nfunc   ugly${i}() {}\n`;
    const repo = await fixtureRepo('hello', { history: [{ message: 'ugly', files }] });
    const r = await gate(repo.dir, { checks: 'fmt,test,staticcheck', 'max-annotations': 4, 'fail-fast': true });
    expect(r.exitCode, r.log).toBe(1);
    expect(errorsOf(r)).toHaveLength(4);
    expect(errorsOf(r).map((a) => a.file)).toEqual(['ugly00.go', 'ugly01.go', 'ugly02.go', 'ugly03.go']);
    expect(r.summary).toContain('### Findings (12; 4 annotated)');
    for (let i = 0; i < 12; i++) expect(r.summary).toContain(`| ugly${String(i).padStart(2, '0')}.go:3 |`);
    const rep = await report(r);
    expect(rep.findings).toHaveLength(12);
    expect(rep.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['fmt:failed', 'test:skipped', 'staticcheck:skipped']);
    expect(r.log).not.toContain('▶ test');
  });
});

describe('go-quality-gate pull-request diff coverage', () => {
  it('measures the changed lines against the base from the event payload, for a module in a subfolder', async () => {
    // A repository whose Go module lives in svc/: paths in annotations are repository-relative.
    const root = await tempDir('goship-mono-');
    await cp(path.join(fixturesDir, 'hello'), path.join(root, 'svc'), { recursive: true });
    const repo = new GitRepo(root);
    await repo.git('init', '-q', '-b', 'main');
    await repo.commit({ message: 'chore: import', files: { 'README.md': '# mono\n' } });
    const base = await repo.head();
    await repo.commit({
      message: 'feat: shout',
      files: {
        'README.md': '# mono\n\nNow it shouts.\n',
        'svc/shout.go':
          'package main\n\nimport "strings"\n\n// Shout upper-cases s, or returns "" for "".\nfunc Shout(s string) string {\n\tif s == "" {\n\t\treturn ""\n\t}\n\treturn strings.ToUpper(s) + "!"\n}\n',
        'svc/shout_test.go':
          'package main\n\nimport "testing"\n\nfunc TestShout(t *testing.T) {\n\tif Shout("a") != "A!" {\n\t\tt.Fatal("no")\n\t}\n}\n',
      },
    });
    const event = { pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: await repo.head() } } };
    const r = await gate(
      root,
      { checks: 'test,race,coverage', 'diff-coverage-threshold': 90, 'working-directory': 'svc' },
      { GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'feat', GITHUB_REF: 'refs/pull/7/merge' },
      { event, eventName: 'pull_request' },
    );
    expect(r.exitCode, r.log).toBe(1);
    const rep = await report(r);
    // Changed statement lines in shout.go: 7 (if), 8 (return ""), 10 (return upper); line 8 never runs.
    expect(rep.coverage!.diff).toMatchObject({ lines: 3, covered: 2, percent: 66.7 });
    const a = errorsOf(r).find((x) => x.properties.title!.startsWith('coverage'));
    expect(a).toMatchObject({ file: 'svc/shout.go', line: 8 });
    expect(r.summary).toContain('**Changed lines**');
    expect(r.summary).toContain('| svc/shout.go | 3 | 8 |');
    expect(r.summary).toContain('| svc/main.go | 73.3% | 15 |');
  });
});

describe('go-quality-gate vulnerabilities with an offline database', () => {
  it('tells a called vulnerable symbol from an imported-only one and applies fail-on-vuln', async () => {
    const repo = await fixtureRepo('multi');
    // The offline database lives in the workspace (vuln-db is confined to it and RUNNER_TEMP), in a
    // hidden folder the go command and the result cache's key leave alone.
    await buildVulnDb(
      [
        { id: 'GO-2099-0001', module: 'github.com/google/uuid', symbols: ['NewString'], fixed: '1.6.1', aliases: ['CVE-2099-0001'] },
        { id: 'GO-2099-0002', module: 'github.com/google/uuid', symbols: ['NewDCEGroup'], fixed: '1.7.0' },
      ],
      path.join(repo.dir, '.vulndb'),
    );
    const db = { dir: '.vulndb' };
    // An empty tool cache: the action installs govulncheck itself (go install, pinned) and caches it.
    const emptyCache = await tempDir('goship-empty-toolcache-');
    const vulnCache = { GOSHIP_GOVULNCHECK_CACHE: await tempDir('goship-vulncache-') };
    const r = await gate(repo.dir, { checks: 'vuln', 'vuln-db': db.dir }, vulnCache, { toolCache: emptyCache });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.log).toContain('go install golang.org/x/vuln/cmd/govulncheck@v1.8.0');
    expect(existsSync(path.join(emptyCache, 'govulncheck', '1.8.0', process.arch, 'govulncheck'))).toBe(true);
    expect(JSON.parse(r.outputs.vulns!)).toEqual([
      {
        id: 'GO-2099-0001',
        aliases: ['CVE-2099-0001'],
        module: 'github.com/google/uuid',
        found: 'v1.6.0',
        fixed: 'v1.6.1',
        reachability: 'called',
        symbol: 'github.com/google/uuid.NewString',
      },
      { id: 'GO-2099-0002', aliases: [], module: 'github.com/google/uuid', found: 'v1.6.0', fixed: 'v1.7.0', reachability: 'imported' },
    ]);
    const errs = errorsOf(r);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ file: 'internal/store/store.go', line: 28 });
    expect(r.annotations.some((a) => a.type === 'warning' && a.message.startsWith('GO-2099-0002'))).toBe(true);
    expect(r.summary).toContain(
      '| [GO-2099-0001](https://pkg.go.dev/vuln/GO-2099-0001) | github.com/google/uuid | v1.6.0 | v1.6.1 | called |',
    );

    // An unreachable database is a tool problem with a hint, not a compile error.
    const r4 = await gate(repo.dir, { checks: 'vuln', 'vuln-db': 'http://127.0.0.1:9' }, vulnCache);
    expect(r4.exitCode).toBe(1);
    const unreachable = (await report(r4)).findings;
    expect(unreachable).toEqual([expect.objectContaining({ check: 'vuln', class: 'tool' })]);
    expect(unreachable[0]!.hint).toContain('set `vuln-db` to a reachable mirror');

    // Unchanged module, tool, Go and database: the result comes from the govulncheck cache; under
    // fail-on-vuln: any the imported-only advisory fails the gate too.
    const r3 = await gate(repo.dir, { checks: 'vuln', 'vuln-db': db.dir, 'fail-on-vuln': 'any' }, vulnCache);
    expect(r3.log).toContain('govulncheck: result from the cache');
    expect(r3.outputs.vulns).toBe(r.outputs.vulns);
    expect(r3.exitCode).toBe(1);
    expect(errorsOf(r3).map((a) => `${a.message.slice(0, 12)} ${a.file}`)).toEqual([
      'GO-2099-0001 internal/store/store.go',
      'GO-2099-0002 go.mod',
    ]);

    // With fail-on-vuln: none the same result only warns.
    const r5 = await gate(repo.dir, { checks: 'vuln', 'vuln-db': db.dir, 'fail-on-vuln': 'none' }, vulnCache);
    expect(r5.exitCode, r5.log).toBe(0);
    expect(r5.outputs.passed).toBe('true');
    expect(r5.annotations.filter((a) => a.type === 'warning' && a.message.startsWith('GO-2099'))).toHaveLength(2);
  });
});

describe('go-quality-gate golangci-lint', () => {
  it('adds golangci-lint when the module has a .golangci.yml, reports its issues, and formats with the gofumpt it configures', async () => {
    const repo = await fixtureRepo('hello', {
      history: [
        {
          message: 'lint',
          files: {
            '.golangci.yml': 'version: "2"\nformatters:\n  enable:\n    - gofumpt\n',
            // gofmt accepts this file; gofumpt removes the empty line at the start of the block
            'fum.go': 'package main\n\nfunc fum() string {\n\n\treturn Greeting("fum")\n}\n\nvar _ = fum\n',
          },
        },
      ],
    });
    const r = await gate(repo.dir, { checks: 'fmt' });
    expect(r.exitCode, r.log).toBe(1);
    const rep = await report(r);
    expect(rep.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['fmt:failed', 'golangci-lint:failed']);
    const fmt = rep.findings.filter((f) => f.check === 'fmt');
    expect(fmt.map((f) => `${f.class} ${f.file}:${f.line} ${f.message}`)).toEqual([
      'format fum.go:4 fum.go is not gofumpt-formatted (1 line differ)',
    ]);
    const errcheck = rep.findings.filter((f) => f.check === 'golangci-lint' && f.message.startsWith('errcheck'));
    expect(errcheck.map((f) => `${f.file}:${f.line}`)).toEqual(['main.go:31', 'main.go:34']);
    expect(errcheck[0]!.message).toContain('errcheck: Error return value of `fmt.Fprintf` is not checked');
  });
});

describe('go-quality-gate benchmarks', () => {
  it('records results, does not flag unchanged code, and catches a slowed benchmark', async () => {
    const repo = await fixtureRepo('hello');
    const inputs = { checks: 'fmt', bench: 'Greeting', 'bench-count': 6, 'test-args': '-benchtime=20000x' };
    const first = await gate(repo.dir, inputs);
    expect(first.exitCode, first.log).toBe(0);
    // The previous run's results, brought into the workspace (as a downloaded artifact would be).
    expect(existsSync(first.outputs['bench-results']!)).toBe(true);
    const baseline = 'bench-baseline.txt';
    await cp(first.outputs['bench-results']!, path.join(repo.dir, baseline));
    expect((await readFile(path.join(repo.dir, baseline), 'utf8')).match(/^BenchmarkGreeting/gm)).toHaveLength(6);
    expect(first.summary).toContain('no baseline');

    // Unchanged code: allow for a noisy shared machine with a generous threshold.
    const same = await gate(repo.dir, { ...inputs, 'bench-baseline': baseline, 'bench-threshold': 100 });
    expect(same.exitCode, same.log).toBe(0);
    expect(same.summary).toContain('| example.com/hello.BenchmarkGreeting |');

    const main = await repo.read('main.go');
    await repo.commit({
      message: 'perf: slower',
      files: {
        'main.go': main.replace(
          'return "Hello, " + name + "!"',
          'for i := 0; i < 300; i++ {\n\t\tname = string([]byte(name))\n\t}\n\treturn "Hello, " + name + "!"',
        ),
      },
    });
    const slow = await gate(repo.dir, { ...inputs, 'bench-baseline': baseline, 'bench-threshold': 100 });
    expect(slow.exitCode, slow.log).toBe(1);
    const rep = await report(slow);
    expect(rep.findings).toEqual([expect.objectContaining({ check: 'bench', class: 'bench-regression' })]);
    expect(rep.findings[0]!.message).toMatch(/example\.com\/hello\.BenchmarkGreeting: [\d.]+% slower .*p=0\.00\d/);
  });
});

describe('go-quality-gate bad input', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['checks', { checks: 'fmt,lint' }, /Input "checks": got "lint"/],
    ['coverage-threshold', { 'coverage-threshold': '150' }, /Input "coverage-threshold": got "150"; expected a number from 0 to 100/],
    ['coverage-threshold', { 'coverage-threshold': 'high' }, /Input "coverage-threshold": got "high"/],
    ['coverage-rules', { 'coverage-rules': 'branch:main: 60\nrelease 85' }, /Input "coverage-rules": got "release 85"/],
    ['vuln-db', { 'vuln-db': 'no/such/db' }, /Input "vuln-db": got "no\/such\/db"; expected an existing folder/],
    ['fail-on-vuln', { 'fail-on-vuln': 'sometimes' }, /Input "fail-on-vuln": got "sometimes"; expected one of `called`, `any`, `none`/],
  ];
  it.each(cases)('%s: fails with an ::error:: naming the input before any check runs', async (_name, inputs, re) => {
    const repo = await fixtureRepo('hello');
    const r = await gate(repo.dir, inputs);
    expect(r.exitCode).toBe(1);
    const err = r.annotations.find((a) => a.type === 'error');
    expect(err?.message).toMatch(new RegExp(`^go-quality-gate: ${re.source}`));
    expect(r.log).not.toContain('▶');
    expect(r.outputs.passed).toBeUndefined();
  });
});

describe('go-quality-gate and the module go line', () => {
  it('explains tools built with an older Go than the module targets (the golangci-lint "lower than the targeted Go version" case)', async () => {
    // go 1.27.0: the go command switches to the go1.27.0 toolchain (from the module proxy); the
    // pinned tools in the cache were built with the Go on PATH, which is older.
    const repo = await fixtureRepo('hello', {
      history: [{ message: 'go 1.27', files: { 'go.mod': 'module example.com/hello\n\ngo 1.27.0\n' } }],
    });
    const r = await gate(repo.dir, { checks: 'fmt,staticcheck,vuln' }, { GOTOOLCHAIN: 'auto' });
    expect(r.exitCode, r.log).toBe(1);
    const rep = await report(r);
    expect(rep.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['vuln:failed', 'fmt:passed', 'staticcheck:failed'].sort(byOrder));
    const tool = rep.findings.filter((f) => f.class === 'tool');
    expect(tool.map((f) => `${f.check} ${f.file}:${f.line}`).sort()).toEqual(['staticcheck go.mod:3', 'vuln go.mod:3']);
    expect(tool.find((f) => f.check === 'staticcheck')!.message).toMatch(
      /^staticcheck v0\.8\.2 was built with Go 1\.\d+\.\d+, older than the module's `go 1\.27\.0` line: .* rebuilt with the Go on PATH \(1\.27\.0\)/,
    );
  });

  it('fails before any check when the Go on PATH is older than the go line and may not switch', async () => {
    const repo = await fixtureRepo('hello', {
      history: [{ message: 'go 1.27', files: { 'go.mod': 'module example.com/hello\n\ngo 1.27.0\n' } }],
    });
    const r = await gate(repo.dir, {}, { GOTOOLCHAIN: 'local' });
    expect(r.exitCode).toBe(1);
    const err = r.annotations.find((a) => a.type === 'error');
    expect(err?.message).toMatch(
      /^go-quality-gate: The Go on PATH \(1\.\d+\.\d+\) is older than go.mod's `go 1\.27\.0` line, and GOTOOLCHAIN=local/,
    );
    expect(r.log).not.toContain('▶');
  });
});

const ORDER = ['fmt', 'mod', 'vet', 'test', 'staticcheck', 'golangci-lint', 'vuln', 'race', 'coverage', 'bench'];
function byOrder(a: string, b: string): number {
  return ORDER.indexOf(a.split(':')[0]!) - ORDER.indexOf(b.split(':')[0]!);
}
