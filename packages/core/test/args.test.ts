import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBuildTags, checkPackagePattern, joinArgs, splitArgs } from '../src/args.js';
import { InputError } from '../src/errors.js';

describe('splitArgs (the go command’s quoting)', () => {
  it('splits on spaces, tabs and newlines; quotes only at the start of a field, no escapes', () => {
    expect(splitArgs('-trimpath  -v\t-x\n-a')).toEqual(['-trimpath', '-v', '-x', '-a']);
    expect(splitArgs(`-ldflags='-s -w' "-gcflags=all=-N -l"`)).toEqual(["-ldflags='-s", "-w'", '-gcflags=all=-N -l']);
    expect(splitArgs(`'-X main.v=1 2' "a'b"`)).toEqual(['-X main.v=1 2', "a'b"]);
    expect(splitArgs(`a"b c"`)).toEqual(['a"b', 'c"']);
    expect(splitArgs('   ')).toEqual([]);
    expect(splitArgs(`''`)).toEqual(['']);
  });
  it('refuses an unterminated quote, naming the input', () => {
    expect(() => splitArgs(`-tags "a b`, 'flags')).toThrow(/Input "flags".*is not closed/);
  });
  it('joinArgs round-trips', () => {
    for (const args of [['-a', 'b c'], ["it's", 'x'], ['', 'y'], ['-X main.v=1 2']]) expect(splitArgs(joinArgs(args))).toEqual(args);
  });
});

describe('package patterns', () => {
  it('accepts module patterns and import paths', () => {
    for (const p of ['./...', '.', './cmd/api', './internal/...', 'all', 'example.com/m/...', 'github.com/o/r/v2/pkg']) {
      expect(checkPackagePattern('packages', p, '/ws/mod')).toBe(p);
    }
  });
  it('refuses options, shell syntax and paths outside the module', () => {
    for (const p of ['-toolexec=./pwn.sh', '-exec=x', '$(touch X)', '`id`', 'a;b', '../../../../etc', './../x', '/etc', './a b', './a|b']) {
      expect(() => checkPackagePattern('packages', p, '/ws/mod'), p).toThrow(InputError);
    }
    expect(() => checkPackagePattern('packages', '-toolexec=x')).toThrow(/cannot start with "-"/);
  });
  it('follows symlinks: a link inside the module to a folder outside it is outside', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'goship-args-'));
    mkdirSync(path.join(root, 'mod', 'cmd'), { recursive: true });
    mkdirSync(path.join(root, 'trap'));
    symlinkSync(path.join(root, 'trap'), path.join(root, 'mod', 'trap-link'));
    symlinkSync(path.join(root, 'mod', 'cmd'), path.join(root, 'mod', 'cmd-link'));
    const mod = path.join(root, 'mod');
    for (const p of ['./trap-link', './trap-link/...']) {
      expect(() => checkPackagePattern('packages', p, mod), p).toThrow(/stay inside the module \(symlinks are followed\)/);
    }
    expect(checkPackagePattern('packages', './cmd-link/...', mod)).toBe('./cmd-link/...');
  });
});

describe('build tags', () => {
  it('accepts identifiers, refuses options and expressions', () => {
    expect(checkBuildTags('tags', ['netgo', 'osusergo', 'go1.22', 'integration_test'])).toHaveLength(4);
    for (const t of ['-race', 'a||b', '!x', 'a b', '$(x)', '.x']) expect(() => checkBuildTags('tags', [t]), t).toThrow(InputError);
  });
});
