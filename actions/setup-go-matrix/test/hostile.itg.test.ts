/**
 * The hostile-input catalogue of setup-go-matrix, run through the committed bundle: every case is
 * refused with an `::error::` naming its input, without a stack, without a write outside the
 * workspace, without printing the trap's content or the canary token (given as `git-token` in
 * every case), and without a download or a cache-service request. Listing the Go releases (the
 * download index stand-in's JSON) is the one request a version check may make.
 */
import { type CacheService, startCacheService } from '@goship/testkit/cache-service';
import { actionDir, fixturesDir, goEnv } from '@goship/testkit';
import { CANARIES, type HostileWorkspace, hostileWorkspace, runHostile } from '@goship/testkit/hostile';
import { rm, symlink, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = actionDir('setup-go-matrix');

interface Case {
  name: string;
  input: string;
  inputs: Record<string, string>;
  /** Changes the fresh workspace before the run (a planted file or symlink). */
  prepare?: (ws: HostileWorkspace) => Promise<void>;
}

const LONG = 'x'.repeat(20_000);

const CASES: Case[] = [
  // versions
  { name: 'a Go version that was never released', input: 'go-version', inputs: { 'go-version': '1.99.99' } },
  { name: 'a minor without any release', input: 'go-version', inputs: { 'go-version': '1.99' } },
  { name: 'four numbers', input: 'go-version', inputs: { 'go-version': '1.2.3.4' } },
  { name: 'a command substitution as version', input: 'go-version', inputs: { 'go-version': '$(touch ../../trap/pwned)' } },
  { name: 'an option as version', input: 'go-version', inputs: { 'go-version': '--help' } },
  { name: 'full-width digits', input: 'go-version', inputs: { 'go-version': '１.２４' } },
  { name: 'a 20 000-character version', input: 'go-version', inputs: { 'go-version': LONG } },
  { name: 'a range', input: 'go-version', inputs: { 'go-version': '>=1.21' } },
  // version files
  { name: 'go-version-file climbing out with ../', input: 'go-version-file', inputs: { 'go-version-file': '../../trap/passwd' } },
  { name: 'go-version-file absolute outside', input: 'go-version-file', inputs: { 'go-version-file': '/etc/passwd' } },
  { name: 'go-version-file through a symlink out', input: 'go-version-file', inputs: { 'go-version-file': 'trap-link/passwd' } },
  { name: 'a 20 000-character go-version-file', input: 'go-version-file', inputs: { 'go-version-file': `${LONG}/go.mod` } },
  { name: 'go-version-file of another name', input: 'go-version-file', inputs: { 'go-version-file': 'README.md' } },
  {
    name: 'go-version-file naming a version that was never released',
    input: 'go-version-file',
    inputs: { 'go-version-file': '.go-version' },
    prepare: (ws) => writeFile(path.join(ws.module, '.go-version'), '1.99.98\n'),
  },
  {
    name: 'go-version-file holding a command instead of a version',
    input: 'go-version-file',
    inputs: { 'go-version-file': '.go-version' },
    prepare: (ws) => writeFile(path.join(ws.module, '.go-version'), '$(id)\n'),
  },
  {
    name: "the module's go.mod is a symlink out",
    input: 'go-version-file',
    inputs: {},
    prepare: async (ws) => {
      await rm(path.join(ws.module, 'go.mod'));
      await symlink(path.join(ws.trap, 'passwd'), path.join(ws.module, 'go.mod'));
    },
  },
  // folders and dependency files
  { name: 'working-directory climbing out with ../', input: 'working-directory', inputs: { 'working-directory': '../../trap' } },
  { name: 'working-directory absolute outside', input: 'working-directory', inputs: { 'working-directory': '/tmp' } },
  { name: 'working-directory through a symlink out', input: 'working-directory', inputs: { 'working-directory': 'trap-link' } },
  { name: 'working-directory with a command in it', input: 'working-directory', inputs: { 'working-directory': '$(touch pwned)' } },
  { name: 'a 20 000-character working-directory', input: 'working-directory', inputs: { 'working-directory': LONG } },
  { name: 'cache-dependency-path climbing out', input: 'cache-dependency-path', inputs: { 'cache-dependency-path': '../../trap/passwd' } },
  { name: 'cache-dependency-path absolute', input: 'cache-dependency-path', inputs: { 'cache-dependency-path': '/etc/passwd' } },
  {
    name: 'cache-dependency-path glob through a symlink out',
    input: 'cache-dependency-path',
    inputs: { 'cache-dependency-path': 'trap-link/*' },
  },
  { name: 'a 20 000-character cache-dependency-path', input: 'cache-dependency-path', inputs: { 'cache-dependency-path': LONG } },
  { name: 'cache-dependency-path glob with ..', input: 'cache-dependency-path', inputs: { 'cache-dependency-path': '**/../../*' } },
  // platforms and groups
  { name: 'a shell command after a platform', input: 'platforms', inputs: { platforms: 'linux/amd64;rm -rf ~' } },
  { name: 'a path as platform', input: 'platforms', inputs: { platforms: '../../etc/passwd' } },
  { name: 'a port the toolchain does not have', input: 'platforms', inputs: { platforms: 'darwin/386', install: 'false' } },
  { name: 'no platform at all', input: 'platforms', inputs: { platforms: ',' } },
  { name: 'zero build groups', input: 'build-groups', inputs: { 'build-groups': '0' } },
  { name: 'negative build groups', input: 'build-groups', inputs: { 'build-groups': '-1' } },
  { name: 'too many build groups', input: 'build-groups', inputs: { 'build-groups': '257' } },
  { name: 'build groups in Arabic-Indic digits', input: 'build-groups', inputs: { 'build-groups': '٣' } },
  { name: 'build groups in exponent notation', input: 'build-groups', inputs: { 'build-groups': '1e3' } },
  { name: 'a matrix larger than GitHub runs', input: 'os', inputs: { os: Array.from({ length: 257 }, (_, i) => `runner-${i}`).join(',') } },
  // enums and booleans
  { name: 'install neither true nor false', input: 'install', inputs: { install: 'yes please' } },
  { name: 'cache neither true nor false', input: 'cache', inputs: { cache: 'maybe' } },
  { name: 'mod-readonly as a number', input: 'mod-readonly', inputs: { 'mod-readonly': '1.5' } },
  { name: 'toolchain in the wrong case', input: 'toolchain', inputs: { toolchain: 'Local' } },
  { name: 'toolchain with a command', input: 'toolchain', inputs: { toolchain: 'auto; curl evil' } },
  // labels, keys, proxies, refs
  { name: 'a runner label with a command', input: 'os', inputs: { os: 'ubuntu-latest$(id)' } },
  { name: 'a runner label starting with -', input: 'os', inputs: { os: '-latest' } },
  { name: 'a runner label with a look-alike hyphen', input: 'os', inputs: { os: 'ubuntu‑latest' } },
  { name: 'a cache key suffix with a space', input: 'cache-key-suffix', inputs: { 'cache-key-suffix': 'a b' } },
  { name: 'a cache key suffix in Cyrillic', input: 'cache-key-suffix', inputs: { 'cache-key-suffix': 'ключ' } },
  { name: 'a command in GOPROXY', input: 'goproxy', inputs: { goproxy: 'https://proxy.golang.org,$(curl evil)' } },
  { name: 'a file:// GOPROXY outside the workspace', input: 'goproxy', inputs: { goproxy: 'file:///etc' } },
  { name: 'GOPRIVATE starting with -', input: 'goprivate', inputs: { goprivate: '-evil' } },
  { name: 'GONOSUMDB that would break a config file', input: 'gonosumdb', inputs: { gonosumdb: 'x"]' } },
  { name: 'changed-since as an option', input: 'changed-since', inputs: { 'changed-since': '--output=../../trap/out' } },
  { name: 'changed-since with a command', input: 'changed-since', inputs: { 'changed-since': '$(id)' } },
  { name: 'changed-since not in the checkout', input: 'changed-since', inputs: { 'changed-since': 'no-such-ref' } },
  // the token
  { name: 'a token with a line break', input: 'git-token', inputs: { 'git-token': `${CANARIES.token}\nsecond-line` } },
  { name: 'a token with a carriage return', input: 'git-token', inputs: { 'git-token': `${CANARIES.token}\rX` } },
  { name: 'a token with a space', input: 'git-token', inputs: { 'git-token': `${CANARIES.token} trailing` } },
];

// A stand-in for go.dev/dl listing the host's Go and a few others: version checks read it; any
// other request to it would be a download.
const INDEX = ['1.26.8', '1.25.9', '1.24.13', '1.24.0'].map((v) => ({
  version: `go${v}`,
  stable: true,
  files: [
    { filename: `go${v}.linux-amd64.tar.gz`, os: 'linux', arch: 'amd64', version: `go${v}`, sha256: 'b'.repeat(64), kind: 'archive' },
  ],
}));

describe('setup-go-matrix hostile inputs', () => {
  let server: Server;
  let svc: CacheService;
  let dlUrl = '';
  let downloads = 0;
  beforeAll(async () => {
    svc = await startCacheService();
    server = createServer((req, res) => {
      if (req.url?.startsWith('/?mode=json'))
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(INDEX));
      downloads++;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await svc?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('has a catalogue of at least 25 cases, each naming a declared input', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name → refused on "$input"', async (c) => {
    const ws = await hostileWorkspace(path.join(fixturesDir, 'hello'));
    await c.prepare?.(ws);
    const { problems, result } = await runHostile(
      dir,
      ws,
      { name: c.name, input: c.input, inputs: { 'git-token': CANARIES.token, ...c.inputs } },
      { env: { ...goEnv(), ...svc.env(), GOSHIP_GO_DL_URL: dlUrl }, requests: () => downloads + svc.requests.length },
    );
    expect(problems, result.log).toEqual([]);
    expect(result.exportedEnv).toEqual({});
    expect(result.path).toEqual([]);
    await rm(ws.root, { recursive: true, force: true });
  });
});
