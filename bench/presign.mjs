// Presigning throughput of s3-presign against its peers, in one process, for the same inputs.
// Run with `npm run bench` (builds first). Prints ratios: bare times on a shared machine mean little.
// See docs/performance.md for the method and the goals.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { formatUrl } from '@aws-sdk/core/util';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import aws4 from 'aws4';
import { AwsClient } from 'aws4fetch';
import { S3Client as LeanS3Client } from 'lean-s3';
import { Client as MinioClient } from 'minio';
import { createPresigner } from '../dist/index.js';
import { createPresigner as createPortablePresigner } from '../dist/portable/index.js';

const args = new Set(process.argv.slice(2));
// --kinds=ascii,spaces-plus times only those key kinds (the issue-2 peer goals need ascii).
const kindsArg = process.argv
  .find((a) => a.startsWith('--kinds='))
  ?.slice('--kinds='.length)
  .split(',');
// The SDK's notice that its 2027 releases need Node 22 says nothing about this run; it is read when
// an S3Client is made, so setting it here is in time.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Many short slices interleave the contenders finely, so that a burst of load from another process
// lands on all of them rather than on one.
const ROUNDS = 21;
const SLICE_MS = 150;
const WARMUP_MS = 250;
const LEAD_IN_MS = 25;
const UPLOAD_PARTS = 10_000;
const MEMORY_CALLS = 1_000_000;
const MEMORY_SAMPLES = 10;
// After a full GC, a leak of even one byte a call would show as ~1 MB over 1,000,000 calls.
const FLAT_BYTES = 1024 * 1024;

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const region = 'eu-west-1';
const bucket = 'examplebucket';
// The key kinds of issue 11: the Node path must keep its speed on each. `ascii` is timed against every
// peer; the others against the three the goals name (getSignedUrl, lean-s3, the floor), to keep the
// run short. Every kind is still cross-checked against every peer that takes a signing date.
const KINDS = [
  { name: 'ascii', key: 'uploads/2026/11/29/report-final.pdf' },
  { name: 'non-ascii', key: 'photos/été/Müller/東京タワー-🗼.jpg' },
  { name: 'spaces-plus', key: 'reports/Q3 2026/a+b = c (final).pdf' },
];
const KIND_GOAL_CONTENDERS = new Set([
  'ours presignGet',
  'getSignedUrl (@aws-sdk)',
  'lean-s3',
  'floor: sha256 + hmac only',
]);
const expiresIn = 900;
const host = `${bucket}.s3.${region}.amazonaws.com`;
const uploadId = 'VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA';

// SigV4's path encoding (RFC 3986, UTF-8, `/` kept), written here independently of src/: the path
// the peers that take a URL or a path are given, and the one the floor hashes.
const encodePath = (k) =>
  encodeURIComponent(k)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');

// Presigning is pure computation: any peer that reached for the network (minio's bucket-region
// lookup, an SDK credential chain) would be measuring something else, so that fails loudly.
function forbidNetwork() {
  const refuse = () => {
    throw new Error('bench: a contender tried to use the network');
  };
  http.request = refuse;
  http.get = refuse;
  https.request = refuse;
  https.get = refuse;
  globalThis.fetch = refuse;
}

// @smithy/hash-node now lives in @smithy/core/serde; node:crypto behind the same Checksum interface.
async function smithyHash() {
  try {
    const { Hash } = await import('@smithy/core/serde');
    return { sha256: Hash.bind(null, 'sha256'), label: '@smithy/core Hash (node:crypto)' };
  } catch {
    class NodeHash {
      constructor(secret) {
        this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
      }
      update(data) {
        this.hash.update(data);
      }
      digest() {
        return Promise.resolve(new Uint8Array(this.hash.digest()));
      }
    }
    return { sha256: NodeHash, label: 'node:crypto adapter' };
  }
}

async function makeContenders(key = KINDS[0].key) {
  const path = `/${encodePath(key)}`;
  const ours = createPresigner({ region, credentials, bucket });
  // The build every runtime but Node, Bun and Deno gets (plain-JS hashing): here, to compare it with
  // aws4fetch (WebCrypto) in one process, as it would be in a Worker.
  const portable = createPortablePresigner({ region, credentials, bucket });
  const sdk = new S3Client({
    region,
    credentials,
    // Without these the SDK adds checksum parameters to the URL: the same request as ours needs them off.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const hash = await smithyHash();
  const smithy = new SignatureV4({ credentials, region, service: 's3', sha256: hash.sha256, uriEscapePath: false });
  // The SDK's S3 presigner signs UNSIGNED-PAYLOAD this way: as the payload hash, not as a header.
  const unsigned = new Set(['x-amz-content-sha256']);
  const minio = new MinioClient({
    endPoint: `s3.${region}.amazonaws.com`,
    useSSL: true,
    accessKey: credentials.accessKeyId,
    secretKey: credentials.secretAccessKey,
    // A region skips the GetBucketLocation request; pathStyle false gives the same virtual host as ours.
    region,
    pathStyle: false,
  });
  const a4f = new AwsClient({ ...credentials, service: 's3', region });
  const lean = new LeanS3Client({
    ...credentials,
    region,
    bucket,
    endpoint: 'https://{bucket}.s3.{region}.amazonaws.com',
  });

  // `date` is given only by the signature cross-check; the timed calls sign for "now", as users do.
  const amzDate = (date) => date.toISOString().replace(/[:-]|\.\d{3}/g, '');
  return {
    hashLabel: hash.label,
    list: [
      {
        name: 'ours presignGet',
        ours: true,
        async: true,
        run: async (date) => (await ours.presignGet({ key, expiresIn, signingDate: date })).url,
      },
      {
        name: 'ours presignGet, portable build',
        async: true,
        run: async (date) => (await portable.presignGet({ key, expiresIn, signingDate: date })).url,
      },
      {
        name: 'getSignedUrl (@aws-sdk)',
        baseline: true,
        async: true,
        run: (date) =>
          getSignedUrl(sdk, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn, signingDate: date }),
      },
      {
        name: '@smithy/signature-v4',
        async: true,
        run: async (date) =>
          formatUrl(
            await smithy.presign(
              {
                method: 'GET',
                protocol: 'https:',
                hostname: host,
                path,
                query: {},
                headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
              },
              { expiresIn, signingDate: date, unsignableHeaders: unsigned, unhoistableHeaders: unsigned },
            ),
          ),
      },
      {
        name: 'aws4',
        async: false,
        run: (date) => {
          const d = date === undefined ? '' : `&X-Amz-Date=${amzDate(date)}`;
          const signed = aws4.sign(
            { host, path: `${path}?X-Amz-Expires=${expiresIn}${d}`, service: 's3', region, signQuery: true },
            credentials,
          );
          return `https://${signed.host}${signed.path}`;
        },
      },
      {
        name: 'minio',
        async: true,
        run: (date) => minio.presignedGetObject(bucket, key, expiresIn, {}, date),
      },
      {
        name: 'aws4fetch',
        async: true,
        run: async (date) =>
          (
            await a4f.sign(`https://${host}${path}?X-Amz-Expires=${expiresIn}`, {
              method: 'GET',
              aws: { signQuery: true, ...(date === undefined ? {} : { datetime: amzDate(date) }) },
            })
          ).url,
      },
      {
        name: 'lean-s3',
        async: false,
        // lean-s3 always signs for the clock: it cannot join the signature cross-check.
        noDate: true,
        run: () => lean.presign(key, { expiresIn }),
      },
      {
        name: 'floor: sha256 + hmac only',
        reference: true,
        async: false,
        run: floorSigner(path),
      },
    ],
    uploadPart: {
      ours: (partNumber) => ours.presign({ method: 'PUT', key, query: { partNumber, uploadId } }),
      sdk: (partNumber) =>
        getSignedUrl(
          sdk,
          new UploadPartCommand({ Bucket: bucket, Key: key, PartNumber: partNumber, UploadId: uploadId }),
          {
            expiresIn,
          },
        ),
    },
  };
}

// The irreducible work of one URL, for scale: one SHA-256 of a canonical request of the real size and
// one HMAC with a cached signing key. No date formatting, no encoding, no validation: the key's path
// comes encoded, so that the hashed canonical request and the URL have the real length for that key.
function floorSigner(path) {
  const signingKey = createHmac('sha256', 'k').update('day').digest();
  const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credentials.accessKeyId}%2F20261129%2F${region}%2Fs3%2Faws4_request&X-Amz-Date=20261129T000000Z&X-Amz-Expires=${expiresIn}&X-Amz-SignedHeaders=host`;
  const canonical = `GET\n${path}\n${query}\nhost:${host}\n\nhost\nUNSIGNED-PAYLOAD`;
  return () => {
    const digest = createHash('sha256').update(canonical).digest('hex');
    const sts = `AWS4-HMAC-SHA256\n20261129T000000Z\n20261129/${region}/s3/aws4_request\n${digest}`;
    return `https://${host}${path}?${query}&X-Amz-Signature=${createHmac('sha256', signingKey).update(sts).digest('hex')}`;
  };
}

function signatureOf(url) {
  return /[?&]X-Amz-Signature=([0-9a-f]{64})/.exec(url)?.[1];
}

const pathOf = (url) => new URL(url.slice(0, url.indexOf('?'))).pathname;

// Every contender that takes a signing date must sign the same request to the same signature:
// otherwise the race compares different work. The SDK adds x-id=GetObject, so it differs by design,
// and lean-s3 signs for the clock only: for those two, the URL path is compared with ours instead
// (the same encoding work, or not).
async function crossCheck(list) {
  const date = new Date('2026-11-29T00:00:00Z');
  const oursUrl = await list[0].run(date);
  const oursSignature = signatureOf(oursUrl);
  const same = [];
  const different = [];
  const samePath = [];
  const differentPath = [];
  for (const c of list.slice(1)) {
    if (c.reference) continue;
    if (c.noDate || c.baseline) {
      const p = pathOf(await c.run(date));
      (p === pathOf(oursUrl) ? samePath : differentPath).push(`${c.name}${p === pathOf(oursUrl) ? '' : ` (${p})`}`);
      continue;
    }
    (signatureOf(await c.run(date)) === oursSignature ? same : different).push(c.name);
  }
  return { same, different, samePath, differentPath, path: pathOf(oursUrl) };
}

let sink = 0;

async function slice(contender, ms) {
  const { run } = contender;
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  // Clock reads every 16 calls keep them out of the measurement even for the fastest contender.
  if (contender.async) {
    while (now < end) {
      for (let i = 0; i < 16; i++) sink += (await run()).length;
      n += 16;
      now = performance.now();
    }
  } else {
    while (now < end) {
      for (let i = 0; i < 16; i++) sink += run().length;
      n += 16;
      now = performance.now();
    }
  }
  return (n * 1000) / (now - start);
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

const median = (values) => quantile(values, 0.5);

// A fixed-seed shuffle: each round runs the contenders in a new order, so no one always follows the
// SDK (and pays for its garbage) or always runs first.
function shuffled(list, seed) {
  const out = [...list];
  let x = seed;
  const random = () => {
    // mulberry32
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

async function throughput(list) {
  for (const c of list) await slice(c, WARMUP_MS);
  const rates = new Map(list.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of shuffled(list, round + 1)) {
      // An untimed lead-in absorbs the GC work the previous contender left behind.
      await slice(c, LEAD_IN_MS);
      rates.get(c).push(await slice(c, SLICE_MS));
    }
  }
  return list.map((c) => {
    const r = rates.get(c);
    return { ...c, samples: r, rate: median(r), iqr: (quantile(r, 0.75) - quantile(r, 0.25)) / median(r) };
  });
}

// The median of the per-round ratios: both rates of a pair were measured within a second of each
// other, under the same load, so this is steadier than a ratio of the two medians.
function ratio(a, b) {
  return median(a.samples.map((rate, round) => rate / b.samples[round]));
}

async function timeParts(make, from, to) {
  const start = performance.now();
  for (let part = from; part < to; part++) sink += (await make(part)).length;
  return performance.now() - start;
}

// One side's 10,000 parts, in a process of its own, after an untimed warm-up: in one process, the
// SDK's garbage was collected on our time (a major GC of its heap is longer than our whole chunk),
// which halved our figure whatever the interleaving.
async function uploadChild(side) {
  const { uploadPart } = await makeContenders();
  const make = side === 'ours' ? async (p) => (await uploadPart.ours(p)).url : uploadPart.sdk;
  await timeParts(make, 1, side === 'ours' ? 2001 : 201);
  const ms = await timeParts(make, 1, UPLOAD_PARTS + 1);
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
}

// Ours, the SDK, ours: our two runs sit on either side of the SDK's in time, so a drift in machine
// load cancels out (one SDK run: 10,000 of its URLs take 5 to 20 s here).
function uploadParts() {
  const before = child('--upload-child=ours').ms;
  const sdk = child('--upload-child=sdk').ms;
  const after = child('--upload-child=ours').ms;
  return { ours: (before + after) / 2, sdk };
}

// Runs in a child started with --expose-gc (so `npm run bench` needs no node flags), with only our
// presigner at work.
async function memoryChild() {
  const ours = createPresigner({ region, credentials, bucket });
  const every = MEMORY_CALLS / MEMORY_SAMPLES;
  const sample = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  // Warm up first so that compiled code and the presigner's caches are in the baseline.
  for (let i = 0; i < 20_000; i++) sink += (await ours.presignGet({ key: `warm/${i}.bin`, expiresIn })).url.length;
  const samples = [sample()];
  for (let i = 0; i < MEMORY_CALLS; i++) {
    sink += (await ours.presignGet({ key: `users/${i}/avatar-${i % 977}.png`, expiresIn })).url.length;
    if ((i + 1) % every === 0) samples.push(sample());
  }
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
}

function child(flag, node = []) {
  const run = spawnSync(process.execPath, [...node, fileURLToPath(import.meta.url), flag], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`bench child ${flag} failed with status ${run.status}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1));
}

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const loads = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const cpus = os.cpus();
  console.log(
    `s3-presign bench  ${new Date().toISOString()}  node ${process.version}  ${cpus.length} cores (${cpus[0]?.model.trim()})  load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`inputs: GET ${host}/<key of each kind>, ${expiresIn} s, static credentials\n`);

  forbidNetwork();
  const kinds = kindsArg === undefined ? KINDS : KINDS.filter((k) => kindsArg.includes(k.name));
  const perKind = [];
  let issue2;
  for (const kind of kinds) {
    const { list: all, hashLabel } = await makeContenders(kind.key);
    const list = kind === KINDS[0] ? all : all.filter((c) => KIND_GOAL_CONTENDERS.has(c.name));
    console.log(`key kind ${kind.name}: ${JSON.stringify(kind.key)}`);
    const check = await crossCheck(all);
    console.log(`encoded path: ${check.path}`);
    console.log(`same signature as ours (fixed date): ${check.same.join(', ') || 'none'}`);
    if (check.different.length > 0) console.log(`DIFFERENT signature: ${check.different.join(', ')}`);
    console.log(`same URL path as ours: ${check.samePath.join(', ') || 'none'}`);
    if (check.differentPath.length > 0) console.log(`different URL path: ${check.differentPath.join(', ')}`);
    if (kind === KINDS[0])
      console.log(
        `(signatures not compared: getSignedUrl, whose URL adds x-id=GetObject; lean-s3, which signs for the clock only; smithy hashes with ${hashLabel})`,
      );
    console.log(
      `presign one GET URL: ${ROUNDS} interleaved rounds (shuffled) of ${SLICE_MS} ms each; URLs/s: median per contender; ratios: median of the per-round ratios; load ${loads()}`,
    );
    const results = await throughput(list);
    const baseline = results.find((r) => r.baseline);
    const ours = results.find((r) => r.ours);
    const floor = results.find((r) => r.reference);
    const lean = results.find((r) => r.name === 'lean-s3');
    const width = Math.max(...results.map((r) => r.name.length));
    console.log(`${'contender'.padEnd(width)}  ${'URLs/s'.padStart(9)}  ${'x getSignedUrl'.padStart(14)}  IQR/median`);
    for (const r of [...results].sort((a, b) => b.rate - a.rate)) {
      console.log(
        `${r.name.padEnd(width)}  ${fmt(r.rate).padStart(9)}  ${fmt(ratio(r, baseline), 1).padStart(14)}  ${fmt(r.iqr * 100).padStart(9)}%`,
      );
    }
    const k = { kind, vsSdk: ratio(ours, baseline), vsLean: ratio(ours, lean), vsFloor: ratio(ours, floor) };
    if (kind === KINDS[0]) {
      const peers = results.filter((r) => !r.ours && !r.reference);
      const fastest = peers.reduce((a, b) => (b.rate > a.rate ? b : a));
      issue2 = { vsSdk: k.vsSdk, vsFastest: ratio(ours, fastest) };
      console.log(`ours / fastest other peer (${fastest.name}): ${fmt(issue2.vsFastest, 2)}x`);
    }
    console.log(`ours / lean-s3: ${fmt(k.vsLean, 2)}x`);
    console.log(`ours / floor: ${fmt(k.vsFloor * 100)}% of the crypto-only rate  (load ${loads()})\n`);
    perKind.push(k);
  }

  let partsRatio;
  if (!args.has('--skip-upload')) {
    console.log(
      `${fmt(UPLOAD_PARTS)} UploadPart URLs (presign PUT with partNumber + uploadId), ours, SDK, ours, each in a process of its own`,
    );
    const parts = uploadParts();
    partsRatio = parts.ours / parts.sdk;
    console.log(`ours time / getSignedUrl time: 1/${fmt(1 / partsRatio)}\n`);
  }

  let mem;
  if (!args.has('--skip-memory')) {
    console.log(`memory: ${fmt(MEMORY_CALLS)} presignGet with varying keys, heapUsed after full GC`);
    const { samples } = child('--memory-child', ['--expose-gc']);
    const delta = samples.at(-1) - samples[0];
    const spread = Math.max(...samples) - Math.min(...samples);
    console.log(`samples: ${samples.map(mb).join(', ')}`);
    console.log(`first -> last: ${delta >= 0 ? '+' : ''}${mb(delta)} (spread ${mb(spread)})\n`);
    mem = Math.abs(delta) < FLAT_BYTES;
  }

  console.log(`goals (issue 2)  load ${loads()}`);
  if (issue2 !== undefined) {
    console.log(`${verdict(issue2.vsSdk >= 50)}  presignGet >= 50x getSignedUrl: ${fmt(issue2.vsSdk, 1)}x`);
    console.log(
      `${verdict(issue2.vsFastest >= 1.5)}  presignGet >= 1.5x the fastest other peer: ${fmt(issue2.vsFastest, 2)}x`,
    );
  }
  if (partsRatio !== undefined)
    console.log(
      `${verdict(partsRatio < 1 / 40)}  10,000 UploadPart URLs under 1/40 of getSignedUrl's time: 1/${fmt(1 / partsRatio)}`,
    );
  if (mem !== undefined)
    console.log(`${verdict(mem)}  heap flat over ${fmt(MEMORY_CALLS)} presigns (|delta| < ${mb(FLAT_BYTES)})`);
  console.log('goals (issue 11, the Node path per key kind)');
  for (const { kind, vsSdk, vsLean, vsFloor } of perKind) {
    const name = kind.name.padEnd(Math.max(...perKind.map((k) => k.kind.name.length)));
    console.log(`${verdict(vsLean >= 1.8)}  ${name}  >= 1.8x lean-s3: ${fmt(vsLean, 2)}x`);
    console.log(`${verdict(vsFloor >= 0.85)}  ${name}  >= 85% of the floor: ${fmt(vsFloor * 100)}%`);
    console.log(`${verdict(vsSdk >= 50)}  ${name}  >= 50x getSignedUrl: ${fmt(vsSdk, 1)}x`);
  }
  if (sink === 0) console.log('');
}

const uploadSide = process.argv.find((a) => a.startsWith('--upload-child='))?.slice('--upload-child='.length);
if (args.has('--memory-child')) await memoryChild();
else if (uploadSide !== undefined) {
  forbidNetwork();
  await uploadChild(uploadSide);
} else await main();
