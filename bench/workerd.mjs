// The portable build against aws4fetch inside ONE workerd worker (issue 11): URLs/s of each, the ratio,
// PASS/MISS for >= 3x. Prints ratios: bare times on a shared machine mean little.
//
//   npm run bench:workerd                  builds dist/, then runs (about 1 minute)
//   node bench/workerd.mjs                 against the current dist/
//   node bench/workerd.mjs --rounds=31     more interleaved rounds (default 21)
//   node bench/workerd.mjs --kinds=ascii   only those key kinds (ascii, non-ascii, spaces-plus)
//
// The worker is bundled with esbuild from `s3-presign` (conditions workerd, worker, browser: what
// wrangler bundles with, so it gets dist/portable/index.js, SHA-256 and HMAC by @noble/hashes) and
// `aws4fetch` (WebCrypto, native in workerd), and served by the pinned `workerd` binary on a loopback
// port (no nodejs_compat, an old compatibility date: no node:* at all). Both sign the same GET (same
// key, credentials, region, 900 s): ours `createPresigner(...).presignGet({ key, expiresIn })`,
// aws4fetch `AwsClient#sign(url, { aws: { signQuery: true } })`; the worker first checks that both give
// the same signature for a fixed date (aws4fetch's `datetime`), so the race compares the same work.
//
// Timing is done from this process: inside workerd, Date.now() and performance.now() do not advance
// while a request runs synchronously (a Spectre mitigation), so a worker cannot time itself. Each
// HTTP request runs N signings of one contender; its time, less that of an empty request of the same
// round, is N signings. N is calibrated per contender so that a request takes about SLICE_MS. Rounds
// interleave the contenders in a shuffled order; the ratio is the median of the per-round ratios.
// It exits 0 whatever it finds: it measures, it does not test.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argValue = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(argValue('rounds') ?? 21);
const SLICE_MS = 120;
const GOAL = 3;

const KINDS = [
  { name: 'ascii', key: 'uploads/2026/11/29/report-final.pdf' },
  { name: 'non-ascii', key: 'photos/été/Müller/東京タワー-🗼.jpg' },
  { name: 'spaces-plus', key: 'reports/Q3 2026/a+b = c (final).pdf' },
];
const kinds =
  argValue('kinds') === undefined ? KINDS : KINDS.filter((k) => argValue('kinds').split(',').includes(k.name));

// The worker: GET /check, or /run?c=ours|aws4fetch|empty&n=N&kind=K (N signings, answered with a
// count that depends on every URL so no signing can be skipped).
const WORKER = `
import { createPresigner } from 's3-presign';
import { AwsClient } from 'aws4fetch';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const region = 'eu-west-1';
const bucket = 'examplebucket';
const host = bucket + '.s3.' + region + '.amazonaws.com';
const expiresIn = 900;
const KINDS = ${JSON.stringify(Object.fromEntries(KINDS.map((k) => [k.name, k.key])))};
// SigV4's path encoding, written here independently of s3-presign: the URL aws4fetch is given.
const encodePath = (k) =>
  encodeURIComponent(k).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%2F/g, '/');

const presigner = createPresigner({ region, credentials, bucket });
const a4f = new AwsClient({ ...credentials, service: 's3', region });

const contenders = {
  ours: (key) => async (date) => (await presigner.presignGet({ key, expiresIn, signingDate: date })).url,
  aws4fetch: (key) => {
    const url = 'https://' + host + '/' + encodePath(key) + '?X-Amz-Expires=' + expiresIn;
    return async (date) =>
      (await a4f.sign(url, {
        method: 'GET',
        aws: { signQuery: true, ...(date === undefined ? {} : { datetime: date.toISOString().replace(/[:-]|\\.\\d{3}/g, '') }) },
      })).url;
  },
};
const runners = {};
for (const [kind, key] of Object.entries(KINDS)) {
  runners[kind] = { ours: contenders.ours(key), aws4fetch: contenders.aws4fetch(key), empty: async () => '' };
}
const signatureOf = (url) => /[?&]X-Amz-Signature=([0-9a-f]{64})/.exec(url)?.[1];

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/check') {
      const date = new Date('2026-11-29T00:00:00Z');
      const out = {};
      for (const kind of Object.keys(KINDS)) {
        const ours = await runners[kind].ours(date);
        const theirs = await runners[kind].aws4fetch(date);
        out[kind] = { same: signatureOf(ours) === signatureOf(theirs) && signatureOf(ours) !== undefined, ours, theirs };
      }
      return Response.json({ kinds: out, hasProcess: typeof process !== 'undefined', hasBuffer: typeof Buffer !== 'undefined' });
    }
    const run = runners[url.searchParams.get('kind')][url.searchParams.get('c')];
    const n = Number(url.searchParams.get('n'));
    let sink = 0;
    for (let i = 0; i < n; i++) sink += (await run()).length;
    return new Response(String(sink));
  },
};
`;

function config() {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "worker.js", esModule = embed "worker.js")],
      compatibilityDate = "2024-09-01",
      compatibilityFlags = [],
    )),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
`;
}

async function bundle() {
  const result = await build({
    stdin: { contents: WORKER, resolveDir: ROOT, loader: 'js', sourcefile: 'bench-worker.js' },
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const build_ = inputs.includes('dist/portable/index.js') ? 'dist/portable/index.js' : undefined;
  if (build_ === undefined || inputs.includes('dist/index.js'))
    throw new Error(`the worker bundle should hold dist/portable/index.js only: ${inputs.join(', ')}`);
  return { code: result.outputFiles[0].text, producer: build_, bytes: result.outputFiles[0].contents.length };
}

function listenedPort(child) {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdio[3].setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const message = JSON.parse(line);
        if (message.event === 'listen' && message.port) resolve(message.port);
      }
    });
    child.on('close', (code) => reject(new Error(`workerd exited (${code}) before listening`)));
  });
}

// One keep-alive connection, so no request pays for a TCP handshake the others do not.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(port, path) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    http
      .get({ host: '127.0.0.1', port, path, agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => {
          const ms = performance.now() - start;
          if (response.statusCode !== 200) reject(new Error(`workerd answered ${response.statusCode}: ${body}`));
          else resolve({ ms, body });
        });
      })
      .on('error', reject);
  });
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
};
const median = (values) => quantile(values, 0.5);

function shuffled(list, seed) {
  const out = [...list];
  let x = seed;
  const random = () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const loads = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const empty = async (port, kind) => (await get(port, `/run?c=empty&n=0&kind=${kind}`)).ms;

// N for a request of about SLICE_MS: from a short probe, after a warm-up that lets V8 optimise.
async function calibrate(port, kind, c) {
  let n = 64;
  for (;;) {
    const ms = (await get(port, `/run?c=${c}&n=${n}&kind=${kind}`)).ms - (await empty(port, kind));
    if (ms > SLICE_MS / 4 || n > 1 << 22) return Math.max(16, Math.round((n * SLICE_MS) / Math.max(ms, 0.001)));
    n *= 4;
  }
}

async function race(port, kind) {
  const names = ['ours', 'aws4fetch'];
  const n = {};
  for (const c of names) n[c] = await calibrate(port, kind, c);
  for (const c of names) await get(port, `/run?c=${c}&n=${n[c]}&kind=${kind}`);
  const rates = { ours: [], aws4fetch: [] };
  const empties = [];
  for (let round = 0; round < ROUNDS; round++) {
    const base = await empty(port, kind);
    empties.push(base);
    for (const c of shuffled(names, round + 1)) {
      const { ms } = await get(port, `/run?c=${c}&n=${n[c]}&kind=${kind}`);
      rates[c].push((n[c] * 1000) / Math.max(ms - base, 0.001));
    }
  }
  const ratios = rates.ours.map((r, i) => r / rates.aws4fetch[i]);
  return { n, rates, ratios, empty: median(empties) };
}

async function main() {
  const cpus = os.cpus();
  const command = join(ROOT, 'node_modules/.bin/workerd');
  const version = await new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', () => resolve(out.trim()));
  });
  console.log(
    `s3-presign workerd bench  ${new Date().toISOString()}  ${version}  node ${process.version} (host)  ${cpus.length} cores (${cpus[0]?.model.trim()})  load ${loads()}`,
  );
  const worker = await bundle();
  console.log(
    `worker: one ES module of ${fmt(worker.bytes / 1024, 1)} KiB, s3-presign resolved to ${worker.producer} (conditions workerd, worker, browser), aws4fetch; compatibility date 2024-09-01, no flags`,
  );
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', 'bench-workerd-'));
  await writeFile(join(dir, 'worker.js'), worker.code);
  await writeFile(join(dir, 'config.capnp'), config());
  const child = spawn(command, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (log += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (log += chunk));
  const closed = new Promise((resolve) => child.on('close', resolve));
  try {
    const port = await listenedPort(child).catch((error) => {
      throw new Error(`${error.message}:\n${log}`);
    });
    const check = JSON.parse((await get(port, '/check')).body);
    console.log(
      `inside the worker: process ${check.hasProcess ? 'defined' : 'undefined'}, Buffer ${check.hasBuffer ? 'defined' : 'undefined'}`,
    );
    for (const [kind, c] of Object.entries(check.kinds)) {
      console.log(
        `same signature as aws4fetch (fixed date), ${kind}: ${c.same ? 'yes' : `NO\n  ours      ${c.ours}\n  aws4fetch ${c.theirs}`}`,
      );
    }
    console.log(
      `\npresign one GET URL in one worker: ${ROUNDS} interleaved rounds (shuffled), each contender one request of N signings (~${SLICE_MS} ms) timed from the host less an empty request of the same round; URLs/s: median; ratio: median of the per-round ratios`,
    );
    const results = [];
    for (const kind of kinds) {
      const r = await race(port, kind.name);
      const ratio = median(r.ratios);
      results.push({ kind, ratio });
      console.log(
        `${kind.name.padEnd(11)}  ours ${fmt(median(r.rates.ours)).padStart(7)} URLs/s (N ${r.n.ours})  aws4fetch ${fmt(median(r.rates.aws4fetch)).padStart(7)} URLs/s (N ${r.n.aws4fetch})  ours/aws4fetch ${fmt(ratio, 2)}x (per-round ${fmt(quantile(r.ratios, 0.25), 2)}..${fmt(quantile(r.ratios, 0.75), 2)} IQR)  empty request ${fmt(r.empty, 2)} ms  load ${loads()}`,
      );
    }
    console.log(`\ngoal (issue 11, the portable path in workerd)  load ${loads()}`);
    for (const { kind, ratio } of results) {
      console.log(
        `${ratio >= GOAL ? 'PASS' : 'MISS'}  ${kind.name.padEnd(11)}  >= ${GOAL}x aws4fetch in the same worker: ${fmt(ratio, 2)}x`,
      );
    }
  } finally {
    agent.destroy();
    child.kill('SIGKILL');
    await closed;
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
