/**
 * The checks, in the order the report lists them (and, within a cost, the order they start in).
 * Adding a check: one file in this folder and one entry here.
 */
import { bench } from './bench.js';
import type { Check } from './check.js';
import { coverage } from './coverage.js';
import { fmt } from './fmt.js';
import { golangciLint } from './golangci-lint.js';
import { mod } from './mod.js';
import { race } from './race.js';
import { staticcheck } from './staticcheck.js';
import { test } from './test.js';
import { vet } from './vet.js';
import { vuln } from './vuln.js';

export const CHECKS: readonly Check[] = [fmt, mod, vet, test, staticcheck, golangciLint, vuln, race, coverage, bench];

export function checkNamed(name: string): Check {
  const c = CHECKS.find((x) => x.name === name);
  if (!c) throw new Error(`no check named ${name}`);
  return c;
}
