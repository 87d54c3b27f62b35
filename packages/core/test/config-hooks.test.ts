import { describe, expect, it } from 'vitest';
import { HookSyntaxError, checkHookTemplate, shellConstruct, splitCommand } from '../src/config/index.js';

describe('splitCommand: go-shellwords v1.0.13 as GoReleaser calls it', () => {
  it.each([
    ['go mod tidy', ['go', 'mod', 'tidy']],
    ['  go\tbuild \n ./... ', ['go', 'build', './...']],
    [
      `go run ./tools/notice "quoted words" 'single quoted' plain`,
      ['go', 'run', './tools/notice', 'quoted words', 'single quoted', 'plain'],
    ],
    ['echo ""', ['echo', '']],
    ["echo ''", ['echo', '']],
    ['echo a""b', ['echo', 'ab']],
    [`sh -c 'go mod tidy && go generate ./...'`, ['sh', '-c', 'go mod tidy && go generate ./...']],
    // outside single quotes a backslash escapes one character; \t and \n become tab and newline
    ['echo a\\ b', ['echo', 'a b']],
    ['echo a\\tb c\\nd', ['echo', 'a\tb', 'c\nd']],
    // unlike POSIX sh, the backslash escapes inside double quotes too
    ['echo "a\\qb"', ['echo', 'aqb']],
    ["echo 'a\\qb'", ['echo', 'a\\qb']],
    // $ and backticks are literal inside quotes (a shell started with sh -c expands them)
    [`sh -c "echo $HOME"`, ['sh', '-c', 'echo $HOME']],
    ['echo \'$(date)\' "`x`"', ['echo', '$(date)', '`x`']],
    ['echo 100$', ['echo', '100$']],
    ['', []],
  ])('%j → %j', (line, argv) => {
    expect(splitCommand(line)).toEqual(argv);
  });

  it('on Windows the backslash is an ordinary character', () => {
    expect(splitCommand('C:\\tools\\x.exe "a b"', { windows: true })).toEqual(['C:\\tools\\x.exe', 'a b']);
    // elsewhere `\t` is a tab and `\x` an x
    expect(splitCommand('C:\\tools\\x.exe')).toEqual(['C:\toolsx.exe']);
  });

  it('an unclosed quote or trailing backslash cannot be split', () => {
    for (const line of ['echo "a', "echo 'a", 'echo a\\']) {
      expect(() => splitCommand(line)).toThrow(HookSyntaxError);
    }
    expect(() => splitCommand('echo "a')).toThrow(/an unclosed "/);
  });
});

describe('commands that need a shell are refused', () => {
  it.each([
    ['go mod tidy && go generate ./...', '&&', 'would silently run only `go mod tidy`'],
    ['make a || true', '||', 'would silently run only `make a`'],
    ['go test ./... | tee out', '|', 'a pipe'],
    ['go version > v.txt', '>', 'output redirection'],
    ['go run . 2>&1', '>', 'output redirection'],
    ['sort < in', '<', 'input redirection'],
    ['cd x; make', ';', 'command list'],
    ['sleep 1 &', '&', 'background'],
    ['echo $(git describe)', '$(', 'command substitution'],
    ['echo `date`', '`', 'backticks'],
    ['echo $HOME', '$', '{{ .Env.NAME }}'],
    ['echo ${HOME}', '$', 'expand'],
    ['rm -f dist/*.txt', '*', 'glob'],
    ['ls file?.go', '?', 'glob'],
    ['ls [ab].go', '[', 'glob'],
    ['cat ~/.netrc', '~', '`~`'],
    ['(cd x)', '(', 'subshell'],
    ['GOFLAGS=-mod=mod go build', 'NAME=value', 'env:'],
  ])('%j: %s', (line, construct, explain) => {
    const c = shellConstruct(line);
    expect(c?.construct).toBe(construct);
    expect(c?.explain).toContain(explain);
    expect(() => splitCommand(line)).toThrow(HookSyntaxError);
  });

  it('quoted, the same characters are plain text', () => {
    expect(shellConstruct(`echo "a && b" 'c | d' "x > y" '*.go' "~"`)).toBeUndefined();
    expect(splitCommand('go build -ldflags=-X=main.v=1 ./...')).toEqual(['go', 'build', '-ldflags=-X=main.v=1', './...']);
  });

  it('the offset points at the construct', () => {
    expect(shellConstruct('go mod tidy && x')?.offset).toBe(12);
  });
});

describe('checkHookTemplate: the unrendered cmd, before anything runs', () => {
  it('template actions are not shell syntax', () => {
    expect(checkHookTemplate('echo {{ .Env.NAME | lower }} {{ if eq .Os "windows" }}win{{ end }}')).toBeUndefined();
    expect(checkHookTemplate('go run ./tools/check {{ .Target }} "{{ .Path }}"')).toBeUndefined();
  });

  it('shell syntax around templates is still found', () => {
    expect(checkHookTemplate('upx {{ .Path }} && echo done')?.detail.construct).toBe('&&');
    expect(checkHookTemplate('echo "{{ .Version }}')?.detail.construct).toBe('unterminated');
  });
});
