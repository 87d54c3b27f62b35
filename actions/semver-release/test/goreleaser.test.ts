/**
 * The `release` and `changelog` sections as semver-release applies them: precedence (input >
 * file > goship's default), the not-applied rows, GoReleaser's changelog rules (filters, sort,
 * groups, abbrev, format), the notes of an existing release under `mode`, the body around the
 * notes, and the templates' environment.
 */
import { Inputs } from '@goship/core/action';
import { goreleaserConfigFromText } from '@goship/core/config';
import { tempDir } from '@goship/testkit';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileRelease, render, renderBool, renderMakeLatest, templateEnv, wrapNotes, type ReleaseFacts } from '../src/goreleaser.js';
import { type LogEntry, coAuthors, goreleaserChangelog } from '../src/goreleaser-changelog.js';
import { combineNotes, notesFor } from '../src/publish.js';
import { addExtraFiles, fileChangelog, renderTexts } from '../src/release-file.js';
import type { VersionPlan } from '../src/version.js';

const cfg = (yaml: string) => goreleaserConfigFromText(`version: 2\n${yaml}`, { moduleDir: '/nowhere', env: {}, repository: 'octo/hello' });
const inputs = (v: Record<string, string> = {}) => Inputs.of(v);

const facts: ReleaseFacts = {
  projectName: 'hello',
  version: '1.4.0-rc.1',
  semver: { major: 1, minor: 4, patch: 0, prerelease: 'rc.1' },
  tag: 'v1.4.0-rc.1',
  previousTag: 'v1.3.0',
  commit: '0123456789abcdef0123456789abcdef01234567',
  commitDate: '2026-03-04T05:06:07Z',
  draft: false,
  env: { TEAM: 'core' },
};

describe('fileRelease: precedence and not-applied rows', () => {
  it('keys the file sets become defaults for inputs not given; given inputs win and are listed', () => {
    const gr = cfg('release:\n  draft: true\n  prerelease: auto\n  make_latest: "false"\n  replace_existing_artifacts: true\n');
    const a = fileRelease(gr, inputs());
    expect(a.defaults).toMatchObject({ draft: true, prerelease: 'auto', replaceMismatched: true, changelog: 'goreleaser' });
    expect(a.release.makeLatest?.text).toBe('false');
    expect(a.release.notApplied).toEqual([]);

    const b = fileRelease(gr, inputs({ draft: 'false', 'make-latest': 'true' }));
    expect(b.defaults.draft).toBeUndefined();
    expect(b.release.makeLatest).toBeUndefined();
    expect(b.release.notApplied.map((n) => `${n.key} @${n.where}`)).toEqual([
      'release.draft @.goreleaser.yaml:3',
      'release.make_latest @.goreleaser.yaml:5',
    ]);
    expect(b.release.notApplied[0]!.reason).toMatch(/input `draft` is given/);
  });

  it('a key the file does not set keeps goship’s default (prerelease stays auto, not GoReleaser’s false)', () => {
    const a = fileRelease(cfg('project_name: hello\n'), inputs());
    expect(a.defaults.prerelease).toBeUndefined();
    expect(a.defaults.draft).toBeUndefined();
    expect(a.release.nameTemplate.text).toBe('{{.Tag}}');
  });

  it('changelog: git → GoReleaser’s changelog; github-native → goship’s github; an input overrides', () => {
    expect(fileRelease(cfg('changelog:\n  use: git\n'), inputs()).defaults.changelog).toBe('goreleaser');
    const native = fileRelease(cfg('changelog:\n  use: github-native\n'), inputs());
    expect(native.defaults.changelog).toBe('github');
    // Applied: GitHub's generator is semver-release's `changelog: github`.
    expect(native.release.notApplied).toEqual([]);
    const gh = fileRelease(cfg('changelog:\n  use: github\n'), inputs());
    expect(gh.defaults.changelog).toBe('goreleaser');
    expect(gh.release.notApplied.map((n) => n.key)).toEqual(['changelog.use']);
    const over = fileRelease(cfg('changelog:\n  sort: asc\n'), inputs({ changelog: 'none' }));
    expect(over.defaults.changelog).toBeUndefined();
    expect(over.release.changelog).toBeUndefined();
    expect(over.release.notApplied.map((n) => n.key)).toEqual(['changelog']);
  });

  it('a literal release.github and target_commitish are used; templated ones and ids are listed', () => {
    const lit = fileRelease(cfg('release:\n  github: { owner: octo, name: other }\n  target_commitish: main\n'), inputs());
    expect(lit.defaults).toMatchObject({ repository: 'octo/other', targetCommitish: 'main' });
    const t = fileRelease(
      cfg('release:\n  github: { owner: "{{ .Env.OWNER }}", name: x }\n  target_commitish: "{{ .Commit }}"\n  ids: [a]\n'),
      inputs(),
    );
    expect(t.defaults.repository).toBeUndefined();
    expect(t.defaults.targetCommitish).toBeUndefined();
    expect(t.release.notApplied.map((n) => n.key)).toEqual(['release.github', 'release.target_commitish', 'release.ids']);
  });

  it('the core’s not-applied keys of publishing sections are kept; other actions’ sections are not shown here', () => {
    const gr = cfg('release:\n  discussion_category_name: General\nmilestones:\n  - close: true\ndockers:\n  - image_templates: [x]\n');
    const keys = fileRelease(gr, inputs()).release.notApplied.map((n) => n.key);
    expect(keys).toContain('release.discussion_category_name');
    expect(keys).toContain('milestones');
    expect(keys).not.toContain('dockers');
  });

  it('a template that does not parse fails at once, naming the key and its line', () => {
    expect(() => fileRelease(cfg('release:\n  header: "{{ .Tag "\n'), inputs())).toThrow(/release\.header \(\.goreleaser\.yaml:3\)/);
    expect(() => fileRelease(cfg('changelog:\n  format: "{{ if }}"\n'), inputs())).toThrow(/changelog\.format \(\.goreleaser\.yaml:3\)/);
  });
});

describe('templates', () => {
  const t = (text: string, key = 'release.name_template') => ({ text, where: { key, file: '.goreleaser.yaml', line: 7, col: 3 } });

  it('render GoReleaser’s fields: .ProjectName .Version .Tag .PreviousTag .Prerelease .Major .ShortCommit .Env', () => {
    expect(
      render(
        t(
          '{{ .ProjectName }} {{ .Version }} ({{ .Tag }} after {{ .PreviousTag }}) {{ .Prerelease }} {{ .Major }} {{ .ShortCommit }} {{ .Env.TEAM }}',
        ),
        facts,
      ),
    ).toBe('hello 1.4.0-rc.1 (v1.4.0-rc.1 after v1.3.0) rc.1 1 0123456 core');
    expect(renderBool(t('{{ if .Prerelease }}TRUE {{ end }}'), facts)).toBe(true);
    expect(renderBool(t('{{ .IsDraft }}'), facts)).toBe(false);
    expect(renderBool(undefined, facts)).toBe(false);
  });

  it('make_latest renders to true, false, legacy or empty; anything else names the key', () => {
    expect(renderMakeLatest(t('{{ if .Prerelease }}false{{ else }}true{{ end }}', 'release.make_latest'), facts)).toBe('false');
    expect(renderMakeLatest(t('legacy', 'release.make_latest'), facts)).toBe('legacy');
    expect(() => renderMakeLatest(t('yes', 'release.make_latest'), facts)).toThrow(
      /release\.make_latest \(\.goreleaser\.yaml:7\) renders to "yes"/,
    );
  });

  it('a missing field fails with Go’s message and the key', () => {
    expect(() => render(t('{{ .Nope }}', 'release.footer'), facts)).toThrow(
      /release\.footer \(\.goreleaser\.yaml:7\).*map has no entry for key "Nope"/,
    );
  });

  it('readFile reads inside the checkout only', async () => {
    const dir = await tempDir('goship-tmpl-');
    await writeFile(path.join(dir, 'NOTES.md'), 'hand-written notes');
    const f = { ...facts, dir };
    process.env.GITHUB_WORKSPACE = dir;
    try {
      expect(render(t('{{ readFile "NOTES.md" }}', 'release.header'), f)).toBe('hand-written notes');
      // GoReleaser's readFile gives '' on an error; mustReadFile fails. Outside the checkout is an error.
      expect(render(t('[{{ readFile "../../etc/passwd" }}]', 'release.header'), f)).toBe('[]');
      expect(() => render(t('{{ mustReadFile "../../etc/passwd" }}', 'release.header'), f)).toThrow(/release\.header/);
      expect(() => render(t('{{ readFile "NOTES.md" }}', 'release.header'), facts)).toThrow(/file access is not enabled/);
    } finally {
      delete process.env.GITHUB_WORKSPACE;
    }
  });

  it('templates do not see inputs (tokens) or runner credentials', () => {
    const env = templateEnv({
      INPUT_TOKEN: 'ghs_secret',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
      GITHUB_TOKEN: 'y',
      GITHUB_REF: 'refs/tags/v1',
      TEAM: 'core',
    });
    expect(env).toEqual({ GITHUB_REF: 'refs/tags/v1', TEAM: 'core' });
  });

  it('the body is GoReleaser’s: header, newline, notes, newline, footer, newline', () => {
    expect(wrapNotes('notes\n', '## head\n', 'foot\n')).toBe('## head\n\nnotes\n\nfoot\n\n');
    expect(wrapNotes('notes\n', '', '')).toBe('notes\n\n');
    expect(wrapNotes('notes', 'h', '')).toBe('h\nnotes\n');
  });
});

const entry = (sha: string, message: string, authorName = 'Ann', body = ''): LogEntry => ({
  sha: sha.padEnd(40, '0'),
  message,
  authorName,
  authorEmail: `${authorName.toLowerCase()}@example.com`,
  body,
});

describe('goreleaserChangelog', () => {
  const log = [
    entry('aaaaaaa', 'feat!: drop the old flag'),
    entry('bbbbbbb', "Merge branch 'topic'"),
    entry('ccccccc', 'chore: tidy go.mod', 'Bob'),
    entry('ddddddd', 'docs: explain'),
    entry('eeeeeee', 'fix: trim'),
    entry('fffffff', 'feat(cli): add --shout'),
  ];
  const settings = (yaml: string) => cfg(`changelog:\n${yaml}`).changelog;
  const fields = (extra: Record<string, unknown>) => ({ ...extra });

  it('without groups: newest first, every entry, full SHA by default', () => {
    const out = goreleaserChangelog(log.slice(0, 2), settings('  sort: ""\n'), fields);
    expect(out).toBe(
      `## Changelog\n* ${'aaaaaaa'.padEnd(40, '0')} feat!: drop the old flag\n* ${'bbbbbbb'.padEnd(40, '0')} Merge branch 'topic'`,
    );
  });

  it('exclude patterns remove; sort desc; abbrev -1 drops the SHA', () => {
    const out = goreleaserChangelog(
      log,
      settings('  sort: desc\n  abbrev: -1\n  filters:\n    exclude: ["^docs:", "(?i)^merge"]\n'),
      fields,
    );
    expect(out.split('\n')).toEqual([
      '## Changelog',
      '*  fix: trim',
      '*  feat(cli): add --shout',
      '*  feat!: drop the old flag',
      '*  chore: tidy go.mod',
    ]);
  });

  it('include patterns append in pattern order (an entry matching two appears twice), and exclude is then ignored', () => {
    const out = goreleaserChangelog(
      log,
      settings('  abbrev: 3\n  filters:\n    include: ["^fix", "^feat", "trim"]\n    exclude: ["^fix"]\n'),
      fields,
    );
    expect(out.split('\n')).toEqual([
      '## Changelog',
      '* eee fix: trim',
      '* aaa feat!: drop the old flag',
      '* fff feat(cli): add --shout',
      '* eee fix: trim',
    ]);
  });

  it('groups: first matching regexp wins, a group without one takes the rest and ends grouping, shown by order', () => {
    const out = goreleaserChangelog(
      log,
      settings('  abbrev: 1\n  groups:\n    - title: Rest\n      order: 9\n    - title: Never\n      regexp: "."\n      order: 0\n'),
      fields,
    );
    // "Never" comes after the catch-all, which took everything: grouping stopped there.
    expect(out.split('\n')).toEqual(['## Changelog', '### Rest', ...log.map((e) => `* ${e.sha[0]} ${e.message}`)]);
    const ordered = goreleaserChangelog(
      log,
      settings(
        '  abbrev: 1\n  sort: asc\n  groups:\n    - title: Fixes\n      regexp: "^fix"\n      order: 2\n    - title: Features\n      regexp: "^feat"\n      order: 1\n    - title: ""\n      order: 3\n',
      ),
      fields,
    );
    expect(ordered.split('\n')).toEqual([
      '## Changelog',
      '### Features',
      '* a feat!: drop the old flag',
      '* f feat(cli): add --shout',
      '### Fixes',
      '* e fix: trim',
      '',
      "* b Merge branch 'topic'",
      '* c chore: tidy go.mod',
      '* d docs: explain',
    ]);
  });

  it('format is a template over the entry: .AuthorName, .AuthorEmail, .Authors with co-authors', () => {
    const withCo = [entry('1234567', 'fix: x', 'Ann', 'body\n\nCo-authored-by: Cy Doe <cy@example.com>\n')];
    const out = goreleaserChangelog(
      withCo,
      settings(
        '  abbrev: 7\n  format: "{{ .SHA }} {{ .Message }} by {{ .AuthorName }} <{{ .AuthorEmail }}>{{ range .Authors }} [{{ .Name }}]{{ end }}"\n',
      ),
      fields,
    );
    expect(out).toBe('## Changelog\n* 1234567 fix: x by Ann <ann@example.com> [Ann] [Cy Doe]');
    expect(coAuthors('Co-authored-by: A <a@x>\nco-authored-by: B <b@x>')).toEqual([
      { Name: 'A', Email: 'a@x', Username: '' },
      { Name: 'B', Email: 'b@x', Username: '' },
    ]);
  });

  it('no entries: only the title', () => {
    expect(goreleaserChangelog([], settings('  sort: asc\n'), fields)).toBe('## Changelog');
  });
});

describe('release.mode: the notes of an existing release', () => {
  it('combines as GoReleaser does', () => {
    expect(combineNotes('theirs', 'ours', 'append')).toBe('theirs\n\nours');
    expect(combineNotes('theirs', 'ours', 'prepend')).toBe('ours\n\ntheirs');
    expect(combineNotes('theirs', 'ours', 'replace')).toBe('ours');
    expect(combineNotes('theirs', 'ours', 'keep-existing')).toBe('theirs');
    expect(combineNotes('', 'ours', 'keep-existing')).toBe('ours');
  });

  it('applies to releases goship did not write, converges on re-runs, and leaves goship’s own drafts to this run’s notes', () => {
    const o = { body: 'ours\n', notesMode: 'append' as const };
    expect(notesFor(o, { body: 'by hand', draft: true })).toBe('by hand\n\nours\n');
    expect(notesFor(o, { body: 'by hand\n\nours\n', draft: false })).toBe('by hand\n\nours\n');
    expect(notesFor(o, { body: 'old notes\n\n<!-- goship:release 0a1b -->\n', draft: true })).toBe('ours\n');
    expect(notesFor({ body: 'ours\n', notesMode: 'keep-existing' }, { body: 'published by hand', draft: false })).toBe('published by hand');
    // Without a GoReleaser file: a hand-made draft takes this run's notes, a published release keeps its own.
    expect(notesFor({ body: 'ours\n' }, { body: 'by hand', draft: true })).toBe('ours\n');
    expect(notesFor({ body: 'ours\n' }, { body: 'published', draft: false })).toBe('published');
  });
});

describe('release-file steps', () => {
  const plan = (previousTag?: string) =>
    ({
      version: { major: 1, minor: 4, patch: 0, prerelease: [] },
      tag: 'v1.4.0',
      ...(previousTag ? { previousTag } : {}),
      end: 'v1.4.0',
    }) as unknown as VersionPlan;
  const git = (asked: string[]) => ({
    logEntries: async (from: string | undefined, to: string) => {
      asked.push(`${from ?? ''}..${to}`);
      return [entry('2222222', 'fix: newer'), entry('1111111', 'feat: older')];
    },
  });

  it('the changelog reads previous..tag; use: github lists oldest first; disable renders to nothing', async () => {
    const asked: string[] = [];
    const file = fileRelease(cfg('changelog:\n  abbrev: -1\n  format: "{{ .Message }}"\n'), inputs()).release;
    expect(await fileChangelog({ file }, plan('v1.3.0'), git(asked), facts)).toBe('## Changelog\n* fix: newer\n* feat: older\n');
    expect(asked).toEqual(['v1.3.0..v1.4.0']);
    const gh = fileRelease(cfg('changelog:\n  use: github\n  format: "{{ .Message }}"\n'), inputs()).release;
    expect(await fileChangelog({ file: gh }, plan('v1.3.0'), git([]), facts)).toBe('## Changelog\n* feat: older\n* fix: newer\n');
    // Without a previous tag GoReleaser falls back to git, newest first.
    expect(await fileChangelog({ file: gh }, plan(), git([]), facts)).toBe('## Changelog\n* fix: newer\n* feat: older\n');
    const off = fileRelease(cfg('changelog:\n  disable: "{{ .IsDraft }}"\n'), inputs()).release;
    expect(await fileChangelog({ file: off }, plan(), git([]), { ...facts, draft: true })).toBe('');
  });

  it('header and footer see .Checksums (the checksums file) and .ReleaseNotes; the name falls back to the tag', async () => {
    const dir = await tempDir('goship-texts-');
    await writeFile(path.join(dir, 'sums.txt'), 'abc  hello.tar.gz\n');
    const file = fileRelease(
      cfg('release:\n  name_template: "{{ if false }}x{{ end }}"\n  header: "{{ .Checksums }}"\n  footer: "{{ len .ReleaseNotes }}"\n'),
      inputs(),
    ).release;
    const selection = {
      assets: [
        {
          name: 'sums.txt',
          storedName: 'sums.txt',
          file: path.join(dir, 'sums.txt'),
          size: 1,
          sha256: 'x',
          contentType: 'text/plain',
          kind: 'checksums' as const,
        },
      ],
    };
    expect(renderTexts({ file }, { ...facts, releaseNotes: 'four' }, selection)).toEqual({
      name: 'v1.4.0-rc.1',
      header: 'abc  hello.tar.gz\n',
      footer: '4',
      makeLatest: '',
    });
    expect(renderTexts({}, facts, selection)).toBeUndefined();
  });

  it('extra_files: one glob matching several files cannot take one name', async () => {
    const dir = await tempDir('goship-extra-');
    await writeFile(path.join(dir, 'a.txt'), 'a');
    await writeFile(path.join(dir, 'b.txt'), 'b');
    const file = fileRelease(cfg('release:\n  extra_files:\n    - glob: "*.txt"\n      name_template: notes.txt\n'), inputs()).release;
    process.env.GITHUB_WORKSPACE = dir;
    try {
      await expect(addExtraFiles({ assets: [] }, { file, workdir: dir }, facts, { warning: () => {} })).rejects.toThrow(
        /release\.extra_files\[0\]\.glob \(\.goreleaser\.yaml:4\): \*\.txt matches 2 files/,
      );
      const one = fileRelease(
        cfg('release:\n  extra_files:\n    - glob: "a.*"\n      name_template: "{{ .ProjectName }}-a.txt"\n'),
        inputs(),
      ).release;
      const got = await addExtraFiles({ assets: [] }, { file: one, workdir: dir }, facts, { warning: () => {} });
      expect(got.assets.map((a) => [a.name, a.kind])).toEqual([['hello-a.txt', 'file']]);
    } finally {
      delete process.env.GITHUB_WORKSPACE;
    }
  });
});
