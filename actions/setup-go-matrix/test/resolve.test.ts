import { GoshipError, InputError } from '@goship/core/errors';
import { tempDir } from '@goship/testkit';
import { mkdir, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Host } from '../src/host.js';
import type { SetupInputs } from '../src/inputs.js';
import { resolveVersions } from '../src/resolve.js';
import { parseSpecs } from '../src/versions.js';
import { recordingLog } from './log.js';

// A stand-in for go.dev/dl: the JSON index only (nothing is downloaded while resolving).
const INDEX = ['1.26.8', '1.26.7', '1.25.9', '1.24.13'].map((v) => ({
  version: `go${v}`,
  stable: true,
  files: [
    { filename: `go${v}.linux-amd64.tar.gz`, os: 'linux', arch: 'amd64', version: `go${v}`, sha256: 'a'.repeat(64), kind: 'archive' },
  ],
}));

let server: Server;
let dlBase = '';
const requests: string[] = [];
const saved = { RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE, GOSHIP_JOB_GOTOOLCHAIN: process.env.GOSHIP_JOB_GOTOOLCHAIN };

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url?.startsWith('/?mode=json')) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(INDEX));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dlBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // a tool cache holding Go 1.99.1 (the layout @actions/tool-cache finds)
  const cache = await tempDir('goship-resolve-tc-');
  await mkdir(path.join(cache, 'go', '1.99.1', os.arch()), { recursive: true });
  await writeFile(path.join(cache, 'go', '1.99.1', `${os.arch()}.complete`), '');
  process.env.RUNNER_TOOL_CACHE = cache;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
beforeEach(() => {
  requests.length = 0;
});

const host = (o: Partial<Host> = {}): Host => ({ goos: 'linux', goarch: 'amd64', goproxy: 'off', dlBase, ...o });

async function inputs(specs: string[], goMod?: string, o: Partial<SetupInputs> = {}): Promise<SetupInputs> {
  const dir = await tempDir('goship-resolve-');
  const file = path.join(dir, 'go.mod');
  if (goMod) await writeFile(file, goMod);
  return {
    workdir: dir,
    specs: parseSpecs(specs),
    ...(goMod ? { versionFile: file, goMod: file } : {}),
    versionFileInput: 'go-version',
    toolchain: 'local',
    ...o,
  } as SetupInputs;
}

describe('the resolve step', () => {
  it('a cached exact version needs no list: no request at all', async () => {
    const r = await resolveVersions(await inputs(['1.99.1']), host(), recordingLog(), {});
    expect(r.versions).toEqual(['1.99.1']);
    expect(r.releases).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('an exact version not in the tool cache is confirmed against the list', async () => {
    const r = await resolveVersions(await inputs(['1.25.9', 'stable']), host(), recordingLog(), {});
    expect(r.versions).toEqual(['1.25.9', '1.26.8']);
    expect(r.releases?.archives.get('1.25.9')?.filename).toBe('go1.25.9.linux-amd64.tar.gz');
    expect(requests).toEqual(['/?mode=json&include=all']);
  });

  it('go-version: 1.99.99 is an input error on go-version that says what exists — the list is the only request', async () => {
    const e = await resolveVersions(await inputs(['1.99.99']), host(), recordingLog(), {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe(
      `Input "go-version": got "1.99.99"; expected a released Go version (the Go download index (${dlBase}) lists stable 1.26.8 and oldstable 1.25.9). ` +
        'Go 1.99.99 is not among the 4 versions it lists for this runner; pick a listed version, a minor such as `1.26` (its newest patch), `stable` or `oldstable`.',
    );
    expect(requests).toEqual(['/?mode=json&include=all']);
  });

  it('a go.mod toolchain line naming an unreleased Go is refused on go-version-file when the file was given', async () => {
    const inp = await inputs(['go.mod'], 'module a\n\ngo 1.24.0\n\ntoolchain go1.99.98\n', { versionFileInput: 'go-version-file' });
    await expect(resolveVersions(inp, host(), recordingLog(), {})).rejects.toThrow(
      /^Input "go-version-file": got "go\.mod"; expected a go\.mod that names a released Go version: .*stable 1\.26\.8 and oldstable 1\.25\.9.*Its toolchain line names go1\.99\.98/,
    );
  });

  it('when the list cannot be read, exact versions are taken with a warning; specs that need it fail', async () => {
    const off = host({ dlBase: 'http://127.0.0.1:9', goproxy: 'off' });
    const log = recordingLog();
    const r = await resolveVersions(await inputs(['1.25.4']), off, log, {});
    expect(r.versions).toEqual(['1.25.4']);
    expect(log.lines.join('\n')).toMatch(/warning: Could not check that the Go versions asked for exist \(Cannot list Go releases/);
    const e = await resolveVersions(await inputs(['stable']), off, recordingLog(), {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GoshipError);
    expect((e as Error).message).toMatch(/GOPROXY \("off"\) names no http\(s\) proxy/);
  });

  it('versions older than the go line: an input error with toolchain local, a warning with auto', async () => {
    const mod = 'module a\n\ngo 1.25.0\n';
    await expect(resolveVersions(await inputs(['1.24.13'], mod), host(), recordingLog(), {})).rejects.toThrow(
      /^Input "go-version": got "1\.24\.13"; expected Go 1\.25\.0 or newer \(the go line of go\.mod\)/,
    );
    const log = recordingLog();
    const r = await resolveVersions(await inputs(['1.24.13'], mod, { toolchain: 'auto' }), host(), log, {});
    expect(r.goDirective).toBe('1.25.0');
    expect(log.lines.join('\n')).toContain('warning: Go 1.24.13 is older than the go line (1.25.0)');
  });

  it("a job's GOTOOLCHAIN=local drops the toolchain line, as setup-go does", async () => {
    const inp = await inputs(['go.mod'], 'module a\n\ngo 1.24.13\n\ntoolchain go1.26.8\n');
    expect((await resolveVersions(inp, host(), recordingLog(), {})).version).toBe('1.26.8');
    const log = recordingLog();
    expect((await resolveVersions(inp, host(), log, { GOTOOLCHAIN: 'local' })).version).toBe('1.24.13');
    expect(log.lines[0]).toMatch(/the toolchain line \(go1\.26\.8\) is not used, the go line \(1\.24\.13\) is/);
  });
});
