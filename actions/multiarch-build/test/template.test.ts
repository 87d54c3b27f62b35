import { describe, expect, it } from 'vitest';
import { parseTarget } from '@goship/core/config';
import { parsePlatform } from '@goship/core/platform';
import { checkTemplateSyntax, inputWhere, render, templateFields } from '../src/template.js';
import { COMMIT, scope } from './plan-helpers.js';

const linuxArm = { target: parseTarget('linux_arm_7'), platform: parsePlatform('linux/arm/v7') };
const linuxAmd = { target: parseTarget('linux_amd64_v1'), platform: parsePlatform('linux/amd64') };

describe('templates: one engine for inputs and the GoReleaser file', () => {
  it("keeps goship's plain variables working", () => {
    const data = templateFields(scope(), { ...linuxArm, binary: 'hello' });
    expect(render('t', '{{.Project}}_{{ .Version }}_{{.Os}}_{{.Arch}}{{.Variant}}', data)).toBe('hello_1.2.3_linux_armv7');
    expect(render('t', '{{.TraceId}} {{.Tag}} {{.Date}}', data)).toBe('1-1 v1.2.3 2026-01-01T00:00:00Z');
  });
  it("renders GoReleaser's real archive names, functions and variables", () => {
    const t =
      '{{ .ProjectName }}_{{- .Version }}_{{- title .Os }}_{{- if eq .Arch "amd64" }}x86_64{{- else }}{{ .Arch }}{{ end }}{{ with .Arm }}v{{ . }}{{ end }}';
    expect(render('t', t, templateFields(scope(), linuxAmd))).toBe('hello_1.2.3_Linux_x86_64');
    expect(render('t', t, templateFields(scope(), linuxArm))).toBe('hello_1.2.3_Linux_armv7');
    const data = templateFields(scope({ snapshot: true }), linuxAmd);
    expect(render('t', '{{ .CommitDate }} {{ .CommitTimestamp }} {{ .ShortCommit }} {{ .FullCommit }}', data)).toBe(
      `2026-01-01T00:00:00Z 1767225600 ccccccc ${COMMIT}`,
    );
    expect(render('t', '{{ .Major }}.{{ .Minor }}.{{ .Patch }} {{ .RawVersion }} {{ .IsSnapshot }} {{ .Target }} {{ .Amd64 }}', data)).toBe(
      '1.2.3 1.2.3 true linux_amd64_v1 v1',
    );
    expect(render('t', '{{ incpatch .Version }}-devel {{ .PreviousTag }} {{ .ModulePath }} {{ .Branch }}', data)).toBe(
      '1.2.4-devel v1.2.2 example.com/hello main',
    );
    expect(render('t', '{{ .Env.FOO }} {{ .Runtime.Goos }}', templateFields(scope({}, { FOO: 'bar' })))).toBe('bar linux');
  });
  it('refuses the file functions, lenient readFile included, naming the input and the file', () => {
    const data = templateFields(scope());
    for (const t of ['{{ readFile "../../etc/passwd" }}', '{{ mustReadFile "go.mod" }}', '{{ sha256 "go.mod" }}']) {
      expect(() => render(inputWhere('ldflags'), `-X a=${t}`, data)).toThrow(
        /input "ldflags": the template reads the file ".+"; file functions/,
      );
    }
    // a template that does not call them is untouched
    expect(render(inputWhere('ldflags'), '-X a={{ "readFile" }}', data)).toBe('-X a=readFile');
  });
  it('names the input or key and the position of a template error', () => {
    expect(() => checkTemplateSyntax(inputWhere('archive-name'), '{{ .Os ')).toThrow(/input "archive-name": template: tmpl:1: /);
    expect(() => render(inputWhere('ldflags'), '-X a={{ .Nope }}', templateFields(scope()))).toThrow(
      /input "ldflags": template: tmpl:1:8: executing "tmpl" at <\.Nope>: map has no entry for key "Nope"/,
    );
    expect(() => render('builds[0].binary (.goreleaser.yaml:7)', '{{ nosuch .Os }}', templateFields(scope()))).toThrow(
      /builds\[0\]\.binary \(\.goreleaser\.yaml:7\).*function "nosuch" not defined/,
    );
  });
});
