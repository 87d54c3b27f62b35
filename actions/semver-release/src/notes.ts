/**
 * Release notes: the changelog, then how to verify what the manifest holds (checksums, Sigstore
 * signatures, GitHub attestations, container images), then the run's trace id.
 */
import type { Manifest } from '@goship/core/manifest';

export interface NotesContext {
  /** OWNER/REPO */
  repository: string;
  serverUrl: string;
  /** `OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.4.0` (GITHUB_WORKFLOW_REF), when known. */
  workflowRef?: string;
  traceId: string;
  runId?: string;
  runAttempt?: string;
}

const OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

function identityFlags(ctx: NotesContext): string {
  const host = ctx.serverUrl.replace(/\/+$/, '');
  if (ctx.workflowRef) return `--certificate-identity '${host}/${ctx.workflowRef}' \\\n  --certificate-oidc-issuer ${OIDC_ISSUER}`;
  const re = `^${host.replace(/[.]/g, '\\.')}/${ctx.repository}/`;
  return `--certificate-identity-regexp '${re}' \\\n  --certificate-oidc-issuer ${OIDC_ISSUER}`;
}

/** The "Verify this release" section for what the manifest lists; empty when there is nothing to verify. */
export function verificationSection(m: Manifest | undefined, ctx: NotesContext): string {
  if (!m) return '';
  const byKind = (k: string) => m.artifacts.filter((a) => a.kind === k);
  const blocks: string[] = [];
  const checksums = byKind('checksums');
  for (const c of checksums) {
    blocks.push(`Checksums (every archive is listed in \`${c.name}\`):\n\n\`\`\`sh\nsha256sum --ignore-missing -c ${c.name}\n\`\`\``);
  }
  const imageSignatures = new Map<string, Manifest['artifacts'][number]>();
  for (const s of byKind('signature')) {
    if (!s.signs) continue;
    // Raw `.sig` files are for older verifiers; the bundle beside them is what the notes show.
    if (s.format === 'base64-signature') continue;
    if (s.format === 'cosign-image-signature') {
      imageSignatures.set(s.signs, s);
      continue;
    }
    const key = s.mode === 'key';
    const how = key
      ? `(signed with the project's key; \`cosign.pub\` is its public key)`
      : `(keyless, from this repository's release workflow)`;
    const flags = key ? `--key cosign.pub${s.tlog === false ? ' --insecure-ignore-tlog' : ''}` : identityFlags(ctx);
    blocks.push(
      `Sigstore signature of \`${s.signs}\` ${how}:\n\n\`\`\`sh\ncosign verify-blob --bundle ${s.name} \\\n  ${flags} \\\n  ${s.signs}\n\`\`\``,
    );
  }
  if (byKind('provenance').length || byKind('attestation').length) {
    const example = byKind('archive')[0]?.name ?? checksums[0]?.name;
    if (example) {
      blocks.push(
        `Build provenance (GitHub artifact attestations; works for every asset):\n\n\`\`\`sh\ngh attestation verify ${example} --repo ${ctx.repository}\n\`\`\``,
      );
    }
  }
  for (const img of byKind('image')) {
    if (!img.ref) continue;
    const sig = imageSignatures.get(img.name);
    const flags = sig?.mode === 'key' ? `--key cosign.pub${sig.tlog === false ? ' --insecure-ignore-tlog' : ''}` : identityFlags(ctx);
    blocks.push(
      `Container image \`${img.name}\`${img.platforms?.length ? ` (${img.platforms.join(', ')})` : ''}:\n\n\`\`\`sh\ncosign verify ${img.ref} \\\n  ${flags}\ngh attestation verify oci://${img.ref} --repo ${ctx.repository}\n\`\`\``,
    );
  }
  if (!blocks.length) return '';
  return `### Verify this release\n\n${blocks.join('\n\n')}\n`;
}

export function traceLine(ctx: NotesContext): string {
  const run =
    ctx.runId && /^\d+$/.test(ctx.runId)
      ? ` (workflow run [${ctx.runId}](${ctx.serverUrl.replace(/\/+$/, '')}/${ctx.repository}/actions/runs/${ctx.runId}${ctx.runAttempt ? `/attempts/${ctx.runAttempt}` : ''}))`
      : '';
  return `<sub>goship trace id: \`${ctx.traceId}\`${run}</sub>\n`;
}

export function releaseNotes(changelog: string, m: Manifest | undefined, ctx: NotesContext): string {
  const verify = verificationSection(m, ctx);
  return [changelog.trimEnd(), verify.trimEnd(), traceLine(ctx).trimEnd()].filter(Boolean).join('\n\n') + '\n';
}
