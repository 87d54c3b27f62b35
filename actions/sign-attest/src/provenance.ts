/**
 * In-toto Statement v1 payloads: SLSA Provenance v1, SBOM attestations and cosign's image
 * signature statement. Predicate types are the URIs cosign's `--type` names map to
 * (cosign v3.1.3 cmd/cosign/cli/options/predicate.go), so `cosign verify-blob-attestation --type
 * slsaprovenance1|spdxjson|cyclonedx` and `cosign verify-attestation` accept them.
 * https://slsa.dev/spec/v1.0/provenance, https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
 */
import { readFileSync } from 'node:fs';

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const GOSHIP_BUILD_TYPE = 'https://github.com/goship/goship/buildtypes/go-release/v1';
/** in-toto's SPDX predicate (cosign `spdx`/`spdxjson`); the SPDX version is in the document itself. */
export const SPDX_PREDICATE = 'https://spdx.dev/Document';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';
/** What `cosign sign` (v3, new bundle format) signs for an image: a statement about its digest. */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

/** cosign's `--type` name of a predicate type. */
export const COSIGN_TYPE: Record<string, string> = {
  [SLSA_PROVENANCE_V1]: 'slsaprovenance1',
  [SPDX_PREDICATE]: 'spdxjson',
  [CYCLONEDX_PREDICATE]: 'cyclonedx',
};

export interface Subject {
  name?: string;
  digest: Record<string, string>;
}

export interface Statement {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

export interface ProvenanceContext {
  env: NodeJS.ProcessEnv;
  /** `job_workflow_ref` from the OIDC token when known (keyless): the reusable workflow's ref. */
  jobWorkflowRef?: string;
  /** Manifest facts stamped into the provenance. */
  manifest?: { project: string; module: string; version: string; tag: string; commit: string; traceId: string };
  startedOn: Date;
  finishedOn?: Date;
}

function eventInputs(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const ev = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { inputs?: Record<string, unknown> };
    return ev.inputs && Object.keys(ev.inputs).length ? ev.inputs : undefined;
  } catch {
    return undefined;
  }
}

/** The workflow file path from `owner/repo/.github/workflows/x.yml@ref`. */
export function workflowPath(ref: string | undefined): string | undefined {
  const m = /^[^/]+\/[^/]+\/(.+?)@/.exec(ref ?? '');
  return m?.[1];
}

export function provenanceStatement(subjects: Subject[], ctx: ProvenanceContext): Statement {
  const env = ctx.env;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repo = env.GITHUB_REPOSITORY ?? '';
  const workflowRef = env.GITHUB_WORKFLOW_REF;
  const builderRef = ctx.jobWorkflowRef ?? workflowRef;
  const inputs = eventInputs(env);
  const commit = env.GITHUB_SHA ?? ctx.manifest?.commit;
  return {
    _type: STATEMENT_TYPE,
    subject: subjects,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: GOSHIP_BUILD_TYPE,
        externalParameters: {
          workflow: { ref: env.GITHUB_REF ?? '', repository: repo ? `${server}/${repo}` : '', path: workflowPath(workflowRef) ?? '' },
          ...(inputs ? { inputs } : {}),
        },
        internalParameters: {
          github: {
            event_name: env.GITHUB_EVENT_NAME ?? '',
            repository_id: env.GITHUB_REPOSITORY_ID ?? '',
            repository_owner_id: env.GITHUB_REPOSITORY_OWNER_ID ?? '',
            runner_environment: env.RUNNER_ENVIRONMENT ?? '',
          },
          ...(ctx.manifest
            ? {
                goship: {
                  project: ctx.manifest.project,
                  module: ctx.manifest.module,
                  version: ctx.manifest.version,
                  tag: ctx.manifest.tag,
                  traceId: ctx.manifest.traceId,
                },
              }
            : {}),
        },
        resolvedDependencies: repo
          ? [{ uri: `git+${server}/${repo}@${env.GITHUB_REF ?? ''}`, digest: commit ? { gitCommit: commit } : {} }]
          : [],
      },
      runDetails: {
        builder: { id: builderRef ? `${server}/${builderRef}` : `${server}/${repo}` },
        metadata: {
          invocationId: env.GITHUB_RUN_ID
            ? `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT ?? '1'}`
            : '',
          startedOn: ctx.startedOn.toISOString(),
          ...(ctx.finishedOn ? { finishedOn: ctx.finishedOn.toISOString() } : {}),
        },
      },
    },
  };
}

/** The predicate type of an SBOM document: SPDX or CycloneDX JSON; undefined for anything else. */
export function sbomPredicateType(sbom: unknown): string | undefined {
  if (typeof sbom !== 'object' || sbom === null) return undefined;
  const doc = sbom as Record<string, unknown>;
  if (typeof doc.spdxVersion === 'string') return SPDX_PREDICATE;
  if (doc.bomFormat === 'CycloneDX') return CYCLONEDX_PREDICATE;
  return undefined;
}

/** An SBOM attestation: the SBOM document as the predicate, the described artifact(s) as subjects. */
export function sbomStatement(subjects: Subject[], sbom: Record<string, unknown>, predicateType: string): Statement {
  return { _type: STATEMENT_TYPE, subject: subjects, predicateType, predicate: sbom };
}

/** cosign v3's image signature statement: the image digest as subject, an empty predicate. */
export function imageSignatureStatement(digest: string): Statement {
  const [alg, hex] = digest.split(':') as [string, string];
  return { _type: STATEMENT_TYPE, subject: [{ digest: { [alg]: hex } }], predicateType: COSIGN_SIGN_PREDICATE, predicate: {} };
}
