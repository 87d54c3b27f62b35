/**
 * Release notes: the changelog, then how to verify what the manifest holds, then the run's trace
 * id. The verification section has one block per kind of evidence — the checksums signature, the
 * checksums, the provenance, SBOM attestations, each image — and each block's commands are the
 * exact ones for how sign-attest signed (recorded in the manifest: key or keyless, the certificate
 * identity and issuer, transparency log or not, Sigstore's public good or a private instance), for
 * the cosign goship pins, without flags it reports as deprecated. The commands run as written from
 * a folder holding the release's assets (a test runs every one of them).
 */
import type { Artifact, Manifest } from '@goship/core/manifest';

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
/** Where the notes tell a verifier of a private Sigstore instance to keep its trusted root. */
export const TRUSTED_ROOT_FILE = 'trusted_root.json';

/** How a signature or attestation was made, as sign-attest records it. */
interface Facts {
  mode?: string;
  tlog?: boolean;
  tsa?: boolean;
  identity?: string;
  issuer?: string;
  trust?: string;
}

/** Quotes a word for sh only when it needs it. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Flags of the commands below that take no value. */
const SWITCHES = new Set(['--insecure-ignore-tlog', '--use-signed-timestamps', '--ignore-missing']);

/** A command as people copy it: on one line, or — when long — one flag (with its value) a line. */
function command(argv: string[]): string {
  const words = argv.map(shellWord);
  if (words.join(' ').length <= 100) return words.join(' ');
  const lines: string[] = [];
  let i = 0;
  const head: string[] = [];
  while (i < words.length && !words[i]!.startsWith('-')) head.push(words[i++]!);
  lines.push(head.join(' '));
  while (i < words.length) {
    const w = words[i]!;
    const next = words[i + 1];
    const takesValue = w.startsWith('--') && !SWITCHES.has(w) && next !== undefined && !next.startsWith('-');
    lines.push(`  ${takesValue ? `${w} ${next}` : w}`);
    i += takesValue ? 2 : 1;
  }
  return lines.join(' \\\n');
}

function sh(...commands: string[][]): string {
  return `\`\`\`sh\n${commands.map(command).join('\n')}\n\`\`\``;
}

/** cosign's flags for the signer: the public key, or the certificate identity and issuer; the log and trust root. */
function signerFlags(f: Facts, ctx: NotesContext): string[] {
  const flags: string[] = [];
  if (f.mode === 'key') {
    flags.push('--key', 'cosign.pub');
  } else if (f.identity) {
    flags.push('--certificate-identity', f.identity, '--certificate-oidc-issuer', f.issuer ?? OIDC_ISSUER);
  } else {
    // Older manifests do not record the identity: the workflow's, or any of this repository.
    const host = ctx.serverUrl.replace(/\/+$/, '');
    if (ctx.workflowRef) flags.push('--certificate-identity', `${host}/${ctx.workflowRef}`);
    else flags.push('--certificate-identity-regexp', `^${host.replace(/[.]/g, '\\.')}/${ctx.repository}/`);
    flags.push('--certificate-oidc-issuer', f.issuer ?? OIDC_ISSUER);
  }
  const custom = f.trust === 'custom' && (f.mode !== 'key' || f.tlog !== false);
  if (custom) flags.push('--trusted-root', TRUSTED_ROOT_FILE);
  if (f.tlog === false) {
    flags.push('--insecure-ignore-tlog');
    if (f.mode !== 'key') flags.push('--use-signed-timestamps');
  }
  return flags;
}

function facts(a: Artifact | undefined): Facts {
  if (!a) return {};
  const nested = (a.sigstore ?? {}) as Facts;
  const pick = (k: keyof Facts): unknown => a[k] ?? nested[k];
  return {
    mode: pick('mode') as string | undefined,
    tlog: pick('tlog') as boolean | undefined,
    tsa: pick('tsa') as boolean | undefined,
    identity: pick('identity') as string | undefined,
    issuer: pick('issuer') as string | undefined,
    trust: pick('trust') as string | undefined,
  };
}

function who(f: Facts): string {
  if (f.mode === 'key') return "signed with the project's key, `cosign.pub`";
  return `keyless, by \`${f.identity ?? "this repository's release workflow"}\``;
}

interface GitHubRecord {
  id?: string;
  url?: string;
}

/** What multiarch-build's checksums file lists, in words: "archive, Linux package and SBOM". */
function listedKinds(m: Manifest): string {
  const words = (
    [
      ['archive', 'archive'],
      ['package', 'Linux package'],
      ['sbom', 'SBOM'],
    ] as const
  )
    .filter(([k]) => m.artifacts.some((a) => a.kind === k))
    .map(([, w]) => w);
  if (words.length === 0) return 'file';
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

/** The "Verify this release" section for what the manifest lists; empty when there is nothing to verify. */
export function verificationSection(m: Manifest | undefined, ctx: NotesContext): string {
  if (!m) return '';
  const byKind = (k: string): Artifact[] => m.artifacts.filter((a) => a.kind === k);
  const signatures = byKind('signature').filter((s) => s.signs && s.format !== 'base64-signature' && s.format !== 'cosign-image-signature');
  const blocks: string[] = [];
  const notes = new Set<string>();
  const note = (f: Facts): void => {
    if (f.mode === 'key')
      notes.add(
        "`cosign.pub` is one of this release's assets; before trusting it, check it against the key the project publishes elsewhere (its README or website).",
      );
    if (f.trust === 'custom' && (f.mode !== 'key' || f.tlog !== false))
      notes.add(
        `These signatures come from a private Sigstore instance: keep its trusted root as \`${TRUSTED_ROOT_FILE}\` beside the files (\`cosign trusted-root create\`, or from the instance's operators).`,
      );
  };

  for (const c of byKind('checksums')) {
    const sig = signatures.find((s) => s.signs === c.name);
    if (sig) {
      const f = facts(sig);
      note(f);
      blocks.push(
        `**The checksums file** (${who(f)}):\n\n${sh(['cosign', 'verify-blob', '--bundle', sig.name, ...signerFlags(f, ctx), c.name])}`,
      );
    }
    blocks.push(
      `**Every ${listedKinds(m)}**, through the checksums${sig ? ' the signature covers' : ''}:\n\n${sh(['sha256sum', '--ignore-missing', '-c', c.name])}`,
    );
  }
  const others = signatures.filter((s) => !byKind('checksums').some((c) => c.name === s.signs));
  if (others.length) {
    const ex = others[0]!;
    const f = facts(ex);
    note(f);
    blocks.push(
      `**Individual files** (${others.length} with a \`.sigstore.json\` bundle beside them; ${who(f)}), for example:\n\n${sh(['cosign', 'verify-blob', '--bundle', ex.name, ...signerFlags(f, ctx), ex.signs!])}`,
    );
  }

  for (const p of byKind('provenance')) {
    const f = facts(p);
    note(f);
    const example = typeof p.example === 'string' ? p.example : (byKind('archive')[0]?.name ?? byKind('checksums')[0]?.name);
    if (!example) continue;
    const gh = p.github as GitHubRecord | undefined;
    blocks.push(
      `**Build provenance** (SLSA v1, ${who(f)}): every file of the release is a subject — replace \`${example}\` with any of them:\n\n${sh(
        [
          'cosign',
          'verify-blob-attestation',
          '--bundle',
          p.name,
          '--type',
          typeof p.type === 'string' ? p.type : 'slsaprovenance1',
          ...signerFlags(f, ctx),
          example,
        ],
        ...(gh?.id ? [['gh', 'attestation', 'verify', example, '--repo', ctx.repository]] : []),
      )}`,
    );
  }

  const sbomAtts = byKind('attestation').filter((a) => a.describes);
  if (sbomAtts.length) {
    const ex = sbomAtts[0]!;
    const f = facts(ex);
    note(f);
    blocks.push(
      `**SBOM attestations** (${sbomAtts.length}, each about the archive its SBOM describes), for example:\n\n${sh(['cosign', 'verify-blob-attestation', '--bundle', ex.name, '--type', typeof ex.type === 'string' ? ex.type : 'spdxjson', ...signerFlags(f, ctx), ex.describes!])}`,
    );
  }

  for (const img of byKind('image')) {
    if (!img.ref) continue;
    const sig = img.sigstore as { signature?: unknown; attestations?: { type?: string; github?: GitHubRecord }[] } | undefined;
    if (!sig) continue;
    const f = facts(img);
    note(f);
    const flags = signerFlags(f, ctx);
    const cmds: string[][] = [];
    if (sig.signature) cmds.push(['cosign', 'verify', ...flags, img.ref]);
    const types = [...new Set((sig.attestations ?? []).map((a) => a.type).filter((t): t is string => !!t))];
    for (const t of types) cmds.push(['cosign', 'verify-attestation', '--type', t, ...flags, img.ref]);
    if ((sig.attestations ?? []).some((a) => a.github?.id))
      cmds.push(['gh', 'attestation', 'verify', `oci://${img.ref}`, '--repo', ctx.repository]);
    if (!cmds.length) continue;
    const what = [
      sig.signature ? 'signature' : '',
      types.includes('slsaprovenance1') ? 'provenance' : '',
      types.some((t) => t !== 'slsaprovenance1') ? 'SBOM attestations' : '',
    ]
      .filter(Boolean)
      .join(', ');
    blocks.push(
      `**Container image** \`${img.name}\`${img.platforms?.length ? ` (${img.platforms.join(', ')})` : ''}: ${what}, in its registry:\n\n${sh(...cmds)}`,
    );
  }
  if (!blocks.length) return '';
  const tail = notes.size ? `\n\n${[...notes].map((n) => `> ${n}`).join('\n>\n')}` : '';
  return `### Verify this release\n\nWith [cosign](https://github.com/sigstore/cosign) v3, in a folder holding the assets:\n\n${blocks.join('\n\n')}${tail}\n`;
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
