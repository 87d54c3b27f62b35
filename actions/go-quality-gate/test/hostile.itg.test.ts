import { actionDir, fixturesDir, goEnv, runTool } from '@goship/testkit';
import { existsSync } from 'node:fs';
import { type HostileCase, type HostileWorkspace, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The hostile-input catalogue of go-quality-gate: every case must be refused before any side
// effect, with an ::error:: naming the input, no stack, nothing written in the trap folder, no
// refused file's content printed. `{trap}` stands for the trap folder's absolute path. The module
// holds pwn.sh, which writes into the trap when anything runs it (-toolexec, -exec).
const dir = actionDir('go-quality-gate');
let ws: HostileWorkspace;

const LONG = 'a'.repeat(5000);
const cases: HostileCase[] = [
  // Package patterns: never flags, never shell, never outside the module.
  {
    name: 'packages: -toolexec=./pwn.sh (reached go vet/go test as a flag and ran the script)',
    inputs: { packages: '-toolexec=./pwn.sh' },
    input: 'packages',
  },
  { name: 'packages: -exec=./pwn.sh (reached go vet)', inputs: { packages: '-exec=./pwn.sh' }, input: 'packages' },
  { name: 'packages: a flag after a good pattern', inputs: { packages: './...\n-toolexec=./pwn.sh' }, input: 'packages' },
  { name: 'packages: --', inputs: { packages: '--' }, input: 'packages' },
  { name: 'packages: $(touch X)', inputs: { packages: '$(touch X)' }, input: 'packages' },
  { name: 'packages: $(…) writing into the trap', inputs: { packages: '$(touch ../../trap/dollar)' }, input: 'packages' },
  { name: 'packages: backticks', inputs: { packages: '`touch ../../trap/backtick`' }, input: 'packages' },
  { name: 'packages: ; and a command', inputs: { packages: './...;touch ../../trap/semicolon' }, input: 'packages' },
  { name: 'packages: a pipe', inputs: { packages: './... | sh' }, input: 'packages' },
  { name: 'packages: ../../../../etc', inputs: { packages: '../../../../etc' }, input: 'packages' },
  { name: 'packages: ./../ out of the module', inputs: { packages: './../../trap/...' }, input: 'packages' },
  { name: 'packages: /etc (absolute)', inputs: { packages: '/etc' }, input: 'packages' },
  { name: 'packages: the trap, absolute', inputs: { packages: '{trap}' }, input: 'packages' },
  { name: 'packages: a symlink out of the module', inputs: { packages: './trap-link/...' }, input: 'packages' },
  { name: 'packages: a folder that does not exist', inputs: { packages: './nowhere/...' }, input: 'packages' },
  { name: 'packages: " , " selects nothing', inputs: { packages: ' , ' }, input: 'packages' },
  { name: 'packages: CR/LF inside a pattern', inputs: { packages: '.\r\n-exec=./pwn.sh' }, input: 'packages' },
  { name: 'packages: very long', inputs: { packages: `./${LONG}` }, input: 'packages' },
  { name: 'packages: unicode', inputs: { packages: './ünïcødé/...' }, input: 'packages' },
  // Checks and enums.
  { name: 'checks: " , " (passed having run nothing)', inputs: { checks: ' , ' }, input: 'checks' },
  { name: 'checks: an unknown check', inputs: { checks: 'fmt,lint' }, input: 'checks' },
  { name: 'checks: shell syntax', inputs: { checks: 'fmt;touch ../../trap/x' }, input: 'checks' },
  { name: 'checks: CR/LF and a command', inputs: { checks: 'vet\r\nrm -rf /' }, input: 'checks' },
  { name: 'checks: very long unicode', inputs: { checks: 'ü'.repeat(3000) }, input: 'checks' },
  { name: 'fail-on-vuln: unknown policy', inputs: { 'fail-on-vuln': 'sometimes' }, input: 'fail-on-vuln' },
  { name: 'fail-on-vuln: CR/LF between two values', inputs: { 'fail-on-vuln': 'called\r\nnone' }, input: 'fail-on-vuln' },
  { name: 'race: not a boolean', inputs: { race: 'maybe' }, input: 'race' },
  { name: 'fail-fast: not a boolean', inputs: { 'fail-fast': 'yes please' }, input: 'fail-fast' },
  { name: 'new-only: not a boolean', inputs: { 'new-only': 'perhaps' }, input: 'new-only' },
  { name: 'new-only: $(…)', inputs: { 'new-only': '$(true)' }, input: 'new-only' },
  // Numbers.
  { name: 'max-annotations: negative', inputs: { 'max-annotations': '-1' }, input: 'max-annotations' },
  { name: 'max-annotations: exponent', inputs: { 'max-annotations': '1e3' }, input: 'max-annotations' },
  { name: 'max-annotations: 400 digits', inputs: { 'max-annotations': '9'.repeat(400) }, input: 'max-annotations' },
  { name: 'coverage-threshold: above 100', inputs: { 'coverage-threshold': '150' }, input: 'coverage-threshold' },
  { name: 'coverage-threshold: NaN', inputs: { 'coverage-threshold': 'NaN' }, input: 'coverage-threshold' },
  { name: 'diff-coverage-threshold: negative', inputs: { 'diff-coverage-threshold': '-5' }, input: 'diff-coverage-threshold' },
  { name: 'bench-threshold: a word', inputs: { 'bench-threshold': 'fast' }, input: 'bench-threshold' },
  { name: 'bench-count: below 2', inputs: { 'bench-count': '1' }, input: 'bench-count' },
  { name: 'bench-count: hexadecimal', inputs: { 'bench-count': '0x10' }, input: 'bench-count' },
  // Coverage rules: their package patterns follow the same grammar.
  { name: 'coverage-rules: a malformed line', inputs: { 'coverage-rules': 'branch:main: 60\nrelease 85' }, input: 'coverage-rules' },
  {
    name: 'coverage-rules: a package rule out of the module',
    inputs: { 'coverage-rules': 'package:../../trap: 50' },
    input: 'coverage-rules',
  },
  {
    name: 'coverage-rules: a package rule that is a flag',
    inputs: { 'coverage-rules': 'package:-toolexec=./pwn.sh: 50' },
    input: 'coverage-rules',
  },
  // working-directory.
  { name: 'working-directory: ../ out of the workspace', inputs: { 'working-directory': '../../trap' }, input: 'working-directory' },
  { name: 'working-directory: the trap, absolute', inputs: { 'working-directory': '{trap}' }, input: 'working-directory' },
  { name: 'working-directory: /etc', inputs: { 'working-directory': '/etc' }, input: 'working-directory' },
  { name: 'working-directory: a symlink out of the workspace', inputs: { 'working-directory': 'trap-link' }, input: 'working-directory' },
  { name: 'working-directory: no go.mod there', inputs: { 'working-directory': 'does-not-exist' }, input: 'working-directory' },
  { name: 'working-directory: CR/LF', inputs: { 'working-directory': '.\r\n..' }, input: 'working-directory' },
  // bench-baseline: never read from outside.
  { name: 'bench-baseline: /etc/passwd (was read)', inputs: { 'bench-baseline': '/etc/passwd', bench: '.' }, input: 'bench-baseline' },
  { name: 'bench-baseline: ../ into the trap', inputs: { 'bench-baseline': '../../trap/passwd' }, input: 'bench-baseline' },
  { name: 'bench-baseline: the trap, absolute', inputs: { 'bench-baseline': '{trap}/passwd' }, input: 'bench-baseline' },
  { name: 'bench-baseline: through a symlink', inputs: { 'bench-baseline': 'trap-link/passwd' }, input: 'bench-baseline' },
  // vuln-db.
  { name: 'vuln-db: ../ into the trap', inputs: { 'vuln-db': '../../trap' }, input: 'vuln-db' },
  { name: 'vuln-db: a file:// URL out of the workspace', inputs: { 'vuln-db': 'file:///etc' }, input: 'vuln-db' },
  { name: 'vuln-db: a file:// URL of the trap', inputs: { 'vuln-db': 'file://{trap}' }, input: 'vuln-db' },
  { name: 'vuln-db: through a symlink', inputs: { 'vuln-db': 'trap-link' }, input: 'vuln-db' },
  { name: 'vuln-db: another scheme', inputs: { 'vuln-db': 'ftp://mirror.example/db' }, input: 'vuln-db' },
  { name: 'vuln-db: a javascript: URL', inputs: { 'vuln-db': 'javascript:alert(1)' }, input: 'vuln-db' },
  // Build tags, the flags input, the benchmark regex, tool versions.
  { name: 'build-tags: a flag', inputs: { 'build-tags': '-toolexec=./pwn.sh' }, input: 'build-tags' },
  { name: 'build-tags: ; and a command', inputs: { 'build-tags': 'netgo;touch ../../trap/tags' }, input: 'build-tags' },
  { name: 'build-tags: $(…)', inputs: { 'build-tags': '$(id)' }, input: 'build-tags' },
  { name: 'test-args: an unterminated quote', inputs: { 'test-args': "-run 'TestX" }, input: 'test-args' },
  { name: 'bench: CR/LF in the regex', inputs: { bench: 'Bench\r\n-toolexec=./pwn.sh' }, input: 'bench' },
  { name: 'staticcheck-version: latest', inputs: { 'staticcheck-version': 'latest' }, input: 'staticcheck-version' },
  {
    name: 'golangci-lint-version: ; and a command',
    inputs: { 'golangci-lint-version': 'v2.15.0; rm -rf /' },
    input: 'golangci-lint-version',
  },
  { name: 'govulncheck-version: a path', inputs: { 'govulncheck-version': '../../../trap' }, input: 'govulncheck-version' },
];

beforeAll(async () => {
  ws = await hostileWorkspace(path.join(fixturesDir, 'hello'));
  const pwn = path.join(ws.module, 'pwn.sh');
  await writeFile(pwn, `#!/bin/sh\necho pwned > '${path.join(ws.trap, 'pwned')}'\nexec "$@"\n`);
  await chmod(pwn, 0o755);
});

describe('go-quality-gate refuses hostile input', () => {
  it('has a catalogue of at least 30 cases, and an armed trap: go vet -toolexec=pwn.sh does write into it', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const control = await hostileWorkspace(path.join(fixturesDir, 'hello'));
    await writeFile(path.join(control.module, 'pwn.sh'), `#!/bin/sh\necho pwned > '${path.join(control.trap, 'pwned')}'\nexec "$@"\n`, {
      mode: 0o755,
    });
    const r = await runTool('go', ['-C', control.module, 'vet', `-toolexec=${path.join(control.module, 'pwn.sh')}`, './...'], goEnv());
    expect(r.code, r.out).toBe(0);
    expect(existsSync(path.join(control.trap, 'pwned'))).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, v.replaceAll('{trap}', ws.trap)]));
    const { problems, result } = await runHostile(dir, ws, { ...c, inputs }, { env: goEnv() });
    expect(problems, result.log).toEqual([]);
    // Refused before any check ran.
    expect(result.log).not.toContain('▶');
  });
});
