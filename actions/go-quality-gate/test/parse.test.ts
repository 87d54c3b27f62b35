import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startOrder } from '../src/action.js';
import { configuredFormatter, parseVetJson } from '../src/checks.js';
import { parseRules, splitArgs } from '../src/config.js';
import { PathMapper, classifyCompileMessage, dedupe, parsePositionedLines, sortFindings, type Finding } from '../src/findings.js';
import { collectTests, junitXml, parseTestEvents, testFindings } from '../src/gotest.js';
import { toolGoMismatch } from '../src/tools.js';
import { failsPolicy, parseGovulncheck, vulnFindings } from '../src/vuln.js';

// Real outputs recorded from go 1.26 and govulncheck v1.8.0 on fixtures/go/hello (in /tmp/gqg/h)
// and fixtures/go/multi.
const data = (f: string): string => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', f), 'utf8');
const paths = new PathMapper('/tmp/gqg/h', '/tmp/gqg/h', 'example.com/hello');

describe('go test -json', () => {
  it('finds a failing test at its t.Errorf line and a data race at the first frame in the module', () => {
    const report = collectTests(parseTestEvents(data('test-fail-race.jsonl')).events);
    expect(report.counts).toEqual({ passed: 2, failed: 2, skipped: 0 });
    const f = testFindings(report, paths);
    expect(f.map((x) => `${x.class} ${x.file}:${x.line} ${x.message}`)).toEqual([
      'test-failure bad_test.go:6 TestFail: want 1 got 2',
      'race bad_test.go:12 TestRace: data race (read in example.com/hello.TestRace.func1())',
    ]);
  });

  it('reports a timeout at the test frame, not in the testing package', () => {
    const report = collectTests(parseTestEvents(data('test-timeout.jsonl')).events);
    const f = testFindings(report, paths);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ class: 'timeout', file: 'bad_test.go', line: 6, message: 'TestSlow: test timed out after 2s' });
  });

  it('classifies a build failure from build-output events', () => {
    const report = collectTests(parseTestEvents(data('test-build-fail.jsonl')).events);
    expect(report.packages[0]).toMatchObject({ package: 'example.com/hello', status: 'build-fail' });
    const f = testFindings(report, paths);
    expect(f).toEqual([
      expect.objectContaining({ class: 'undefined-symbol', file: 'bad_test.go', line: 6, column: 2, message: 'undefined: undefinedThing' }),
    ]);
    expect(junitXml(report)).toContain('name="[build failed]"');
  });

  it('finds a panic and attributes a subtest failure to the subtest', () => {
    const ev = (o: object): string => JSON.stringify({ Package: 'example.com/hello', ...o });
    const text = [
      ev({ Action: 'run', Test: 'TestP' }),
      ev({ Action: 'output', Test: 'TestP', Output: 'panic: boom [recovered]\n' }),
      ev({
        Action: 'output',
        Test: 'TestP',
        Output: 'goroutine 7 [running]:\nexample.com/hello.TestP(0xc)\n\t/tmp/gqg/h/p_test.go:9 +0x1d\n',
      }),
      ev({ Action: 'fail', Test: 'TestP', Elapsed: 0 }),
      ev({ Action: 'run', Test: 'TestT' }),
      ev({ Action: 'run', Test: 'TestT/case_1' }),
      ev({ Action: 'output', Test: 'TestT/case_1', Output: '    t_test.go:14: got 3\n' }),
      ev({ Action: 'fail', Test: 'TestT/case_1', Elapsed: 0 }),
      ev({ Action: 'fail', Test: 'TestT', Elapsed: 0 }),
      ev({ Action: 'skip', Test: 'TestS', Elapsed: 0 }),
      ev({ Action: 'fail', Elapsed: 0.1 }),
      'go: warning: something not JSON',
    ].join('\n');
    const parsed = parseTestEvents(text);
    expect(parsed.stray).toBe('go: warning: something not JSON\n');
    const report = collectTests(parsed.events);
    expect(report.counts).toEqual({ passed: 0, failed: 3, skipped: 1 });
    const f = testFindings(report, paths);
    expect(f.map((x) => `${x.class} ${x.file}:${x.line}`)).toEqual(['panic p_test.go:9', 'test-failure t_test.go:14']);
    const xml = junitXml(report);
    expect(xml).toMatch(/<testsuites tests="4" failures="3" errors="0" skipped="1">/);
    expect(xml).toContain('<testcase classname="example.com/hello" name="TestT/case_1" time="0.000">');
  });
});

describe('go vet', () => {
  it('reads analyzer diagnostics from the JSON and type errors from the text', () => {
    const diags = parseVetJson(data('vet-stdout.out'));
    expect(diags).toEqual([
      { analyzer: 'assign', diag: expect.objectContaining({ posn: '/tmp/gqg/v/vetbad.go:5:2', message: 'self-assignment of x' }) },
    ]);
    expect(parsePositionedLines(data('vet-stderr.txt'))).toEqual([
      { file: 'sub/sub.go', line: 4, column: 9, message: 'undefined: missing' },
    ]);
  });
});

describe('classification', () => {
  it.each([
    ['undefined: foo', 'undefined-symbol'],
    ['x.Bar undefined (type T has no field or method Bar)', 'undefined-symbol'],
    ['no required module provides package github.com/x/y; to add it:', 'missing-module'],
    ['missing go.sum entry for module providing package golang.org/x/text', 'missing-module'],
    ['cannot use 1 (untyped int constant) as string value in variable declaration', 'type-mismatch'],
    ['invalid operation: a + b (mismatched types int and string)', 'type-mismatch'],
    ['declared and not used: s', 'compile'],
  ])('%s → %s', (msg, cls) => {
    expect(classifyCompileMessage(msg)).toBe(cls);
  });

  it('keeps one copy of a compile error seen by several checks and orders errors by class', () => {
    const base = { severity: 'error' as const, file: 'a.go', line: 3, hint: 'h' };
    const fs: Finding[] = [
      { ...base, check: 'fmt', class: 'format', message: 'not formatted' },
      { ...base, check: 'vet', class: 'undefined-symbol', column: 2, message: 'undefined: x' },
      { ...base, check: 'test', class: 'undefined-symbol', column: 2, message: 'undefined: x' },
      { ...base, check: 'vet', class: 'vet', message: 'printf' },
    ];
    expect(sortFindings(dedupe(fs)).map((f) => `${f.check}:${f.class}`)).toEqual(['vet:undefined-symbol', 'vet:vet', 'fmt:format']);
  });

  it('maps tool paths to workspace-relative ones', () => {
    const p = new PathMapper('/repo', '/repo/svc', 'example.com/svc');
    expect(p.rel('./x.go')).toBe('svc/x.go');
    expect(p.rel('/repo/svc/a/b.go')).toBe('svc/a/b.go');
    expect(p.rel('/elsewhere/c.go')).toBe('/elsewhere/c.go');
    expect(p.packageDir('example.com/svc/a [example.com/svc/a.test]')).toBe('/repo/svc/a');
    expect(p.packageDir('github.com/other')).toBeUndefined();
    expect(p.profileFile('example.com/svc/a/b.go')).toBe('svc/a/b.go');
  });
});

describe('govulncheck -json', () => {
  it('reports a called symbol with the call site in the main module', () => {
    const { vulns, goVersion } = parseGovulncheck(data('govulncheck.out'), 'example.com/multi');
    expect(goVersion).toBe('go1.26.8');
    const v1 = vulns.find((v) => v.id === 'GO-2099-0001')!;
    expect(v1).toMatchObject({
      module: 'github.com/google/uuid',
      found: 'v1.6.0',
      fixed: 'v1.6.1',
      reach: 'called',
      symbol: 'github.com/google/uuid.NewString',
      callSite: { file: 'internal/store/store.go', line: 28, column: 29 },
    });
    const mp = new PathMapper('/w', '/w', 'example.com/multi');
    const [f] = vulnFindings([v1], 'called', mp);
    expect(f).toMatchObject({ class: 'vuln', severity: 'error', file: 'internal/store/store.go', line: 28 });
    expect(f!.hint).toBe('Run `go get github.com/google/uuid@v1.6.1` and commit go.mod and go.sum.');
  });

  it('keeps the deepest reach per advisory and applies the policy', () => {
    const text = [
      { osv: { id: 'GO-1', aliases: [] } },
      { finding: { osv: 'GO-1', fixed_version: 'v2.0.0', trace: [{ module: 'm', version: 'v1.0.0' }] } },
      { finding: { osv: 'GO-1', fixed_version: 'v2.0.0', trace: [{ module: 'm', version: 'v1.0.0', package: 'm/p' }] } },
      { finding: { osv: 'GO-2', trace: [{ module: 'n', version: 'v0.1.0' }] } },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { vulns } = parseGovulncheck(text, 'example.com/x');
    expect(vulns.map((v) => `${v.id}:${v.reach}`)).toEqual(['GO-1:imported', 'GO-2:required']);
    expect(vulns.map((v) => failsPolicy(v, 'called'))).toEqual([false, false]);
    expect(vulns.map((v) => failsPolicy(v, 'any'))).toEqual([true, true]);
    expect(vulns.map((v) => failsPolicy(v, 'none'))).toEqual([false, false]);
    const f = vulnFindings(vulns, 'called', new PathMapper('/w', '/w', 'example.com/x'));
    expect(f.map((x) => `${x.severity} ${x.file}`)).toEqual(['warning go.mod', 'warning go.mod']);
    expect(f[1]!.message).toContain('no fix yet');
  });
});

describe('tool built with an older Go', () => {
  const tool = { name: 'golangci-lint' as const, version: 'v2.15.0', path: '/x', builtWith: '1.24.3' };
  it('is explained when the module targets a newer Go', () => {
    const msg = toolGoMismatch(tool, '1.25.0', '1.26.8');
    expect(msg).toContain("golangci-lint v2.15.0 was built with Go 1.24.3, older than the module's `go 1.25.0` line");
    expect(msg).toContain('rebuilt with the Go on PATH (1.26.8)');
    expect(toolGoMismatch(tool, '1.27', '1.26.8')).toContain('Set up Go 1.27 or newer');
  });
  it('is fine for the same or an older language version', () => {
    expect(toolGoMismatch(tool, '1.24.0', '1.26.8')).toBeUndefined();
    expect(toolGoMismatch(tool, '1.24.9', '1.26.8')).toBeUndefined();
    expect(toolGoMismatch({ ...tool, name: 'govulncheck' }, '1.25', '1.26.8')).toContain('govulncheck v2.15.0 was built with Go 1.24.3');
    expect(toolGoMismatch(tool, undefined, '1.26.8')).toBeUndefined();
  });
});

describe('scheduling and configuration', () => {
  it('starts govulncheck first when there are two or more cores, else keeps cheap checks first', () => {
    const names = ['fmt', 'mod', 'vet', 'test', 'staticcheck', 'vuln'] as const;
    expect(startOrder([...names], 2)).toEqual(['vuln', 'fmt', 'mod', 'vet', 'test', 'staticcheck']);
    expect(startOrder([...names], 1)).toEqual([...names]);
    expect(startOrder(['fmt', 'test'], 4)).toEqual(['fmt', 'test']);
  });

  it('recognises gofumpt in a golangci-lint config', () => {
    expect(configuredFormatter('version: "2"\nformatters:\n  enable:\n    - gofumpt\n')).toBe('gofumpt');
    expect(configuredFormatter('version: "2"\nlinters:\n  enable: [errcheck]\n')).toBeUndefined();
    expect(configuredFormatter(undefined)).toBeUndefined();
  });

  it('parses coverage rules and refuses malformed ones', () => {
    expect(parseRules(['branch:release/*: 85', 'package:./internal/...: 70.5%'])).toEqual([
      { kind: 'branch', pattern: 'release/*', min: 85, text: 'branch:release/*: 85' },
      { kind: 'package', pattern: './internal/...', min: 70.5, text: 'package:./internal/...: 70.5%' },
    ]);
    expect(() => parseRules(['release 85'])).toThrow(/Input "coverage-rules": got "release 85"/);
    expect(() => parseRules(['branch:main: 120'])).toThrow(/percent from 0 to 100/);
    expect(() => parseRules(['tag:v1: 50'])).toThrow(/coverage-rules/);
  });

  it('splits test-args without a shell', () => {
    expect(splitArgs('-timeout=5m -short\n-run TestX\n# comment\n')).toEqual(['-timeout=5m', '-short', '-run', 'TestX']);
  });
});
