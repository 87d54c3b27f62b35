/**
 * Version variables found without configuration. When neither a GoReleaser file nor the `ldflags`
 * input sets the linker flags, the main package of each build and the module's version-like
 * packages (`internal/version`, `buildinfo`, …) are read for string variables named for a version,
 * commit, date or builder (`main.revision`, `main.Version`, `main.CommitSHA`,
 * `…/version.GitCommit`), and each is stamped with `-X`, as the project's own release would.
 */
import { goList } from '@goship/core/go';
import { type VersionRole, type VersionVariable, findVersionVariables, isVersionPackage } from '@goship/core/go-vars';
import type { MainPkg } from './targets.js';

/** The template each role is stamped with. */
export const ROLE_VALUES: Readonly<Record<Exclude<VersionRole, 'builtBy'>, string>> = {
  version: '{{.Version}}',
  commit: '{{.Commit}}',
  date: '{{.Date}}',
};

export interface Stamp extends VersionVariable {
  /** The `-X` flag, unrendered: `-X main.revision={{.Commit}}`. */
  flag: string;
}

/** The version-like packages of the module (not main ones: a main package is scanned as the build's). */
export async function versionPackages(workdir: string, env: Record<string, string>): Promise<Awaited<ReturnType<typeof goList>>> {
  const all = await goList(['./...'], { cwd: workdir, env, find: true });
  return all.filter((p) => !p.Error && p.Name !== 'main' && isVersionPackage(p.ImportPath));
}

/**
 * The stamps of one build: the variables of its main packages and of the module's version-like
 * packages, minus those the default flags already set (`main.version` …).
 */
export async function findStamps(
  workdir: string,
  mains: readonly MainPkg[],
  versionPkgs: Awaited<ReturnType<typeof goList>>,
  env: Record<string, string>,
  o: { builtBy: string; already: string },
): Promise<Stamp[]> {
  const mainPkgs = (
    await goList(
      mains.map((m) => m.importPath),
      { cwd: workdir, env, find: true },
    )
  ).filter((p) => !p.Error && p.Name === 'main');
  const found = await findVersionVariables([...mainPkgs, ...versionPkgs], workdir);
  const out: Stamp[] = [];
  const seen = new Set<string>();
  for (const v of found) {
    const name = `${v.importPath}.${v.name}`;
    // the default flags set these already; a variable found twice (in two mains) is stamped once
    if (seen.has(name) || o.already.includes(`-X ${name}=`)) continue;
    seen.add(name);
    const value = v.role === 'builtBy' ? o.builtBy : ROLE_VALUES[v.role];
    out.push({ ...v, flag: `-X ${name}=${value}` });
  }
  return out;
}
