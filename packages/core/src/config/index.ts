/**
 * `@goship/core/config`: read a module's `.goreleaser.yaml` as GoReleaser v2.15.1 does, into
 * goship's typed settings, with the list of keys goship does not apply.
 */
export { CONFIG_NAMES, type FindOptions, findConfig } from './find.js';
export {
  DEFAULT_ARCHIVE_FILES,
  DEFAULT_ARCHIVE_NAME,
  DEFAULT_BINARY_ARCHIVE_NAME,
  DEFAULT_CHANGELOG_FORMAT_GIT,
  DEFAULT_CHANGELOG_FORMAT_SCM,
  DEFAULT_CHECKSUM_NAME,
  DEFAULT_LDFLAGS,
  DEFAULT_RELEASE_NAME,
  DEFAULT_SNAPSHOT_VERSION,
  type ReadOptions,
  expandEnv,
  goreleaserConfigFromText,
  goreleaserDefaults,
  moduleNameOf,
  readGoreleaserConfig,
} from './goreleaser.js';
export { ConfigError, type ConfigProblem, problemText } from './config-error.js';
export type * from './settings.js';
export { type Tmpl, type Where, describe, fileLine, isDefault } from './where.js';
export {
  DEFAULT_VARIANTS,
  FIRST_CLASS_TARGETS,
  type GoTarget,
  type TargetMatrix,
  expandTargets,
  fixTarget,
  parseTarget,
  targetEnv,
  targetPlatform,
} from './targets.js';
export { HookSyntaxError, type ShellConstruct, type SplitOptions, checkHookTemplate, shellConstruct, splitCommand } from './hooks.js';
export { GoRegexpError, goRegexp } from './go-regexp.js';
export { buildDetailsFor, buildsOf, formatsFor } from './apply.js';
export {
  DEFAULT_PACKAGE_FILE_NAME,
  type InputMapping,
  type InputValue,
  type Nfpm,
  type NfpmContent,
  type NfpmScripts,
  type Packaging,
  type Tap,
  type TapRepository,
  packageInputs,
  tapInputs,
} from './packaging.js';
