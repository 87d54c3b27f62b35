import { afterEach, describe, expect, it } from 'vitest';
import { Inputs, inputEnvName, parseDuration } from '../../src/action/inputs.js';
import { InputError } from '../../src/errors.js';

let values: Record<string, string> = {};
const set = (name: string, value: string) => {
  values[name] = value;
};
const inputs = Inputs.of(new Proxy({}, { get: (_t, k) => values[String(k)] }));
afterEach(() => {
  values = {};
});

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('input readers', () => {
  it('mangles names like the runner (spaces to _, upper-case, hyphens kept)', () => {
    expect(inputEnvName('go-version')).toBe('INPUT_GO-VERSION');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });

  it('reads lists from commas and newlines, dropping blanks and comments', () => {
    set('platforms', 'linux/amd64, linux/arm64\n# not this\n\ndarwin/arm64,');
    expect(inputs.list('platforms')).toEqual(['linux/amd64', 'linux/arm64', 'darwin/arm64']);
  });

  it('bool: names the input, the value, what is accepted and the default', () => {
    set('cache', 'maybe');
    const e = errorOf(() => inputs.bool('cache', true));
    expect(e.message).toBe(
      'Input "cache": got "maybe"; expected `true` or `false`. Write `cache: true` or leave it out for the default (true).',
    );
    set('cache', 'False');
    expect(inputs.bool('cache', true)).toBe(false);
  });

  it('oneOf suggests the right spelling', () => {
    set('mode', 'Keyless');
    const e = errorOf(() => inputs.oneOf('mode', ['keyless', 'key', 'verify'], 'keyless'));
    expect(e.input).toBe('mode');
    expect(e.message).toContain('expected one of `keyless`, `key`, `verify`');
    expect(e.message).toContain('Did you mean `keyless`?');
  });

  it('int and intOr check ranges and words', () => {
    set('build-groups', '0');
    expect(errorOf(() => inputs.intOr('build-groups', ['auto'], 'auto', { min: 1 })).message).toContain(
      'expected a whole number of at least 1',
    );
    set('build-groups', 'many');
    expect(errorOf(() => inputs.intOr('build-groups', ['auto'], 'auto', { min: 1 })).message).toMatch(
      /got "many"; expected `auto` or a whole number of at least 1/,
    );
    set('build-groups', 'auto');
    expect(inputs.intOr('build-groups', ['auto'], 'auto', { min: 1 })).toBe('auto');
    set('build-groups', '3');
    expect(inputs.intOr('build-groups', ['auto'], 'auto', { min: 1 })).toBe(3);
  });

  it('number accepts percentages in range', () => {
    set('coverage-threshold', '85.5%');
    expect(inputs.number('coverage-threshold', undefined, { min: 0, max: 100 })).toBe(85.5);
    set('coverage-threshold', '101');
    expect(errorOf(() => inputs.number('coverage-threshold', undefined, { min: 0, max: 100 })).message).toContain('from 0 to 100');
  });

  it('durations', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10 minutes')).toBeUndefined();
    set('retry-timeout', 'soon');
    expect(errorOf(() => inputs.duration('retry-timeout', '10m')).message).toContain('a duration such as `30s`');
  });

  it('required inputs and platforms', () => {
    expect(errorOf(() => inputs.string('key', { required: true })).message).toContain('Input "key": got "" (empty)');
    set('platforms', 'linux/amd64,linux/amd64,linux/arm/v7');
    expect(inputs.platforms('platforms', []).map((p: { variant: string }) => p.variant)).toEqual(['', 'v7']);
    set('platforms', 'windows');
    expect(errorOf(() => inputs.platforms('platforms', [])).message).toContain('Add the architecture, e.g. `windows/amd64`');
  });

  it('json and key=value lines', () => {
    set('extra', '{"a":');
    expect(errorOf(() => inputs.json('extra', {})).message).toContain('expected valid JSON');
    set('env', 'CGO_CFLAGS=-O2\nGOEXPERIMENT=loopvar');
    expect(inputs.keyValues('env')).toEqual({ CGO_CFLAGS: '-O2', GOEXPERIMENT: 'loopvar' });
    set('env', '1BAD=x');
    expect(errorOf(() => inputs.keyValues('env')).input).toBe('env');
  });
});
