/** The step's outputs, all from one place (action.yml documents each). */
import { platformEntries } from './matrix.js';
import type { Setup } from './setup.js';

export function setupOutputs(s: Setup): Record<string, string> {
  const { affected } = s.analysis;
  const modules = s.caches.restored.find((r) => r.kind === 'modules');
  return {
    matrix: JSON.stringify(s.matrix),
    'go-versions': JSON.stringify(s.res.versions),
    'go-version': s.res.version,
    platforms: JSON.stringify(platformEntries(s.inp.platforms, s.targets.ports)),
    'build-groups': JSON.stringify(s.groups),
    module: s.res.goMod?.module ?? s.res.versionFile?.module ?? '',
    'go-directive': s.res.goDirective ?? '',
    binaries: JSON.stringify(s.analysis.binaries),
    'affected-packages': JSON.stringify(affected?.packages ?? []),
    'affected-binaries': JSON.stringify(s.analysis.affectedBinaries),
    // without an analysis every package counts as affected
    affected: String(affected ? affected.packages.length > 0 || affected.all : true),
    'cache-hit': String(modules?.outcome === 'hit' || modules?.outcome === 'already restored'),
    'cache-key': modules?.key ?? '',
    'build-cache-key': s.caches.restored.find((r) => r.kind === 'build')?.key ?? '',
    'go-root': s.go.goroot ?? '',
  };
}
