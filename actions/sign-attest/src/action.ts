/**
 * sign-attest: signs what multiarch-build's manifest lists (or files given by globs) with one
 * Sigstore identity for the whole run, attests SLSA provenance and SBOMs, verifies everything it
 * wrote, and records the bundles in the manifest. `mode: verify` checks existing bundles.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { GoshipError, InputError } from '@goship/core/errors';
import { artifactsOf, readManifest, upsertArtifacts, writeManifest, type Artifact, type Manifest } from '@goship/core/manifest';
import { mapLimit } from '@goship/core/retry';
import type { ActionContext } from '@goship/core/action';
import { Summary } from '@goship/core/summary';
import { bundleToJSON, type Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { GITHUB_ISSUER, PUBLIC_FULCIO, PUBLIC_REKOR, readConfig, type Config } from './config.js';
import { loadPublicKey, loadSigningKey } from './keys.js';
import { provenanceStatement, sbomStatement, type Statement, type Subject } from './provenance.js';
import { attachSignature, parseImageRef, Registry, signatureTag, simpleSigningPayload, type ImageRef } from './registry.js';
import { KeySigner, KeylessSigner, callService, signBlob, signStatement, type Signer, type WitnessOptions } from './signing.js';
import { globSubjects, manifestSubjects, provenanceSubjects, type FileSubject } from './subjects.js';
import { parseBundle, publicGoodTrustedRoot, readTrustedRoot, trustMaterial, verifyBundle, type Policy } from './verify.js';

interface Written {
  subject: string;
  sha256: string;
  /** Image signatures: where the signature is stored in the registry. */
  ref?: string;
  bundle: string;
  sig?: string;
  logIndex?: string;
  verified?: boolean;
  identity?: string;
}

interface AttestationOut {
  type: string;
  subjects: string[];
  path: string;
  id?: string;
  url?: string;
}

function rel(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

function shortDigest(d: string): string {
  return `sha256:${d.slice(0, 12)}…`;
}

function toSubject(s: FileSubject): Subject {
  return { name: s.name, digest: { sha256: s.sha256 } };
}

async function writeJSONFile(file: string, data: unknown, jsonl = false): Promise<void> {
  await writeFile(file, jsonl ? `${JSON.stringify(data)}\n` : `${JSON.stringify(data, null, 2)}\n`);
}

export async function main(ctx: ActionContext): Promise<void> {
  const startedOn = new Date();
  const cfg = readConfig(ctx.inputs);
  // The module's folder: the manifest and the paths it lists are relative to it, as multiarch-build wrote them.
  const cwd = path.resolve(ctx.inputs.string('working-directory', { default: '.' }));
  if (!existsSync(cwd)) {
    throw new InputError('working-directory', cwd, 'an existing folder', 'Use the same working-directory as multiarch-build');
  }
  const signingKey = cfg.mode === 'key' ? loadSigningKey(cfg.key, cfg.keyPassword) : undefined;

  // Everything below up to "Sign" reads and checks; nothing is written or signed yet.
  const manifest = cfg.subjects.length ? undefined : await readManifest(path.resolve(cwd, cfg.manifest));
  const root = cfg.trustedRoot
    ? await readTrustedRoot(cfg.trustedRoot)
    : needsPublicGoodRoot(cfg)
      ? await ctx.phase('Trusted root: Sigstore public good (TUF)', () => publicGoodTrustedRoot())
      : undefined;
  const images: (ImageRef & { name: string; ref: string })[] = [];
  if (manifest && cfg.sign.has('images')) {
    for (const a of artifactsOf(manifest, 'image')) {
      const ref = parseImageRef(a.ref ?? '');
      if (!ref) {
        throw new GoshipError(
          `Image ${a.name} in the manifest has ref ${JSON.stringify(a.ref)}, not REGISTRY/REPOSITORY@sha256:<digest>.`,
          'Images are signed by digest; multiarch-build records it',
        );
      }
      images.push({ ...ref, name: a.name, ref: a.ref! });
    }
  }
  const subjects = await ctx.phase('Resolve subjects', async () => {
    const list = manifest ? await manifestSubjects(manifest, cfg.sign, cwd) : await globSubjects(cfg.subjects, cwd);
    for (const i of images) core.info(`${i.ref}  (image)`);
    if (list.length === 0 && images.length === 0) {
      throw new GoshipError(
        manifest
          ? `The manifest ${cfg.manifest} has no ${[...cfg.sign].join('/')} artifacts with files to ${cfg.mode === 'verify' ? 'verify' : 'sign'}.`
          : 'No subjects.',
        'Set `sign:` to kinds the manifest contains (e.g. `sign: all`), or pass files with `subjects:`',
      );
    }
    for (const s of list) core.info(`${s.relPath}  ${s.sha256}  ${s.size} B`);
    return list;
  });

  if (cfg.mode === 'verify') return verifyMode(ctx, cfg, cwd, manifest, subjects, images, root);

  const signer: Signer = signingKey
    ? new KeySigner(signingKey)
    : await ctx.phase('Identity: OIDC token and Fulcio certificate', async () => {
        let token: string;
        try {
          token = await core.getIDToken('sigstore');
        } catch (e) {
          throw new GoshipError(
            `Could not get an OIDC token from the workflow: ${(e as Error).message.replace(/\s+/g, ' ')}.`,
            'Add `permissions: { id-token: write }` to the job, or use `mode: key`',
          );
        }
        core.setSecret(token);
        const s = new KeylessSigner(cfg.fulcioURL, token, { timeoutMs: cfg.retryTimeoutMs });
        await s.material();
        const c = s.claims;
        core.info(
          `Certificate issued by ${cfg.fulcioURL} for ${c.job_workflow_ref ? `https://github.com/${c.job_workflow_ref}` : String(c.sub)} (issuer ${String(c.iss)}); one key and certificate for all ${subjects.length} subject(s).`,
        );
        return s;
      });

  const witnessOpts: WitnessOptions = {
    rekorURL: cfg.tlog ? cfg.rekorURL : undefined,
    tsaURL: cfg.tsaURL || undefined,
    policy: { timeoutMs: cfg.retryTimeoutMs },
  };

  const written: Written[] = [];
  const bundles = new Map<string, Bundle>();
  await ctx.phase(`Sign ${subjects.length} file(s)`, async () => {
    const results = await mapLimit(subjects, cfg.concurrency, async (s) => {
      const data = await readFile(s.file);
      const { bundle, signature } = await signBlob(signer, data, witnessOpts, s.relPath);
      const bundleFile = `${s.file}.sigstore.json`;
      await writeJSONFile(bundleFile, bundleToJSON(bundle));
      let sig: string | undefined;
      if (signer.mode === 'key') {
        sig = `${s.file}.sig`;
        await writeFile(sig, signature.toString('base64'));
      }
      bundles.set(bundleFile, bundle);
      const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
      core.info(`${s.relPath} → ${rel(cwd, bundleFile)}${logIndex ? ` (Rekor log index ${logIndex})` : ''}`);
      return { subject: s.name, sha256: s.sha256, bundle: bundleFile, sig, logIndex } satisfies Written;
    });
    written.push(...results);
  });
  const payloads = new Map<string, Buffer>();
  if (images.length) {
    await ctx.phase(`Sign ${images.length} image(s) (cosign-compatible)`, async () => {
      const dir = path.dirname(path.resolve(cwd, cfg.manifest));
      const results = await mapLimit(images, cfg.concurrency, async (img) => {
        const repo = `${img.registry}/${img.repository}`;
        const payload = simpleSigningPayload(repo, img.digest);
        const { bundle, signature } = await signBlob(signer, payload, witnessOpts, img.ref);
        const annotations: Record<string, string> = { 'dev.cosignproject.cosign/signature': signature.toString('base64') };
        if (signer instanceof KeylessSigner) {
          annotations['dev.sigstore.cosign/certificate'] = signer.chain[0]!;
          annotations['dev.sigstore.cosign/chain'] = signer.chain.slice(1).join('');
        }
        const tle = bundle.verificationMaterial.tlogEntries[0];
        if (tle?.inclusionPromise) {
          annotations['dev.sigstore.cosign/bundle'] = JSON.stringify({
            SignedEntryTimestamp: tle.inclusionPromise.signedEntryTimestamp.toString('base64'),
            Payload: {
              body: tle.canonicalizedBody.toString('base64'),
              integratedTime: Number(tle.integratedTime),
              logIndex: Number(tle.logIndex),
              logID: tle.logId.keyId.toString('hex'),
            },
          });
        }
        const registry = await Registry.open(img.registry, img.repository, cfg.githubToken);
        await callService(img.registry, `the signature of ${img.ref}`, { timeoutMs: cfg.retryTimeoutMs }, () =>
          attachSignature(registry, img.digest, payload, annotations),
        );
        const bundleFile = imageBundleFile(dir, img);
        await writeJSONFile(bundleFile, bundleToJSON(bundle));
        bundles.set(bundleFile, bundle);
        payloads.set(bundleFile, payload);
        const ref = `${repo}:${signatureTag(img.digest)}`;
        core.info(`${img.ref} → ${ref}`);
        return {
          subject: img.name,
          sha256: img.digest.slice('sha256:'.length),
          bundle: bundleFile,
          ref,
          logIndex: tle?.logIndex,
        } satisfies Written;
      });
      written.push(...results);
    });
  }

  // Provenance and SBOM attestations.
  const attestations: AttestationOut[] = [];
  let provenanceFile: string | undefined;
  const claims = signer instanceof KeylessSigner ? signer.claims : undefined;
  if (cfg.provenance) {
    await ctx.phase('Provenance (SLSA v1)', async () => {
      const provSubjects = manifest ? await provenanceSubjects(manifest, cwd, subjects) : subjects;
      const imageSubjects: Subject[] = manifest
        ? artifactsOf(manifest, 'image').flatMap((a) => {
            const r = parseImageRef(a.ref ?? '');
            return r ? [{ name: a.name, digest: { sha256: r.digest.slice('sha256:'.length) } }] : [];
          })
        : [];
      const statement = provenanceStatement([...provSubjects.map(toSubject), ...imageSubjects], {
        env: process.env,
        jobWorkflowRef: typeof claims?.job_workflow_ref === 'string' ? claims.job_workflow_ref : undefined,
        manifest,
        startedOn,
      });
      const bundle = await signStatement(signer, statement, witnessOpts, 'the provenance');
      const name = provenanceName(manifest);
      const dir = manifest ? path.dirname(path.resolve(cwd, cfg.manifest)) : path.dirname(subjects[0]!.file);
      provenanceFile = path.join(dir, name);
      await writeJSONFile(provenanceFile, bundleToJSON(bundle), true);
      bundles.set(provenanceFile, bundle);
      attestations.push({ type: 'provenance', subjects: statement.subject.map((x) => x.name), path: provenanceFile });
      core.info(`${rel(cwd, provenanceFile)}: ${statement.subject.length} subject(s)`);
    });
  }
  const sboms = manifest ? artifactsOf(manifest, 'sbom').filter((a) => a.path && a.describes) : [];
  if (sboms.length && (cfg.sbomAttestations ?? true)) {
    await ctx.phase(`SBOM attestations (${sboms.length})`, async () => {
      for (const sb of sboms) {
        const described = manifest!.artifacts.find((a) => a.name === sb.describes && a.path && a.kind !== 'sbom');
        if (!described) {
          core.warning(`SBOM ${sb.name} describes ${sb.describes}, which is not a file artifact of the manifest; not attested.`);
          continue;
        }
        const [subj] = await provenanceSubjects({ ...manifest!, artifacts: [described] }, cwd, subjects);
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(await readFile(path.resolve(cwd, sb.path!), 'utf8')) as Record<string, unknown>;
        } catch (e) {
          throw new GoshipError(`SBOM ${sb.path} is not readable JSON: ${(e as Error).message}.`);
        }
        const statement = sbomStatement(toSubject(subj!), doc);
        const bundle = await signStatement(signer, statement, witnessOpts, `the SBOM attestation of ${subj!.name}`);
        const file = path.resolve(cwd, sb.path!.replace(/\.json$/, '')) + '.intoto.jsonl';
        await writeJSONFile(file, bundleToJSON(bundle), true);
        bundles.set(file, bundle);
        attestations.push({ type: 'sbom', subjects: [subj!.name], path: file });
      }
    });
  }

  // Verify everything written.
  let verified = false;
  if (cfg.verifyAfterSign) {
    const policy = signPolicy(cfg, signer, claims, root);
    if (policy) {
      await ctx.phase(`Verify ${bundles.size} bundle(s)`, async () => {
        const material = trustMaterial(root, policy);
        const bySubject = new Map(subjects.map((s) => [`${s.file}.sigstore.json`, s]));
        for (const [file, bundle] of bundles) {
          const subject = bySubject.get(file);
          const artifact = subject ? await readFile(subject.file) : payloads.get(file);
          const id = verifyBundle(bundle, artifact, material, policy, rel(cwd, file));
          const w = written.find((x) => x.bundle === file);
          if (w) {
            w.verified = true;
            w.identity = id.identity;
          }
        }
        core.info(
          `All ${bundles.size} bundle(s) verified${policy.identity ? ` for ${String(policy.identity)}` : ''}${policy.issuer ? ` (issuer ${policy.issuer})` : ''}.`,
        );
      });
      verified = true;
    }
  }

  if (cfg.githubAttestations && attestations.length) {
    await ctx.phase('GitHub attestations', async () => {
      // Loaded on demand: Octokit is only needed for the attestation store.
      const { octokit } = await import('@goship/core/github');
      const api = octokit(cfg.githubToken);
      const repo = process.env.GITHUB_REPOSITORY ?? '';
      const [owner, name] = repo.split('/');
      for (const a of attestations) {
        const bundle = bundles.get(a.path)!;
        let res: { data: unknown };
        try {
          res = await api.request('POST /repos/{owner}/{repo}/attestations', {
            owner: owner!,
            repo: name!,
            bundle: bundleToJSON(bundle),
          });
        } catch (e) {
          const status = (e as { status?: number }).status;
          throw new GoshipError(
            `GitHub refused to store the ${a.type} attestation: ${status ? `HTTP ${status}: ` : ''}${(e as Error).message}.`,
            status === 403 || status === 404
              ? 'Add `permissions: { attestations: write, id-token: write }` to the job (attestations need a public repository or a plan that includes them), or set `github-attestations: false`'
              : 'Re-run the job, or set `github-attestations: false` to keep only the files',
            { cause: e },
          );
        }
        const id = String((res.data as { id?: number | string }).id ?? '');
        a.id = id;
        a.url = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/attestations/${id}`;
        core.info(`${a.type} attestation stored: ${a.url}`);
      }
    });
  }

  // Record in the manifest.
  if (manifest) {
    const add: Artifact[] = [];
    for (const w of written) {
      add.push({
        kind: 'signature',
        // A file name (the bundle's), never the image reference: release assets and folders need one.
        name: w.ref ? path.basename(w.bundle) : `${w.subject}.sigstore.json`,
        path: rel(cwd, w.bundle),
        signs: w.subject,
        format: w.ref ? 'cosign-image-signature' : 'sigstore-bundle-v0.3',
        // How to verify it: a certificate identity (keyless) or the project's public key (key).
        mode: cfg.mode === 'key' ? 'key' : 'keyless',
        tlog: cfg.tlog,
        ...(w.ref ? { ref: w.ref } : {}),
      });
      if (w.sig)
        add.push({ kind: 'signature', name: `${w.subject}.sig`, path: rel(cwd, w.sig), signs: w.subject, format: 'base64-signature' });
    }
    for (const a of attestations) {
      if (a.type === 'provenance')
        add.push({ kind: 'provenance', name: path.basename(a.path), path: rel(cwd, a.path), format: 'sigstore-bundle-dsse' });
      else
        add.push({
          kind: 'attestation',
          name: path.basename(a.path),
          path: rel(cwd, a.path),
          describes: a.subjects[0],
          format: 'sigstore-bundle-dsse',
        });
    }
    await writeManifest(path.resolve(cwd, cfg.manifest), upsertArtifacts(manifest, add));
  }

  const bundleMap = Object.fromEntries(written.map((w) => [w.subject, rel(cwd, w.bundle)]));
  core.setOutput('bundles', JSON.stringify(bundleMap));
  core.setOutput('provenance', provenanceFile ? rel(cwd, provenanceFile) : '');
  core.setOutput('attestations', JSON.stringify(attestations.map((a) => ({ ...a, path: rel(cwd, a.path) }))));
  core.setOutput('verified', String(verified));
  core.setOutput('manifest', manifest ? cfg.manifest : '');

  const summary = new Summary()
    .heading('sign-attest')
    .text(
      `${cfg.mode === 'key' ? 'Key mode (ECDSA P-256)' : `Keyless: ${claims?.job_workflow_ref ? `https://github.com/${String(claims.job_workflow_ref)}` : String(claims?.sub ?? '')}`} · ${subjects.length} subject(s) · transparency log ${cfg.tlog ? 'on' : 'off'}${cfg.tsaURL ? ' · RFC 3161 timestamps' : ''} · ${verified ? 'all verified ✅' : 'not verified ⚠️'}`,
    )
    .table(
      ['subject', 'digest', 'bundle', 'log index', 'verified'],
      written.map((w) => {
        return [w.subject, shortDigest(w.sha256), w.ref ?? rel(cwd, w.bundle), w.logIndex ?? '—', w.verified ? '✅' : '—'];
      }),
    );
  if (attestations.length) {
    summary.table(
      ['attestation', 'subjects', 'file', 'GitHub'],
      attestations.map((a) => [
        a.type,
        a.subjects.length === 1 ? a.subjects[0] : `${a.subjects.length} subjects`,
        rel(cwd, a.path),
        a.url ?? '—',
      ]),
    );
  }
  await ctx.summary(summary);
}

/** Where the Sigstore bundle of an image signature is written: beside the manifest. */
function imageBundleFile(dir: string, img: ImageRef): string {
  return path.join(dir, `${img.repository.replace(/[^A-Za-z0-9._-]+/g, '_')}_${img.digest.replace(':', '-')}.sigstore.json`);
}

/** Keyless signing (to verify after) and identity-based verification need a root; public good comes through TUF. */
function needsPublicGoodRoot(cfg: Config): boolean {
  const publicGood = cfg.fulcioURL === PUBLIC_FULCIO && cfg.rekorURL === PUBLIC_REKOR;
  if (!publicGood) return false;
  if (cfg.mode === 'keyless') return cfg.verifyAfterSign;
  if (cfg.mode === 'verify') return !cfg.key;
  return false;
}

function provenanceName(m: Manifest | undefined): string {
  if (m) return `${m.project}_${m.version}.intoto.jsonl`;
  const repo = (process.env.GITHUB_REPOSITORY ?? 'subjects').split('/').pop();
  const ref = process.env.GITHUB_REF ?? '';
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  const version = (tag ?? process.env.GITHUB_SHA?.slice(0, 12) ?? 'snapshot').replace(/^v/, '');
  return `${repo}_${version}.intoto.jsonl`;
}

/** The policy verify-after-sign enforces, or undefined when there is nothing to verify against. */
function signPolicy(
  cfg: Config,
  signer: Signer,
  claims: Record<string, unknown> | undefined,
  root: TrustedRoot | undefined,
): Policy | undefined {
  if (signer instanceof KeySigner) {
    if (cfg.tlog && !root) {
      core.warning(
        'verify-after-sign: no `trusted-root`, so the transparency-log entries are not verified; the signatures are checked against the key.',
      );
    }
    return { publicKey: signer.publicKey, tlog: cfg.tlog && !!root, tsa: !!cfg.tsaURL && !!root };
  }
  if (!root) {
    core.warning(
      'verify-after-sign skipped: no `trusted-root` was given for this custom Sigstore instance (only the public-good root is fetched through TUF). Pass its trusted_root.json as `trusted-root`. Output verified=false.',
    );
    return undefined;
  }
  const jobRef = typeof claims?.job_workflow_ref === 'string' ? claims.job_workflow_ref : undefined;
  const identity =
    cfg.identityRegexp ?? (cfg.identity || (jobRef ? `https://github.com/${jobRef}` : typeof claims?.sub === 'string' ? claims.sub : ''));
  const issuer = cfg.issuer || (typeof claims?.iss === 'string' ? claims.iss : GITHUB_ISSUER);
  return { identity, issuer, tlog: cfg.tlog, tsa: !!cfg.tsaURL };
}

async function verifyMode(
  ctx: ActionContext,
  cfg: Config,
  cwd: string,
  manifest: Manifest | undefined,
  subjects: FileSubject[],
  images: (ImageRef & { name: string; ref: string })[],
  root: TrustedRoot | undefined,
): Promise<void> {
  const publicKey = cfg.key ? loadPublicKey(cfg.key) : undefined;
  if (!root && !publicKey) {
    throw new GoshipError(
      "Verify mode with a custom `fulcio-url`/`rekor-url` needs that instance's `trusted-root` to check certificates against.",
      "Pass your Sigstore instance's trusted_root.json (`cosign trusted-root create`), or a public `key` for key-signed bundles",
    );
  }
  const policy: Policy = publicKey
    ? { publicKey, tlog: cfg.tlog && !!root, tsa: !!cfg.tsaURL }
    : { identity: cfg.identityRegexp ?? cfg.identity, issuer: cfg.issuer || GITHUB_ISSUER, tlog: cfg.tlog, tsa: !!cfg.tsaURL };
  const material = trustMaterial(root, policy);
  const rows: (string | undefined)[][] = [];
  const bundleMap: Record<string, string> = {};
  const failures: string[] = [];
  await ctx.phase(`Verify ${subjects.length} subject(s)`, async () => {
    for (const s of subjects) {
      const bundleFile = `${s.file}.sigstore.json`;
      let text: string;
      try {
        text = await readFile(bundleFile, 'utf8');
      } catch {
        failures.push(`${s.relPath}: no bundle at ${rel(cwd, bundleFile)}`);
        rows.push([s.name, shortDigest(s.sha256), '—', '❌ no bundle']);
        continue;
      }
      try {
        const id = verifyBundle(parseBundle(JSON.parse(text), rel(cwd, bundleFile)), await readFile(s.file), material, policy, s.relPath);
        bundleMap[s.name] = rel(cwd, bundleFile);
        rows.push([s.name, shortDigest(s.sha256), id.identity ?? 'key', '✅']);
      } catch (e) {
        failures.push((e as Error).message);
        rows.push([s.name, shortDigest(s.sha256), '—', '❌']);
      }
    }
  });
  // Images: the bundle beside the manifest verifies, and the registry holds that signature.
  if (images.length) {
    await ctx.phase(`Verify ${images.length} image signature(s)`, async () => {
      const dir = path.dirname(path.resolve(cwd, cfg.manifest));
      for (const img of images) {
        const file = imageBundleFile(dir, img);
        try {
          const bundle = parseBundle(JSON.parse(await readFile(file, 'utf8')), rel(cwd, file));
          const payload = simpleSigningPayload(`${img.registry}/${img.repository}`, img.digest);
          const id = verifyBundle(bundle, payload, material, policy, img.ref);
          if (bundle.content.$case !== 'messageSignature') throw new GoshipError(`${rel(cwd, file)} is not a message-signature bundle.`);
          const sig = bundle.content.messageSignature.signature.toString('base64');
          const reg = await Registry.open(img.registry, img.repository, cfg.githubToken);
          const stored = await callService(img.registry, `the signatures of ${img.ref}`, { timeoutMs: cfg.retryTimeoutMs }, () =>
            reg.getManifest(signatureTag(img.digest)),
          );
          const payloadDigest = `sha256:${createHash('sha256').update(payload).digest('hex')}`;
          if (!stored?.layers.some((l) => l.digest === payloadDigest && l.annotations?.['dev.cosignproject.cosign/signature'] === sig)) {
            throw new GoshipError(`${img.ref}: the registry holds no ${signatureTag(img.digest)} signature matching ${rel(cwd, file)}.`);
          }
          rows.push([img.name, shortDigest(img.digest.slice(7)), id.identity ?? 'key', '✅']);
        } catch (e) {
          failures.push(e instanceof GoshipError ? e.message : `${img.ref}: ${(e as Error).message}`);
          rows.push([img.name, shortDigest(img.digest.slice(7)), '—', '❌']);
        }
      }
    });
  }
  // The provenance: its signature and that its subjects match the files.
  let provenancePath = '';
  const provArt = manifest ? artifactsOf(manifest, 'provenance')[0] : undefined;
  const provFile = provArt?.path ? path.resolve(cwd, provArt.path) : undefined;
  if (provFile && cfg.provenance) {
    await ctx.phase('Verify provenance', async () => {
      try {
        const line = (await readFile(provFile, 'utf8')).split('\n').find((l) => l.trim());
        const bundle = parseBundle(JSON.parse(line ?? ''), rel(cwd, provFile));
        verifyBundle(bundle, undefined, material, policy, rel(cwd, provFile));
        if (bundle.content.$case !== 'dsseEnvelope') throw new GoshipError(`${rel(cwd, provFile)} is not a DSSE bundle.`);
        const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement;
        const digests = new Map(statement.subject.map((x) => [x.name, x.digest.sha256]));
        const all = await provenanceSubjects(manifest!, cwd, subjects);
        const bad = [
          ...all.filter((s) => digests.get(s.name) !== s.sha256),
          ...artifactsOf(manifest!, 'image').filter(
            (a) => digests.get(a.name) !== parseImageRef(a.ref ?? '')?.digest.slice('sha256:'.length),
          ),
        ];
        if (bad.length)
          throw new GoshipError(`The provenance does not cover ${bad.map((b) => b.name).join(', ')} with their current digests.`);
        provenancePath = rel(cwd, provFile);
        rows.push([`provenance (${statement.subject.length} subjects)`, '', rel(cwd, provFile), '✅']);
      } catch (e) {
        failures.push((e as Error).message);
        rows.push(['provenance', '', rel(cwd, provFile), '❌']);
      }
    });
  }
  // SBOM attestations: signed by the expected signer, about the file the manifest says.
  const sbomAtts = manifest && cfg.provenance ? artifactsOf(manifest, 'attestation').filter((a) => a.path && a.describes) : [];
  if (sbomAtts.length) {
    await ctx.phase(`Verify ${sbomAtts.length} SBOM attestation(s)`, async () => {
      for (const att of sbomAtts) {
        const file = path.resolve(cwd, att.path!);
        try {
          const line = (await readFile(file, 'utf8')).split('\n').find((l) => l.trim());
          const bundle = parseBundle(JSON.parse(line ?? ''), att.path!);
          verifyBundle(bundle, undefined, material, policy, att.path!);
          if (bundle.content.$case !== 'dsseEnvelope') throw new GoshipError(`${att.path} is not a DSSE bundle.`);
          const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement;
          const described = manifest!.artifacts.find((a) => a.name === att.describes && a.path && a.kind !== 'sbom');
          const [subj] = described ? await provenanceSubjects({ ...manifest!, artifacts: [described] }, cwd, subjects) : [];
          if (!subj || statement.subject[0]?.digest.sha256 !== subj.sha256) {
            throw new GoshipError(`${att.path} does not attest ${att.describes} with its current digest.`);
          }
          rows.push([`SBOM attestation of ${att.describes}`, shortDigest(subj.sha256), att.path!, '✅']);
        } catch (e) {
          failures.push((e as Error).message);
          rows.push([`SBOM attestation of ${att.describes}`, '', att.path!, '❌']);
        }
      }
    });
  }
  core.setOutput('bundles', JSON.stringify(bundleMap));
  core.setOutput('provenance', provenancePath);
  core.setOutput('attestations', '[]');
  core.setOutput('verified', String(failures.length === 0));
  core.setOutput('manifest', manifest ? cfg.manifest : '');
  await ctx.summary(
    new Summary()
      .heading('sign-attest: verify')
      .text(publicKey ? 'Expected signer: the given public key.' : `Expected identity ${String(policy.identity)}, issuer ${policy.issuer}.`)
      .table(['subject', 'digest', 'signer', 'result'], rows),
  );
  if (failures.length) {
    throw new GoshipError(
      `${failures.length} of ${rows.length} check(s) failed:\n  - ${failures.join('\n  - ')}`,
      'Do not use these artifacts: they are not what the expected signer signed',
    );
  }
}
