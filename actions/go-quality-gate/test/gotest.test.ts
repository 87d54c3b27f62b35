import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PathMapper } from '../src/findings.js';
import { collectTests, junitXml, parseTestEvents, testFindings } from '../src/gotest.js';

// Real outputs recorded from go 1.26 on fixtures/go/hello (in /tmp/gqg/h).
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
