/**
 * Signs the selected files: one message-signature bundle each (what `cosign sign-blob --bundle`
 * makes), log entries in parallel up to `concurrency`. Each file is read once and checked against
 * the digest it had when resolved, so what is signed is what was checked.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GoshipError } from '@goship/core/errors';
import type { ResolvedFile } from '@goship/core/manifest';
import { mapLimit } from '@goship/core/retry';
import type { Run, SignedFile } from './run.js';
import { signBlob } from './signing.js';
import { verifyNow } from './verify-signed.js';

async function readChecked(f: ResolvedFile): Promise<Buffer> {
  const data = await readFile(f.file);
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (sha256 !== f.sha256) {
    throw new GoshipError(
      `${f.relPath} changed while it was being signed (sha256 ${sha256}, was ${f.sha256}).`,
      'Make sure nothing else writes into the release folder during this step',
    );
  }
  return data;
}

export async function signFiles(run: Run): Promise<void> {
  const { ctx, cfg, subjects, id, plan } = run;
  if (!subjects.files.length) return;
  run.files = await ctx.phase(`Sign ${subjects.files.length} file(s)`, () =>
    mapLimit(subjects.files, cfg.concurrency, async (f): Promise<SignedFile> => {
      const data = await readChecked(f);
      const { bundle, signature } = await signBlob(id.signer, data, id.witness, f.relPath);
      const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
      ctx.log.info(`${f.relPath} signed${logIndex ? ` (Rekor log index ${logIndex})` : ''}`);
      const signed: SignedFile = {
        label: f.relPath,
        subject: f,
        bundle,
        path: plan.bundle(f),
        expect: async () => ({ type: 'blob', data: await readChecked(f), sha256: f.sha256 }),
        ...(cfg.rawSignatures ? { raw: { path: plan.rawSignature(f), base64: signature.toString('base64') } } : {}),
      };
      verifyNow(run, signed, { type: 'blob', data, sha256: f.sha256 });
      return signed;
    }),
  );
}
