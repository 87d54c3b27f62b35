#!/usr/bin/env node
// Benchmark: sign-attest signing 24 files vs 24 sequential `cosign sign-blob` runs, in the same
// process and on the same files.
//   1. key mode, no transparency log: ours (one step, one key load) vs `cosign sign-blob --key`;
//   2. keyless against the local Sigstore stand-ins (OIDC, Fulcio, Rekor): ours (one certificate
//      for all files) vs cosign (a certificate per file).
// Prints a Markdown table and writes bench/results/sign-attest.md. Never asserted in tests.
// Needs cosign on PATH (scripts/install-tools cosign) and the committed bundle.
// Usage: node bench/sign-attest/run.mjs   (BENCH_REPS=3, BENCH_FILES=24, BENCH_FILE_KIB=512)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = path.join(root, 'actions', 'sign-attest', 'dist', 'index.js');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FILES = Number(process.env.BENCH_FILES ?? 24);
const KIB = Number(process.env.BENCH_FILE_KIB ?? 512);
const PASSWORD = 'bench-password';

function run(cmd, args, { env = {}, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`)),
    );
  });
}

async function timed(fn) {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the committed bundle like the runner: INPUT_* variables, no shell. */
function ours(cwd, inputs, env = {}) {
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, String(v)]));
  for (const k of Object.keys(process.env)) if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k)) inputEnv[k] = '';
  return run(process.execPath, [bundle], { cwd, env: { ...inputEnv, RUNNER_TEMP: cwd, ...env } });
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'goship-bench-sign-'));
  const files = path.join(work, 'files');
  await mkdir(files);
  const names = [];
  for (let i = 0; i < FILES; i++) {
    const name = `artifact_${String(i).padStart(2, '0')}.bin`;
    await writeFile(path.join(files, name), randomBytes(KIB * 1024));
    names.push(name);
  }
  await run('cosign', ['generate-key-pair', '--output-key-prefix', path.join(work, 'cosign')], { env: { COSIGN_PASSWORD: PASSWORD } });
  const cosignVersion = (await run('cosign', ['version'])).match(/GitVersion:\s*(\S+)/)?.[1] ?? '?';

  const rows = [];

  // 1. Key mode, no transparency log.
  const keyInputs = {
    mode: 'key',
    key: path.join(work, 'cosign.key'),
    'key-password': PASSWORD,
    subjects: 'files/*.bin',
    tlog: 'false',
    provenance: 'false',
    'github-attestations': 'false',
  };
  const oursKey = [];
  const oursKeyNoVerify = [];
  const cosignKey = [];
  for (let r = 0; r < REPS; r++) {
    oursKey.push(await timed(() => ours(work, keyInputs)));
    oursKeyNoVerify.push(await timed(() => ours(work, { ...keyInputs, 'verify-after-sign': 'false' })));
    cosignKey.push(
      await timed(async () => {
        for (const n of names) {
          const f = path.join(files, n);
          await run(
            'cosign',
            [
              'sign-blob',
              '--key',
              path.join(work, 'cosign.key'),
              '--tlog-upload=false',
              '--use-signing-config=false',
              '--bundle',
              `${f}.cosign.json`,
              '-y',
              f,
            ],
            {
              env: { COSIGN_PASSWORD: PASSWORD },
            },
          );
        }
      }),
    );
  }
  rows.push(['key mode, no tlog — ours signs and verifies', median(oursKey), median(cosignKey)]);
  rows.push(['key mode, no tlog — ours signs only (`verify-after-sign: false`)', median(oursKeyNoVerify), median(cosignKey)]);

  // 2. Keyless against the stand-ins.
  let keylessNote = '';
  try {
    const { startSigstore } = await import(path.join(root, 'packages', 'testkit', 'src', 'sigstore.ts'));
    const sigstore = await startSigstore();
    try {
      const rootFile = await sigstore.writeTrustedRoot(path.join(work, 'trusted_root.json'));
      const start = new Date(Date.now() - 60_000).toISOString();
      const service = (url) => ({ url, majorApiVersion: 1, validFor: { start }, operator: 'goship-bench' });
      const signingConfig = path.join(work, 'signing_config.json');
      await writeFile(
        signingConfig,
        JSON.stringify({
          mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
          caUrls: [service(sigstore.urls.fulcio)],
          oidcUrls: [],
          rekorTlogUrls: [service(sigstore.urls.rekor)],
          tsaUrls: [],
          rekorTlogConfig: { selector: 'ANY' },
          tsaConfig: { selector: 'ANY' },
        }),
      );
      const keylessInputs = {
        mode: 'keyless',
        subjects: 'files/*.bin',
        provenance: 'false',
        'github-attestations': 'false',
        'fulcio-url': sigstore.urls.fulcio,
        'rekor-url': sigstore.urls.rekor,
        'trusted-root': rootFile,
      };
      const oursKeyless = [];
      const oursKeylessNoVerify = [];
      const cosignKeyless = [];
      for (let r = 0; r < REPS; r++) {
        oursKeyless.push(await timed(() => ours(work, keylessInputs, sigstore.tokenEnv())));
        oursKeylessNoVerify.push(await timed(() => ours(work, { ...keylessInputs, 'verify-after-sign': 'false' }, sigstore.tokenEnv())));
        cosignKeyless.push(
          await timed(async () => {
            for (const n of names) {
              const f = path.join(files, n);
              // cosign reads --identity-token from a file when given a path (a fresh token per run, as a job would).
              const tokenFile = path.join(work, 'token');
              await writeFile(tokenFile, sigstore.token());
              await run('cosign', [
                'sign-blob',
                '--identity-token',
                tokenFile,
                '--signing-config',
                signingConfig,
                '--trusted-root',
                rootFile,
                '--bundle',
                `${f}.cosign.json`,
                '-y',
                f,
              ]);
            }
          }),
        );
      }
      rows.push(['keyless, Fulcio + Rekor stand-ins — ours signs and verifies', median(oursKeyless), median(cosignKeyless)]);
      rows.push(['keyless, Fulcio + Rekor stand-ins — ours signs only', median(oursKeylessNoVerify), median(cosignKeyless)]);
    } finally {
      await sigstore.close();
    }
  } catch (e) {
    keylessNote = `\nKeyless row not measured: ${String(e.message)
      .replace(/eyJ[\w.-]+/g, '<token>')
      .slice(-600)}\n`;
  }

  const table = [
    `| scenario (${FILES} files × ${KIB} KiB) | sign-attest | ${FILES}× cosign sign-blob | ratio |`,
    '| --- | --- | --- | --- |',
    ...rows.map(([name, a, b]) => `| ${name} | ${a.toFixed(2)} s | ${b.toFixed(2)} s | ${(a / b).toFixed(2)}× |`),
  ].join('\n');
  const md = `# sign-attest benchmark\n\n${new Date().toISOString()} · ${os.cpus().length} CPUs · Node ${process.version} · cosign ${cosignVersion} · median of ${REPS} · load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )} (other work shares the CPUs: ratios are the measure, not seconds)\n\n${table}\n${keylessNote}\nGoal: ≤ 0.2× cosign. Ours is one process for all files (one key load or one Fulcio certificate, log entries in parallel, its own small Fulcio/Rekor/TSA clients on node:http) and verifies every bundle before it writes anything — each as soon as it is made, the certificate chain once per run; cosign is one process and one certificate per file.\n`;
  console.log(md);
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(root, 'bench', 'results', 'sign-attest.md'), md);
  await rm(work, { recursive: true, force: true });
}

await main();
