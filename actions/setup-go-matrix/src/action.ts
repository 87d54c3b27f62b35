/**
 * setup-go-matrix: reads which Go a module wants and reports it. (The full action — version
 * resolution, install, caches, matrices, affected analysis — grows here; see its README.)
 */
import * as core from '@actions/core';
import { type ActionContext, GoshipError, InputError, Summary, inputs, readVersionFile } from '@goship/core';
import { existsSync } from 'node:fs';
import path from 'node:path';

const VERSION_FILES = ['go.work', 'go.mod', '.go-version', '.tool-versions'];

export async function main(ctx: ActionContext): Promise<void> {
  const workdir = path.resolve(inputs.string('working-directory', { default: '.' }));
  const fileInput = inputs.string('go-version-file');
  if (!existsSync(workdir)) {
    throw new InputError(
      'working-directory',
      workdir,
      'an existing folder',
      'Check out the repository first (actions/checkout) or fix the path',
    );
  }
  const file = fileInput ? path.resolve(workdir, fileInput) : VERSION_FILES.map((f) => path.join(workdir, f)).find((f) => existsSync(f));
  if (!file || !existsSync(file)) {
    throw new InputError(
      'go-version-file',
      fileInput || '(searched go.work, go.mod, .go-version, .tool-versions)',
      'a go.mod, go.work, .go-version or .tool-versions file',
      `None found in ${workdir}; set \`go-version-file:\` or \`go-version:\``,
    );
  }
  const vf = await ctx.phase('Read the Go version file', () => readVersionFile(file));
  const version = vf.toolchain ?? vf.go;
  if (!version) throw new GoshipError(`${file} names no Go version.`, 'Add a `go 1.xx` line (run `go mod edit -go=1.24`)');
  core.info(
    `${path.relative(workdir, file) || file}: go ${vf.go ?? '-'}${vf.toolchain ? `, toolchain go${vf.toolchain}` : ''} → Go ${version}`,
  );
  core.setOutput('go-version', version);
  core.setOutput('go-directive', vf.go ?? '');
  core.setOutput('module', vf.module ?? '');
  await new Summary()
    .heading('setup-go-matrix')
    .table(['file', 'go', 'toolchain', 'resolved'], [[path.basename(file), vf.go, vf.toolchain ?? '—', version]])
    .write();
}
