/**
 * test: one `go test -json` run with coverage (and `-race` when the race check is on). The race
 * and coverage checks read its results, so it runs whenever one of them is asked for; a failing
 * test fails the gate then too. Test failures, panics, timeouts and build errors always fail.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { commandFailure, runTool, tagsArgs } from '../command.js';
import { parseProfile, summarize } from '../coverage.js';
import type { Finding } from '../findings.js';
import type { GateContext } from '../gate.js';
import { collectTests, junitXml, parseTestEvents, testFindings } from '../gotest.js';
import { defineCheck } from './check.js';

/**
 * The go test command line. Packages come before test-args: the go command reads flags after the
 * package list too, and a `-args` in test-args then hands only what follows it to the test binary.
 */
export function testArgv(g: GateContext, profilePath: string, race: boolean): string[] {
  return [
    'test',
    '-json',
    ...(race ? ['-race'] : []),
    '-covermode=atomic',
    `-coverprofile=${profilePath}`,
    ...tagsArgs(g.cfg.buildTags),
    ...g.cfg.packages,
    ...g.cfg.testArgs,
  ];
}

async function runTests(g: GateContext): Promise<Finding[]> {
  const profilePath = path.join(g.outDir, 'coverage.out');
  await rm(profilePath, { force: true });
  const raceChecked = g.enabled.has('race');
  const r = await runTool('go', testArgv(g, profilePath, raceChecked && g.cfg.race), { cwd: g.cfg.workdir });
  const { events, stray } = parseTestEvents(r.stdout);
  const report = collectTests(events);
  const junit = path.join(g.outDir, 'junit.xml');
  await writeFile(junit, junitXml(report));
  const profile = existsSync(profilePath) ? parseProfile(await readFile(profilePath, 'utf8')) : undefined;
  const findings = testFindings(report, g.paths);
  // The go command's own errors (bad flags, missing modules) arrive as stray text on stderr.
  if (r.code !== 0 && findings.length === 0 && report.counts.failed === 0) {
    findings.push(commandFailure('test', `${stray}${r.stderr}`.trim() || 'go test failed'));
  }
  const races = raceChecked ? findings.filter((f) => f.class === 'race').map((f) => ({ ...f, check: 'race' })) : [];
  g.test = {
    report,
    profile,
    coverage: profile && summarize(profile),
    junit,
    profilePath,
    races,
    failed: findings.some((f) => f.severity === 'error'),
  };
  return raceChecked ? findings.filter((f) => f.class !== 'race') : findings;
}

export const test = defineCheck({
  name: 'test',
  cost: 'costly',
  byDefault: true,
  needsTestRun: true,
  run: runTests,
  note: (g) => {
    const c = g.test?.report.counts;
    const counts = c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : '';
    return g.enabled.has('test') ? counts : `${counts} (run for race/coverage)`;
  },
});
