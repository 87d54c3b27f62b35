import { describe, expect, it } from 'vitest';
import { GoshipError } from '../src/errors.js';
import {
  compileTemplate,
  go,
  goreleaserFields,
  renderTemplate,
  rewriteLegacyTemplate,
  TemplateError,
  toGoValue,
  toJS,
} from '../src/template/index.js';

function fails(f: () => unknown): TemplateError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('compileTemplate / renderTemplate', () => {
  const where = 'archives[0].name_template (.goreleaser.yaml:14)';

  it('prefixes errors with where and keeps Go’s message, the text and the position', () => {
    const text = '{{ .ProjectName }}\n  {{ .Nope }}';
    const e = fails(() => renderTemplate(text, { ProjectName: 'x' }, { where }));
    expect(e.message).toMatch(
      /^archives\[0\]\.name_template \(\.goreleaser\.yaml:14\): template: tmpl:2:5: executing "tmpl" at <\.Nope>: map has no entry for key "Nope"/,
    );
    expect(e.goMessage).toBe('template: tmpl:2:5: executing "tmpl" at <.Nope>: map has no entry for key "Nope"');
    expect(e).toMatchObject({ where, template: text, phase: 'exec', line: 2, col: 5, reason: 'map has no entry for key "Nope"' });
    expect(e).toBeInstanceOf(GoshipError);
  });

  it('reports parse errors before any execution, with the line and column of the failing token', () => {
    const e = fails(() => compileTemplate('ok\n{{ if .X }}{{ nosuch }}', { where: 'input "archive-name"', name: 'archive-name' }));
    expect(e.message).toBe(
      'input "archive-name": template: archive-name:2: function "nosuch" not defined Use a function GoReleaser defines (see its templates documentation).',
    );
    expect(e).toMatchObject({ phase: 'parse', line: 2, col: 14 });
  });

  it('missingKey: error by default, <no value> or zero when asked', () => {
    expect(fails(() => renderTemplate('{{ .A }}', {})).reason).toBe('map has no entry for key "A"');
    expect(renderTemplate('{{ .A }}', {}, { missingKey: 'default' })).toBe('<no value>');
    expect(renderTemplate('[{{ .E.A }}]', { E: go.stringMap({}) }, { missingKey: 'zero' })).toBe('[]');
  });

  it('maps JS numbers to int or float64, bigint to int64, and keeps go.* types', () => {
    expect(renderTemplate('{{ printf "%T %T %T %T %T" .a .b .c .d .e }}', { a: 1, b: 1.5, c: 5n, d: go.uint64(2), e: go.float64(3) })).toBe(
      'int float64 int64 uint64 float64',
    );
    expect(fails(() => renderTemplate('{{ eq .a .b }}', { a: 1, b: 1.5 })).reason).toBe(
      'error calling eq: incompatible types for comparison: int and float64',
    );
    expect(
      renderTemplate(
        '{{ eq .Major 1 }}',
        goreleaserFields({ projectName: 'p', version: '1.0.0', semver: { major: 1, minor: 0, patch: 0 } }),
      ),
    ).toBe('true');
    expect(toJS(toGoValue({ a: [1, 'x', null], d: new Date('2026-01-02T03:04:05Z') }))).toEqual({
      a: [1, 'x', null],
      d: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('custom functions receive JS values; a throw becomes "error calling NAME"', () => {
    const funcs = {
      add: (a: unknown, b: unknown) => (a as number) + (b as number),
      boom: () => {
        throw new Error('no luck');
      },
    };
    expect(renderTemplate('{{ add 2 3 }}', {}, { funcs })).toBe('5');
    expect(fails(() => renderTemplate('{{ boom }}', {}, { funcs })).reason).toBe('error calling boom: no luck');
    expect(() => compileTemplate('x', { funcs: { 'short-commit': () => 'abc' } })).toThrow(/not a Go identifier.*legacyNames/);
  });

  it('legacy hyphenated placeholders work with legacyNames', () => {
    expect(rewriteLegacyTemplate('{{version}}-{{ short-commit }}')).toBe('{{version}}-{{ short_commit }}');
    const out = renderTemplate(
      'v{{version}}-{{short-commit}}',
      {},
      { legacyNames: true, funcs: { version: () => '1.2.3', 'short-commit': () => 'abc1234' } },
    );
    expect(out).toBe('v1.2.3-abc1234');
  });

  it('GoReleaser fields have GoReleaser’s types and artifact fields', () => {
    const d = goreleaserFields({
      projectName: 'hello',
      version: '1.4.0',
      semver: { major: 1, minor: 4, patch: 0 },
      env: { USER: 'ci' },
      date: new Date('2026-11-20T10:00:00Z'),
      artifact: { os: 'linux', arch: 'arm', arm: '7' },
    });
    expect(renderTemplate('{{ printf "%T %T %T %T %T" .Major .Timestamp .Env .Now .IsSnapshot }}', d)).toBe(
      'uint64 int64 context.Env time.Time bool',
    );
    expect(
      renderTemplate(
        '{{ .Now.Format "2006-01-02" }} {{ .Date }} {{ .Binary }}_{{ .Os }}_{{ .Arch }}v{{ .Arm }} {{ envOrDefault "USER" "x" }}',
        d,
      ),
    ).toBe('2026-11-20 2026-11-20T10:00:00Z hello_linux_armv7 ci');
  });

  it('environment and clock come from options when the data has none', () => {
    expect(
      renderTemplate(
        '{{ envOrDefault "A" "d" }} {{ isEnvSet "A" }} {{ time "2006" }}',
        {},
        { env: { A: 'a' }, now: () => new Date('2031-05-05T00:00:00Z') },
      ),
    ).toBe('a true 2031');
  });

  it('file functions fail clearly without a readFile hook', () => {
    expect(fails(() => renderTemplate('{{ readFile "x" }}', {})).reason).toBe(
      'error calling readFile: file access is not enabled: pass a readFile hook in the template options',
    );
    expect(fails(() => renderTemplate('{{ sha256 "x" }}', {})).reason).toMatch(/^error calling sha256: file access is not enabled/);
    expect(renderTemplate('{{ sha256 "x" }}', {}, { readFile: () => new TextEncoder().encode('abc') })).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('compiles once and executes many times', () => {
    const t = compileTemplate('{{ .ProjectName }}_{{ .Os }}');
    expect(['linux', 'darwin'].map((os) => t.execute({ ProjectName: 'p', Os: os }))).toEqual(['p_linux', 'p_darwin']);
  });
});
