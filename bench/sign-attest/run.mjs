#!/usr/bin/env node
// Benchmark: sign-attest signing 24 files vs 24 sequential `cosign sign-blob` runs, in the same
// process and on the same files.
//   1. key mode, no transparency log: ours (one step, one key load) vs `cosign sign-blob --key`;
//   2. keyless against the local Sigstore stand-ins (OIDC, Fulcio, Rekor): ours (one certificate
//      for all files) vs cosign (a certificate per file).
// Each repetition interleaves the variants of a scenario; every sample is measured by
// bench/lib/measure.ts (load average before it, wall, CPU with children, peak RSS) and listed raw.
// Prints a Markdown table and writes bench/results/sign-attest.md. Never asserted in tests.
// Needs cosign on PATH (scripts/install-tools cosign) and the committed bundle.
// Usage: node bench/sign-attest/run.mjs   (BENCH_REPS=3, BENCH_FILES=24, BENCH_FILE_KIB=512)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, median, rawTable, sample, sampleSeries, smokeBanner } from '../lib/measure.ts';

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

const raw = [];

/** One sample of `commands` (in series when `series`), recorded raw; its wall and CPU seconds. */
async function timed(scenario, round, contender, commands, series = false) {
  const s = await (series ? sampleSeries(commands) : sample(commands));
  raw.push({ phase: scenario, round, contender, sample: s });
  return { wall: s.wall, cpu: s.cpu };
}

/** The committed bundle as the runner runs it: INPUT_* variables, no shell. */
function ours(cwd, inputs, env = {}) {
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, String(v)]));
  for (const k of Object.keys(process.env)) if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k)) inputEnv[k] = '';
  return [{ argv: [process.execPath, bundle], cwd, env: { ...process.env, ...inputEnv, RUNNER_TEMP: cwd, ...env } }];
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
  const key = 'key mode';
  for (let r = 0; r < REPS; r++) {
    oursKey.push(await timed(key, r + 1, 'sign-attest', ours(work, keyInputs)));
    oursKeyNoVerify.push(await timed(key, r + 1, 'sign-attest, no verify', ours(work, { ...keyInputs, 'verify-after-sign': 'false' })));
    cosignKey.push(
      await timed(
        key,
        r + 1,
        `${FILES}× cosign`,
        names.map((n) => {
          const f = path.join(files, n);
          return {
            argv: [
              'cosign',
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
            env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
          };
        }),
        true,
      ),
    );
  }
  rows.push(['key mode, no tlog — ours signs and verifies', oursKey, cosignKey]);
  rows.push(['key mode, no tlog — ours signs only (`verify-after-sign: false`)', oursKeyNoVerify, cosignKey]);

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
      const keyless = 'keyless';
      for (let r = 0; r < REPS; r++) {
        oursKeyless.push(await timed(keyless, r + 1, 'sign-attest', ours(work, keylessInputs, sigstore.tokenEnv())));
        oursKeylessNoVerify.push(
          await timed(
            keyless,
            r + 1,
            'sign-attest, no verify',
            ours(work, { ...keylessInputs, 'verify-after-sign': 'false' }, sigstore.tokenEnv()),
          ),
        );
        // cosign reads --identity-token from a file when given a path: a fresh token per run, as a
        // job would have, written before the series so that writing it is not timed
        const tokenFiles = [];
        for (let i = 0; i < names.length; i++) {
          tokenFiles.push(path.join(work, `token-${i}`));
          await writeFile(tokenFiles[i], sigstore.token());
        }
        cosignKeyless.push(
          await timed(
            keyless,
            r + 1,
            `${FILES}× cosign`,
            names.map((n, i) => {
              const f = path.join(files, n);
              return {
                argv: [
                  'cosign',
                  'sign-blob',
                  '--identity-token',
                  tokenFiles[i],
                  '--signing-config',
                  signingConfig,
                  '--trusted-root',
                  rootFile,
                  '--bundle',
                  `${f}.cosign.json`,
                  '-y',
                  f,
                ],
                env: process.env,
              };
            }),
            true,
          ),
        );
      }
      rows.push(['keyless, Fulcio + Rekor stand-ins — ours signs and verifies', oursKeyless, cosignKeyless]);
      rows.push(['keyless, Fulcio + Rekor stand-ins — ours signs only', oursKeylessNoVerify, cosignKeyless]);
    } finally {
      await sigstore.close();
    }
  } catch (e) {
    keylessNote = `\nKeyless row not measured: ${String(e.message)
      .replace(/eyJ[\w.-]+/g, '<token>')
      .slice(-600)}\n`;
  }

  const m = (xs, f) => median(xs.map((x) => x[f]));
  const table = [
    `| scenario (${FILES} files × ${KIB} KiB) | sign-attest | ${FILES}× cosign sign-blob | ratio | CPU: sign-attest / cosign |`,
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      ([name, a, b]) =>
        `| ${name} | ${m(a, 'wall').toFixed(2)} s | ${m(b, 'wall').toFixed(2)} s | ${(m(a, 'wall') / m(b, 'wall')).toFixed(2)}× | ${m(a, 'cpu').toFixed(2)} s / ${m(b, 'cpu').toFixed(2)} s |`,
    ),
  ].join('\n');
  const md = `# sign-attest benchmark\n\n${smokeBanner(
    REPS,
    3,
    raw.map((x) => x.sample),
  )}${machineLine()} · cosign ${cosignVersion} · median of ${REPS}, variants interleaved in each repetition (other work shares the CPUs: ratios are the measure, not seconds)\n\n${table}\n${keylessNote}\nGoal: ≤ 0.2× cosign. Ours is one process for all files (one key load or one Fulcio certificate, log entries in parallel, its own small Fulcio/Rekor/TSA clients on node:http) and verifies every bundle before it writes anything — each as soon as it is made, the certificate chain once per run; cosign is one process and one certificate per file, run one after another.\n\n## Raw samples\n\nIn the order taken; load is the 1-minute load average just before the sample and busy the share of the CPUs busy in the second before it; a cosign sample is its ${FILES} runs in series.\n\n${rawTable(raw)}\n\nRun: \`node bench/sign-attest/run.mjs\` (BENCH_REPS, BENCH_FILES, BENCH_FILE_KIB).\n`;
  console.log(md);
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(root, 'bench', 'results', 'sign-attest.md'), md);
  await rm(work, { recursive: true, force: true });
}

await main();
