/**
 * Every package is checked by its format's own tools before the step succeeds: deb with
 * `dpkg-deb --info`/`--contents` and `lintian` (errors fail, warnings are reported), rpm with
 * `rpm -qip`/`-qlp` and `rpm -K` (header and payload digests), apk — no apk-tools on Debian —
 * with GNU tar's listing and goship's own reading of `.PKGINFO` (fields, and `datahash` against the
 * data stream's sha256). A tool the runner lacks is reported as not run, never as passed.
 */
import { GoshipError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { mapLimit } from '@goship/core/retry';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import type { BuiltPackage } from './build.js';

export type CheckState = 'passed' | 'failed' | 'not run';

export interface Check {
  tool: string;
  state: CheckState;
  /** What was found (or why it did not run). */
  detail: string;
}

export interface Verification {
  pkg: BuiltPackage;
  checks: Check[];
  /** Lintian warnings and infos (E tags are failures). */
  warnings: string[];
}

async function tool(cmd: string, args: string[]): Promise<{ code: number | null; out: string } | undefined> {
  try {
    const r = await run(cmd, args, { silent: true, allowFailure: true, env: { LC_ALL: 'C.UTF-8' } });
    return { code: r.code, out: r.stdout + r.stderr };
  } catch (e) {
    if (e instanceof GoshipError && /command not found/.test(e.message)) return undefined;
    throw e;
  }
}

const notInstalled = (t: string, pkg: string): Check => ({
  tool: t,
  state: 'not run',
  detail: `${t.split(' ')[0]} is not installed on this runner (Debian/Ubuntu package \`${pkg}\`)`,
});

function fieldsOf(text: string, sep: RegExp): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const x = sep.exec(line);
    if (x && !m.has(x[1]!.trim())) m.set(x[1]!.trim(), x[2]!.trim());
  }
  return m;
}

function compare(what: string, got: Map<string, string>, want: Record<string, string>): string[] {
  return Object.entries(want)
    .filter(([k, v]) => got.get(k) !== v)
    .map(([k, v]) => `${what} ${k} is ${JSON.stringify(got.get(k) ?? '')}, expected ${JSON.stringify(v)}`);
}

function missingFiles(listed: string[], want: string[]): string[] {
  const have = new Set(listed.map((l) => l.replace(/^\.\//, '/').replace(/\/$/, '')));
  return want.filter((f) => !have.has(f)).map((f) => `${f} is not in the package`);
}

async function verifyDeb(p: BuiltPackage, lintian: boolean): Promise<{ checks: Check[]; warnings: string[] }> {
  const checks: Check[] = [];
  const warnings: string[] = [];
  const info = await tool('dpkg-deb', ['--info', p.file]);
  if (!info) checks.push(notInstalled('dpkg-deb --info', 'dpkg'));
  else {
    const f = fieldsOf(info.out, /^\s*([A-Za-z-]+):\s?(.*)$/);
    const bad =
      info.code !== 0
        ? [info.out.trim().split('\n').slice(-1)[0]!]
        : compare('control', f, { Package: p.expect.name, Version: p.expect.version, Architecture: p.expect.arch });
    checks.push({
      tool: 'dpkg-deb --info',
      state: bad.length ? 'failed' : 'passed',
      detail: bad.join('; ') || `${f.get('Package')} ${f.get('Version')} ${f.get('Architecture')}`,
    });
  }
  const list = await tool('dpkg-deb', ['--contents', p.file]);
  if (!list) checks.push(notInstalled('dpkg-deb --contents', 'dpkg'));
  else {
    const paths = list.out
      .split('\n')
      .filter(Boolean)
      .map((l) =>
        l
          .split(/\s+/)
          .slice(5)
          .join(' ')
          .replace(/ -> .*$/, ''),
      );
    const owners = list.out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[1]);
    const bad = list.code !== 0 ? ['dpkg-deb could not list it'] : missingFiles(paths, p.expect.files);
    checks.push({
      tool: 'dpkg-deb --contents',
      state: bad.length ? 'failed' : 'passed',
      detail: bad.join('; ') || `${paths.length} entries, owners ${[...new Set(owners)].sort().join(', ')}`,
    });
  }
  if (!lintian) return { checks, warnings };
  const l = await tool('lintian', ['--no-tag-display-limit', '--display-info', p.file]);
  if (!l) checks.push(notInstalled('lintian', 'lintian'));
  else {
    const tags = l.out.split('\n').filter((x) => /^[EWIPX]: /.test(x));
    const errors = tags.filter((t) => t.startsWith('E: '));
    warnings.push(...tags.filter((t) => !t.startsWith('E: ')));
    const crashed = l.code !== 0 && errors.length === 0 && !tags.length;
    checks.push({
      tool: 'lintian',
      state: errors.length || crashed ? 'failed' : 'passed',
      detail: errors.length
        ? errors.join('; ')
        : crashed
          ? l.out.trim().split('\n').slice(-1)[0]!
          : `no errors, ${warnings.length} warning(s)/info(s)`,
    });
  }
  return { checks, warnings };
}

async function verifyRpm(p: BuiltPackage): Promise<Check[]> {
  const checks: Check[] = [];
  const info = await tool('rpm', ['-qip', p.file]);
  if (!info) return [notInstalled('rpm -qip', 'rpm')];
  const f = fieldsOf(info.out, /^([A-Za-z ]+?)\s*:\s?(.*)$/);
  const badInfo =
    info.code !== 0
      ? [info.out.trim().split('\n').slice(-1)[0]!]
      : compare('header', f, { Name: p.expect.name, Version: p.expect.version, Architecture: p.expect.arch });
  checks.push({
    tool: 'rpm -qip',
    state: badInfo.length ? 'failed' : 'passed',
    detail: badInfo.join('; ') || `${f.get('Name')} ${f.get('Version')}-${f.get('Release')} ${f.get('Architecture')}`,
  });
  const list = await tool('rpm', ['-qlp', p.file]);
  const badList =
    !list || list.code !== 0
      ? ['rpm could not list it']
      : missingFiles(
          list.out.split('\n').filter((x) => x.startsWith('/')),
          p.expect.files,
        );
  checks.push({
    tool: 'rpm -qlp',
    state: badList.length ? 'failed' : 'passed',
    detail: badList.join('; ') || `${list!.out.split('\n').filter((x) => x.startsWith('/')).length} files`,
  });
  const k = await tool('rpm', ['-K', '--nosignature', p.file]);
  const ok = k && k.code === 0 && /digests OK|: OK|\bOK$/m.test(k.out);
  checks.push({
    tool: 'rpm -K',
    state: ok ? 'passed' : 'failed',
    detail: ok ? 'header and payload digests OK' : (k?.out.trim() ?? 'rpm -K did not run'),
  });
  return checks;
}

/** The members of a concatenated gzip stream (an apk is control.tar.gz + data.tar.gz), as compressed slices. */
export function gzipMembers(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf[off] !== 0x1f || buf[off + 1] !== 0x8b || buf[off + 2] !== 8) throw new GoshipError(`not a gzip member at byte ${off}`);
    const flags = buf[off + 3]!;
    let p = off + 10;
    if (flags & 4) p += 2 + buf.readUInt16LE(p);
    if (flags & 8) p = buf.indexOf(0, p) + 1;
    if (flags & 16) p = buf.indexOf(0, p) + 1;
    if (flags & 2) p += 2;
    const r = inflateRawSync(buf.subarray(p), { info: true }) as unknown as { engine: { bytesWritten: number } };
    const end = p + r.engine.bytesWritten + 8;
    out.push(buf.subarray(off, end));
    off = end;
  }
  return out;
}

/** The entries of an (uncompressed) tar stream with the content of regular files (empty for links and folders); a cut tar without its end is fine. */
export function tarFiles(tar: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = h.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const full = prefix ? `${prefix}/${name}` : name;
    if (type === '0' || type === '\0') out.set(full, tar.subarray(off + 512, off + 512 + size));
    else if (type !== 'x' && type !== 'g' && type !== 'L') out.set(full.replace(/\/$/, ''), Buffer.alloc(0));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

async function verifyApk(p: BuiltPackage): Promise<Check[]> {
  const checks: Check[] = [];
  const listed = await tool('tar', ['-tzf', p.file]);
  if (!listed) checks.push(notInstalled('tar -tzf', 'tar'));
  else {
    const bad =
      listed.code !== 0 && !/Ignoring unknown extended header/.test(listed.out)
        ? ['tar could not list it']
        : missingFiles(
            listed.out
              .split('\n')
              .filter((x) => x && !x.startsWith('tar:'))
              .map((x) => `/${x}`),
            p.expect.files,
          );
    checks.push({
      tool: 'tar -tzf',
      state: bad.length ? 'failed' : 'passed',
      detail: bad.join('; ') || `${listed.out.split('\n').filter((x) => x && !x.startsWith('tar:')).length} entries`,
    });
  }
  const problems: string[] = [];
  let detail = '';
  try {
    const members = gzipMembers(await readFile(p.file));
    if (members.length < 2) throw new GoshipError(`${members.length} gzip stream(s), expected control and data`);
    const control = tarFiles(gunzipSync(members.at(-2)!));
    const data = members.at(-1)!;
    const pkginfo = control.get('.PKGINFO');
    if (!pkginfo) throw new GoshipError('no .PKGINFO in the control stream');
    const f = fieldsOf(pkginfo.toString('utf8'), /^([a-z_]+) = (.*)$/);
    problems.push(...compare('.PKGINFO', f, { pkgname: p.expect.name, pkgver: p.expect.version, arch: p.expect.arch }));
    const datahash = createHash('sha256').update(data).digest('hex');
    if (f.get('datahash') !== datahash)
      problems.push(`.PKGINFO datahash is ${f.get('datahash') ?? '(none)'}, the data stream hashes to ${datahash}`);
    const entries = tarFiles(gunzipSync(data));
    const files = [...entries.keys()].map((n) => `/${n}`);
    const size = [...entries.values()].reduce((a, b) => a + b.length, 0);
    if (Number(f.get('size')) < size) problems.push(`.PKGINFO size ${f.get('size')} is less than the files' ${size} bytes`);
    problems.push(
      ...missingFiles(
        files,
        p.expect.files.filter((x) => !x.endsWith('/')),
      ),
    );
    detail = `${f.get('pkgname')} ${f.get('pkgver')} ${f.get('arch')}, datahash matches`;
  } catch (e) {
    problems.push((e as Error).message);
  }
  checks.push({ tool: '.PKGINFO (goship)', state: problems.length ? 'failed' : 'passed', detail: problems.join('; ') || detail });
  return checks;
}

export async function verifyPackages(pkgs: readonly BuiltPackage[], o: { lintian: boolean }): Promise<Verification[]> {
  // The checks of different packages are independent (lintian is the slow one): one per core.
  return mapLimit(pkgs, Math.max(1, os.availableParallelism()), async (p): Promise<Verification> => {
    if (p.format === 'deb') {
      const r = await verifyDeb(p, o.lintian);
      return { pkg: p, checks: r.checks, warnings: r.warnings };
    }
    if (p.format === 'rpm') return { pkg: p, checks: await verifyRpm(p), warnings: [] };
    return { pkg: p, checks: await verifyApk(p), warnings: [] };
  });
}

/** Throws with every failed check listed. */
export function assertVerified(v: readonly Verification[]): void {
  const failed = v.flatMap((x) =>
    x.checks.filter((c) => c.state === 'failed').map((c) => `${x.pkg.artifact.name}: ${c.tool}: ${c.detail}`),
  );
  if (failed.length) {
    throw new GoshipError(
      `${failed.length} package check(s) failed:\n  - ${failed.join('\n  - ')}`,
      'Fix the package inputs the checks name (lintian tags: https://lintian.debian.org/tags), or override a lintian tag that does not apply with `package-lintian-overrides`',
    );
  }
}
