/**
 * Verify mode, for consumers of a release: with the expected signer (a public key, or a
 * certificate identity and issuer) it checks, as strictly as cosign would,
 *
 * - the bundle beside every file of the selected kinds;
 * - the provenance: its signature, and that every file of the manifest and every image digest is
 *   one of its subjects with its current digest;
 * - SBOM attestation files, about the file the manifest says;
 * - with `sign: images`, the image's cosign v3 signature and (with `provenance`) its provenance
 *   among the Sigstore bundles its registry lists as referrers.
 *
 * Every failure is listed; the step fails when there is any.
 */
import { readFile } from 'node:fs/promises';
import type { ActionContext } from '@goship/core/action';
import { GoshipError, InputError } from '@goship/core/errors';
import { resolveArtifact, selectArtifacts, type ResolvedFile } from '@goship/core/manifest';
import { resolveConfined } from '@goship/core/paths';
import { Summary } from '@goship/core/summary';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { GITHUB_ISSUER, type Config } from './config.js';
import { loadPublicKey } from './keys.js';
import { COSIGN_SIGN_PREDICATE, CYCLONEDX_PREDICATE, SLSA_PROVENANCE_V1, SPDX_PREDICATE } from './provenance.js';
import { Registry } from './registry.js';
import { callService } from './signing.js';
import { resolveSubjects, type ImageSubject, type Subjects } from './subjects.js';
import { BundleVerifier, parseBundle, parseBundleText, type Policy } from './verify.js';

interface Check {
  /** What was checked (a file name, `provenance`, an image), and which evidence. */
  what: string;
  check: string;
  digest: string;
  where: string;
  ok: boolean;
  signer?: string;
  problem?: string;
}

const short = (hex: string): string => (hex ? `sha256:${hex.slice(0, 12)}…` : '');

export async function verifyMode(ctx: ActionContext, cfg: Config, root: TrustedRoot | undefined): Promise<void> {
  const policy = verifyPolicy(cfg, root);
  const subjects = await ctx.phase('Resolve subjects', () => resolveSubjects(cfg, ctx.log));
  const v = new BundleVerifier(root, policy);
  const checks: Check[] = [];
  await ctx.phase(`Verify ${subjects.files.length} file signature(s)`, () => verifyFiles(cfg, v, subjects.files, checks));
  if (cfg.provenance) await ctx.phase('Verify the provenance', () => verifyProvenance(cfg, v, subjects, checks));
  if (subjects.manifest && cfg.sbomAttestations !== 'none')
    await ctx.phase('Verify SBOM attestations', () => verifySbomFiles(cfg, v, subjects, checks));
  if (cfg.sign.has('images') && subjects.images.length)
    await ctx.phase(`Verify ${subjects.images.length} image(s) in their registry`, () =>
      verifyImages(ctx, cfg, v, subjects.images, checks),
    );
  ctx.outputs(verifyOutputs(cfg, checks));
  await ctx.summary(verifySummary(policy, checks));
  const failed = checks.filter((c) => !c.ok);
  if (!checks.length)
    throw new GoshipError('Nothing was verified.', 'Set `sign:` to kinds the release has, or point `manifest:` at its manifest');
  if (failed.length) {
    throw new GoshipError(
      `${failed.length} of ${checks.length} check(s) failed:\n  - ${failed.map((c) => c.problem).join('\n  - ')}`,
      'Do not use these artifacts: they are not what the expected signer signed',
    );
  }
}

function verifyOutputs(cfg: Config, checks: readonly Check[]): Record<string, string> {
  const files = checks.filter((c) => c.ok && c.check === 'signature' && !c.where.startsWith('registry'));
  return {
    bundles: JSON.stringify(Object.fromEntries(files.map((c) => [c.what, c.where]))),
    provenance: checks.find((c) => c.check === 'provenance' && c.ok)?.where ?? '',
    attestations: '[]',
    verified: String(checks.length > 0 && checks.every((c) => c.ok)),
    manifest: cfg.manifest ? cfg.manifestInput : '',
    'public-key': '',
  };
}

function verifySummary(policy: Policy, checks: readonly Check[]): Summary {
  return new Summary()
    .heading('sign-attest: verify')
    .text(
      policy.publicKey
        ? 'Expected signer: the given public key.'
        : `Expected identity ${String(policy.identity)}, issuer ${policy.issuer}.`,
    )
    .table(
      ['subject', 'evidence', 'digest', 'where', 'signer', 'result'],
      checks.map((c) => [c.what, c.check, c.digest, c.where, c.signer ?? '—', c.ok ? '✅' : '❌']),
    );
}

function verifyPolicy(cfg: Config, root: TrustedRoot | undefined): Policy {
  const publicKey = cfg.key ? loadPublicKey(cfg.key) : undefined;
  if (!root && !publicKey) {
    throw new InputError(
      'trusted-root',
      '',
      'the trusted root of the Sigstore instance that signed (a custom `fulcio-url`/`rekor-url` has no public root to fetch)',
      'Pass its trusted_root.json (`cosign trusted-root create`), or a public `key` for key-signed bundles',
    );
  }
  if (publicKey) return { publicKey, tlog: cfg.tlog && !!root, tsa: !!cfg.tsaURL };
  return { identity: cfg.identityRegexp ?? cfg.identity, issuer: cfg.issuer || GITHUB_ISSUER, tlog: cfg.tlog, tsa: !!cfg.tsaURL };
}

async function readConfined(cfg: Config, file: string, label: string): Promise<string> {
  if (!resolveConfined(file, { roots: cfg.roots }).ok) throw new GoshipError(`${label} leads outside the workspace; not read.`);
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new GoshipError(`${label}: there is no such file.`);
  }
}

function record(
  checks: Check[],
  [what, check]: [string, string],
  digest: string,
  where: string,
  fn: () => Promise<string | undefined> | string | undefined,
): Promise<void> {
  return Promise.resolve()
    .then(fn)
    .then(
      (signer) => void checks.push({ what, check, digest, where, ok: true, signer: signer ?? 'key' }),
      (e: unknown) =>
        void checks.push({
          what,
          check,
          digest,
          where,
          ok: false,
          problem: e instanceof GoshipError ? e.message : `${what}: ${String((e as Error).message)}`,
        }),
    );
}

async function verifyFiles(cfg: Config, v: BundleVerifier, files: readonly ResolvedFile[], checks: Check[]): Promise<void> {
  for (const f of files) {
    const where = `${f.relPath}.sigstore.json`;
    await record(checks, [f.name, 'signature'], short(f.sha256), where, async () => {
      const bundle = parseBundleText(await readConfined(cfg, `${f.file}.sigstore.json`, where), where);
      return v.verify(bundle, { type: 'blob', data: await readFile(f.file) }, f.relPath).identity;
    });
  }
}

async function verifyProvenance(cfg: Config, v: BundleVerifier, s: Subjects, checks: Check[]): Promise<void> {
  const art = s.manifest ? selectArtifacts(s.manifest, { kinds: ['provenance'] })[0] : undefined;
  if (!art) return;
  await record(checks, [`${s.covered.length + s.images.length} subjects`, 'provenance'], '', art.path ?? art.name, async () => {
    // The provenance's own digest changes with every run; only its place is checked here.
    const file = await resolveArtifact({ ...art, sha256: undefined }, cfg.workdir, { roots: cfg.roots, manifestFile: cfg.manifestInput });
    const bundle = parseBundleText(await readFile(file.file, 'utf8'), file.relPath);
    const r = v.verify(bundle, { type: 'statement', predicateTypes: [SLSA_PROVENANCE_V1] }, file.relPath);
    const digests = new Set(r.statement!.subject.map((x) => x.digest.sha256));
    const missing = [
      ...s.covered.map((c) => ({ name: c.name, sha256: c.sha256 })),
      ...s.images.map((i) => ({ name: i.name, sha256: i.digest.slice(7) })),
    ].filter((c) => !digests.has(c.sha256));
    if (missing.length)
      throw new GoshipError(`The provenance does not cover ${missing.map((m) => m.name).join(', ')} with their current digests.`);
    return r.identity;
  });
}

async function verifySbomFiles(cfg: Config, v: BundleVerifier, s: Subjects, checks: Check[]): Promise<void> {
  for (const att of selectArtifacts(s.manifest!, { kinds: ['attestation'] }).filter((a) => a.path && a.describes)) {
    const described = s.covered.find((c) => c.name === att.describes);
    await record(checks, [att.describes!, 'SBOM attestation'], short(described?.sha256 ?? ''), att.path!, async () => {
      if (!described) throw new GoshipError(`${att.path} describes ${att.describes}, which is not a file of the manifest.`);
      const file = await resolveArtifact({ ...att, sha256: undefined }, cfg.workdir, { roots: cfg.roots, manifestFile: cfg.manifestInput });
      const bundle = parseBundleText(await readFile(file.file, 'utf8'), file.relPath);
      return v.verify(
        bundle,
        { type: 'statement', predicateTypes: [SPDX_PREDICATE, CYCLONEDX_PREDICATE], sha256: described.sha256 },
        file.relPath,
      ).identity;
    });
  }
}

async function verifyImages(
  ctx: ActionContext,
  cfg: Config,
  v: BundleVerifier,
  images: readonly ImageSubject[],
  checks: Check[],
): Promise<void> {
  const policy = { timeoutMs: cfg.retryTimeoutMs, log: (m: string) => ctx.log.info(m) };
  for (const img of images) {
    const hex = img.digest.slice(7);
    const reg = await Registry.open(img.registry, img.repository, cfg.githubToken, process.env, (m) => ctx.log.debug(m));
    const found = await callService(img.registry, `the referrers of ${img.ref}`, policy, () => reg.bundles(img.digest));
    const wanted: [string, string][] = [
      ['signature', COSIGN_SIGN_PREDICATE],
      ...(cfg.provenance ? ([['provenance', SLSA_PROVENANCE_V1]] as [string, string][]) : []),
    ];
    for (const [what, predicateType] of wanted) {
      await record(checks, [img.name, what], short(hex), 'registry referrers', () => {
        const errors: string[] = [];
        for (const b of found.filter((x) => !x.predicateType || x.predicateType === predicateType)) {
          try {
            return v.verify(
              parseBundle(b.json, b.digest),
              { type: 'statement', predicateTypes: [predicateType], sha256: hex },
              `${img.ref} referrer ${b.digest}`,
            ).identity;
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
        throw new GoshipError(
          `${img.ref}: no ${what} bundle among its referrers verifies${errors.length ? ` (${errors.join('; ')})` : ''}.`,
        );
      });
    }
  }
}
