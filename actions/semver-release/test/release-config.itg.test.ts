/**
 * The `release` section of a module's `.goreleaser.yaml` (auto-detected), through the committed
 * bundle against the GitHub API stand-in: the rendered name, header and footer, make_latest,
 * extra_files uploaded as assets, draft and prerelease (and an input overriding them), disable,
 * skip_upload, and `mode: append` on a release made by hand — each re-run converging.
 */
import { hashBytes } from '@goship/core/digest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseRepo, errorOf } from './release-repo.js';

let rr: ReleaseRepo;
const TAGS = ['v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'v1.3.0', 'v1.4.0', 'v1.5.0', 'v1.6.0'];

beforeAll(async () => {
  rr = await ReleaseRepo.start(TAGS);
}, 120_000);
afterAll(() => rr?.close());

async function config(yaml: string): Promise<void> {
  await writeFile(path.join(rr.repo.dir, '.goreleaser.yaml'), `version: 2\n${yaml}`);
}

const stored = (tag: string) => {
  const [v] = rr.api.tagView(tag);
  return { view: v!, release: rr.api.releases.get(v!.id)! };
};

describe('release section of .goreleaser.yaml', () => {
  it('name_template, header, footer, make_latest and extra_files are applied; changelog.disable empties the notes', async () => {
    await config(
      [
        'release:',
        '  name_template: "{{ .ProjectName }} {{ .Version }}"',
        '  header: "# {{ .ProjectName }} {{ .Tag }}"',
        '  footer: "Built from {{ .ShortCommit }}"',
        '  make_latest: "false"',
        '  extra_files:',
        '    - glob: extra/*.txt',
        '    - glob: NOTICE',
        '      name_template: "{{ .ProjectName }}_{{ .Version }}_NOTICE.txt"',
        'changelog:',
        '  disable: "{{ if .IsSnapshot }}false{{ else }}true{{ end }}"',
        '',
      ].join('\n'),
    );
    await mkdir(path.join(rr.repo.dir, 'extra'), { recursive: true });
    await writeFile(path.join(rr.repo.dir, 'extra', 'a.txt'), 'a');
    await writeFile(path.join(rr.repo.dir, 'extra', 'b.txt'), 'b');
    await writeFile(path.join(rr.repo.dir, 'NOTICE'), 'notice');
    const latestBefore = rr.api.latestReleaseId;
    const b = await rr.build('v1.0.0', 2);
    const r = await rr.publish(b);
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.changelog).toBe('');
    const { view, release } = stored('v1.0.0');
    expect(view.draft).toBe(false);
    expect(release.name).toBe('hello 1.0.0');
    const short = (await rr.repo.git('rev-parse', 'v1.0.0^{commit}')).trim().slice(0, 7);
    expect(release.body!.startsWith('# hello v1.0.0\n')).toBe(true);
    expect(release.body!.endsWith(`\nBuilt from ${short}\n`)).toBe(true);
    expect(release.body).toContain('goship trace id');
    expect(rr.api.latestReleaseId).toBe(latestBefore);
    expect(view.assets.map((a) => [a.name, a.digest]).sort()).toEqual(
      [
        ...b.files.map((f) => [f.name, `sha256:${hashBytes(f.data)}`]),
        ['a.txt', `sha256:${hashBytes('a')}`],
        ['b.txt', `sha256:${hashBytes('b')}`],
        ['hello_1.0.0_NOTICE.txt', `sha256:${hashBytes('notice')}`],
      ].sort(),
    );
    expect(r.summary).toContain('every key semver-release reads (release, changelog, publishers) is applied');
    rr.api.resetCounters();
    const again = await rr.publish(b);
    expect(again.exitCode, again.log).toBe(0);
    expect(rr.api.counters).toMatchObject({ mutations: 0, bytesReceived: 0 });
    await rm(path.join(rr.repo.dir, 'extra'), { recursive: true });
    await rm(path.join(rr.repo.dir, 'NOTICE'));
  });

  it('draft and prerelease from the file; an explicit input overrides the file and the summary says so', async () => {
    await config('release:\n  draft: true\n  prerelease: "true"\n');
    const b = await rr.build('v1.1.0', 1);
    const r = await rr.publish(b);
    expect(r.exitCode, r.log).toBe(0);
    expect(stored('v1.1.0').view).toMatchObject({ draft: true, prerelease: true });
    const r2 = await rr.publish(b, { draft: 'false' });
    expect(r2.exitCode, r2.log).toBe(0);
    expect(stored('v1.1.0').view).toMatchObject({ draft: false, prerelease: true });
    expect(r2.summary).toMatch(/`release\.draft` \| \.goreleaser\.yaml:3 \| the input `draft` is given and overrides it/);
    expect(r2.log).toContain('.goreleaser.yaml: not applied: release.draft (.goreleaser.yaml:3)');
  });

  it('release.disable (templated) makes no release for a pre-release, and says why', async () => {
    await config('release:\n  disable: "{{ if .Prerelease }}true{{ end }}"\n');
    const b = await rr.build('v1.2.0-rc.1', 1);
    const r = await rr.publish(b);
    expect(r.exitCode, r.log).toBe(0);
    expect(rr.api.tagView('v1.2.0-rc.1')).toEqual([]);
    expect(r.outputs['release-id']).toBe('');
    expect(r.annotations.some((a) => a.type === 'notice' && a.message.includes('release.disable (.goreleaser.yaml:3) is true'))).toBe(true);
  });

  it('release.skip_upload publishes the release without assets', async () => {
    await config('release:\n  skip_upload: true\n');
    const b = await rr.build('v1.3.0', 2);
    const r = await rr.publish(b);
    expect(r.exitCode, r.log).toBe(0);
    expect(stored('v1.3.0').view).toMatchObject({ draft: false, assets: [] });
    expect(r.summary).toContain('`release.skip_upload` is true');
  });

  it('mode: append adds goship’s notes after those of a release published by hand, once', async () => {
    await config('release:\n  mode: append\n');
    rr.api.seedRelease('v1.4.0', { draft: false, body: 'Written by hand.' });
    const b = await rr.build('v1.4.0', 1);
    const r = await rr.publish(b);
    expect(r.exitCode, r.log).toBe(0);
    const body = stored('v1.4.0').release.body!;
    // The file's changelog is GoReleaser's (no `changelog` section: its defaults).
    expect(r.outputs.changelog).toMatch(/^## Changelog\n\* [0-9a-f]{40} feat: change 4\n$/);
    expect(body.startsWith(`Written by hand.\n\n${r.outputs.changelog}`)).toBe(true);
    rr.api.resetCounters();
    const again = await rr.publish(b);
    expect(again.exitCode, again.log).toBe(0);
    expect(rr.api.counters).toMatchObject({ mutations: 0, bytesReceived: 0 });
    expect(stored('v1.4.0').release.body).toBe(body);
  });

  it('extra_files that match nothing fail before anything is created, naming the key', async () => {
    await config('release:\n  extra_files:\n    - glob: missing/*.txt\n');
    const b = await rr.build('v1.5.0', 1);
    rr.api.resetCounters();
    const r = await rr.publish(b);
    expect(r.exitCode).not.toBe(0);
    expect(errorOf(r)).toContain('release.extra_files[0].glob (.goreleaser.yaml:4)');
    expect(rr.api.counters).toMatchObject({ mutations: 0, releasesCreated: 0 });
  });

  it('a header that asks for the token gets nothing: inputs are not in .Env, and nothing is created', async () => {
    await config('release:\n  header: "{{ .Env.INPUT_TOKEN }}"\n');
    const b = await rr.build('v1.6.0', 1);
    rr.api.resetCounters();
    const r = await rr.publish(b);
    expect(r.exitCode).not.toBe(0);
    expect(errorOf(r)).toMatch(/release\.header \(\.goreleaser\.yaml:3\).*map has no entry for key "INPUT_TOKEN"/);
    expect(rr.api.counters).toMatchObject({ mutations: 0, releasesCreated: 0 });
    expect(r.log.split('\n').filter((l) => !l.startsWith('::add-mask::'))).not.toContainEqual(expect.stringContaining('test-token'));
    await rm(path.join(rr.repo.dir, '.goreleaser.yaml'));
  });
});
