/**
 * `image-builder: buildx`: for projects that need a Dockerfile. The binaries are staged by
 * TARGETPLATFORM (`<context>/<os>/<arch>[/<variant>]/<name>`, so a Dockerfile does
 * `COPY $TARGETPLATFORM/app /usr/local/bin/app`) and `docker buildx build --push` runs; the digest is
 * read back from the metadata file. Needs a Docker daemon: without one it fails with a clear error.
 */
import { readFile } from 'node:fs/promises';
import { GoshipError, InputError } from '@goship/core/errors';
import { run } from '@goship/core/exec';
import { type Platform, formatPlatform, ociPlatform } from '@goship/core/platform';

export interface BuildxSpec {
  dockerfile: string;
  context: string;
  platforms: readonly Platform[];
  /** Full references, one per tag. */
  refs: readonly string[];
  labels: Record<string, string>;
  metadataFile: string;
  buildArgs?: Record<string, string>;
}

/** TARGETPLATFORM as buildx spells it (`linux/arm/v7`, `linux/arm64`). */
export function targetPlatform(p: Platform): string {
  const o = ociPlatform(p);
  return [o.os, o.architecture, o.architecture === 'arm64' && o.variant === 'v8' ? undefined : o.variant].filter(Boolean).join('/');
}

export function buildxArgv(s: BuildxSpec): string[] {
  const argv = [
    'buildx',
    'build',
    '--file',
    s.dockerfile,
    '--platform',
    s.platforms.map(targetPlatform).join(','),
    '--push',
    '--metadata-file',
    s.metadataFile,
    '--provenance=false',
  ];
  for (const r of s.refs) argv.push('--tag', r);
  for (const [k, v] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))) argv.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(s.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) argv.push('--build-arg', `${k}=${v}`);
  argv.push(s.context);
  return argv;
}

/** Fails with an InputError naming `image-builder` when no Docker daemon answers. */
export async function requireDaemon(docker = 'docker'): Promise<void> {
  let r;
  try {
    r = await run(docker, ['version', '--format', '{{.Server.Version}}'], { silent: true, allowFailure: true, timeoutMs: 20_000 });
  } catch (e) {
    throw new InputError(
      'image-builder',
      'buildx',
      'a runner with a Docker client and daemon',
      `Could not run \`${docker}\`: ${(e as Error).message}. Use \`image-builder: native\` (no daemon needed)`,
    );
  }
  if (r.code !== 0 || r.stdout.trim() === '') {
    const why = (r.stderr.trim().split('\n').pop() ?? '').trim() || 'no answer from the daemon';
    throw new InputError(
      'image-builder',
      'buildx',
      'a runner where a Docker daemon answers',
      `\`docker version\` said: ${why}. Use \`image-builder: native\` (no daemon needed)`,
    );
  }
}

export async function runBuildx(s: BuildxSpec, docker = 'docker'): Promise<string> {
  await requireDaemon(docker);
  await run(docker, buildxArgv(s));
  const meta = JSON.parse(await readFile(s.metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = meta['containerimage.digest'];
  if (typeof digest !== 'string' || !digest.startsWith('sha256:')) {
    throw new GoshipError(
      `docker buildx wrote no image digest to ${s.metadataFile} (platforms ${s.platforms.map(formatPlatform).join(', ')}).`,
    );
  }
  return digest;
}
