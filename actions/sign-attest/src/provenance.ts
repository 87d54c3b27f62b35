/**
 * SLSA Provenance v1 in an in-toto Statement v1, and SBOM attestation statements.
 * https://slsa.dev/spec/v1.0/provenance, https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
 */
import { readFileSync } from 'node:fs';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const GOSHIP_BUILD_TYPE = 'https://github.com/goship/goship/buildtypes/go-release/v1';
export const SPDX_PREDICATE = 'https://spdx.dev/Document/v2.3';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';

export interface Subject {
  name: string;
  digest: { sha256: string };
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

/** An SBOM attestation: the SBOM document as the predicate, the described artifact as subject. */
export function sbomStatement(subject: Subject, sbom: Record<string, unknown>): Statement {
  const predicateType = typeof sbom.spdxVersion === 'string' ? SPDX_PREDICATE : CYCLONEDX_PREDICATE;
  return { _type: STATEMENT_TYPE, subject: [subject], predicateType, predicate: sbom };
}
