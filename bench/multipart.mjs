// Multipart, head to head, in one run: prints ratios (bare times on a shared machine mean little).
//
//   npm run bench:multipart             builds dist/, then signing 10,000 parts + a 1 GiB upload to a local s3rver
//   node bench/multipart.mjs            the same against the current dist/
//   node bench/multipart.mjs --quick    signing only
//   node bench/multipart.mjs --size=256 upload 256 MiB instead of 1 GiB
//
// 1. Planning and signing 10,000 UploadPart requests (presignParts with the object's size and part
//    size: each part signed with its exact content-length) vs getSignedUrl(UploadPartCommand).
//    Goal: under 1/40 of getSignedUrl's time.
// 2. Uploading a file from disk to @20minutes/s3rver (its own process) with concurrency 4 and 16 MiB
//    parts: uploadMultipart over fs.openAsBlob vs @aws-sdk/lib-storage's Upload over a read stream,
//    each in a fresh process that reports its peak RSS. Goals: under 256 MiB; at least as fast.
//
// It measures the built package, through its public entries, as an app would import it: createPresigner
// from dist/index.js and uploadMultipart from dist/consumer/multipart.js (`s3-presign/consumer/multipart`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPresigner } from '../dist/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built public entries, for the uploader processes (they run from `-e` source, so absolute URLs). */
const PRODUCER_ENTRY = new URL('../dist/index.js', import.meta.url).href;
const CONSUMER_MULTIPART_ENTRY = new URL('../dist/consumer/multipart.js', import.meta.url).href;
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SIZE_MIB = Number(args.find((a) => a.startsWith('--size='))?.slice(7) ?? 1024);
const MiB = 1024 ** 2;
const PARTS = 10_000;
const PART_SIZE = 16 * MiB;
const CONCURRENCY = 4;

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const region = 'eu-west-1';
const bucket = 'examplebucket';
const key = 'videos/2026/11/29/keynote-final.mp4';
const uploadId = 'VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function signing() {
  const presigner = createPresigner({ region, credentials, bucket });
  const client = new S3Client({ region, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const partNumbers = Array.from({ length: PARTS }, (_, i) => i + 1);
  const size = PARTS * 5 * MiB;

  const ours = async () => {
    const start = performance.now();
    const parts = await presigner.presignParts({ key, uploadId, partNumbers, size, partSize: 5 * MiB });
    if (parts.length !== PARTS) throw new Error('bench: ours signed the wrong number of parts');
    return performance.now() - start;
  };
  const theirs = async () => {
    const start = performance.now();
    for (const n of partNumbers) {
      await getSignedUrl(
        client,
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: n }),
        {
          expiresIn: 900,
        },
      );
    }
    return performance.now() - start;
  };
  await ours();
  await theirs();
  const oursMs = [];
  const theirsMs = [];
  // Interleaved, so a burst of load from another process lands on both.
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 3; i++) oursMs.push(await ours());
    theirsMs.push(await theirs());
  }
  const o = median(oursMs);
  const t = median(theirsMs);
  console.log(
    `\nSigning ${PARTS.toLocaleString('en')} UploadPart requests (median of ${oursMs.length} / ${theirsMs.length})`,
  );
  console.log(
    `  s3-presign presignParts vs getSignedUrl(UploadPartCommand): ${(o / t).toFixed(4)} of its time (x${(t / o).toFixed(1)} faster)`,
  );
  console.log(`  goal under 1/40 (0.0250): ${o / t < 1 / 40 ? 'met' : 'NOT met'}`);
}

/** s3rver in its own process, so its memory does not count against the uploaders. */
async function startServer(directory) {
  const script = `
    const S3rver = require('@20minutes/s3rver');
    const cors = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>';
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(directory)},
      vhostBuckets: false, configureBuckets: [{ name: 'bench', configs: [cors] }] });
    server.run().then((a) => process.stdout.write(String(a.port) + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`bench: s3rver exited with ${code}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

const UPLOADERS = {
  ours: `
    import { openAsBlob } from 'node:fs';
    import { S3Client } from '@aws-sdk/client-s3';
    const { createPresigner } = await import(process.env.PRODUCER_ENTRY);
    const { uploadMultipart } = await import(process.env.CONSUMER_MULTIPART_ENTRY);
    const client = new S3Client({ region: 'us-east-1', endpoint: process.env.ENDPOINT, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const presigner = createPresigner({ client, bucket: 'bench' });
    const blob = await openAsBlob(process.env.FILE);
    const start = performance.now();
    const upload = await presigner.presignMultipart({ key: 'ours.bin', size: blob.size, partSize: ${PART_SIZE}, expiresIn: 3600 });
    await uploadMultipart(upload, blob, { concurrency: ${CONCURRENCY} });
    const ms = performance.now() - start;
    process.stdout.write(JSON.stringify({ ms, maxRss: process.resourceUsage().maxRSS * 1024 }));
  `,
  libStorage: `
    import { createReadStream } from 'node:fs';
    import { stat } from 'node:fs/promises';
    import { S3Client } from '@aws-sdk/client-s3';
    import { Upload } from '@aws-sdk/lib-storage';
    const client = new S3Client({ region: 'us-east-1', endpoint: process.env.ENDPOINT, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const { size } = await stat(process.env.FILE);
    const start = performance.now();
    await new Upload({ client, params: { Bucket: 'bench', Key: 'lib-storage.bin', Body: createReadStream(process.env.FILE), ContentLength: size }, queueSize: ${CONCURRENCY}, partSize: ${PART_SIZE} }).done();
    const ms = performance.now() - start;
    process.stdout.write(JSON.stringify({ ms, maxRss: process.resourceUsage().maxRSS * 1024 }));
  `,
};

function runUploader(name, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', UPLOADERS[name]], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench: ${name} exited with ${code}`)),
    );
  });
}

async function uploading() {
  const work = await mkdtemp(join(tmpdir(), 's3-presign-bench-'));
  try {
    const file = join(work, 'source.bin');
    const out = createWriteStream(file);
    const chunk = randomBytes(16 * MiB);
    for (let i = 0; i < SIZE_MIB / 16; i++) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
    }
    await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
    const server = await startServer(join(work, 's3'));
    try {
      const env = { PRODUCER_ENTRY, CONSUMER_MULTIPART_ENTRY, FILE: file, ENDPOINT: server.endpoint };
      const results = { ours: [], libStorage: [] };
      // Alternated, two rounds: page cache and disk state even out between the contenders.
      for (let round = 0; round < 2; round++) {
        for (const name of round === 0 ? ['ours', 'libStorage'] : ['libStorage', 'ours']) {
          results[name].push(await runUploader(name, env));
        }
      }
      const best = (list, field) => Math.min(...list.map((r) => r[field]));
      const oursMs = best(results.ours, 'ms');
      const theirsMs = best(results.libStorage, 'ms');
      const oursRss = Math.max(...results.ours.map((r) => r.maxRss));
      const theirsRss = Math.max(...results.libStorage.map((r) => r.maxRss));
      const mibps = (ms) => ((SIZE_MIB / ms) * 1000).toFixed(0);
      console.log(
        `\nUploading ${SIZE_MIB} MiB from disk to s3rver 4.0.4, ${CONCURRENCY} parts of 16 MiB in flight (best of 2, fresh process each)`,
      );
      console.log(
        `  throughput, uploadMultipart vs lib-storage Upload: x${(theirsMs / oursMs).toFixed(2)} (${mibps(oursMs)} vs ${mibps(theirsMs)} MiB/s)`,
      );
      console.log(
        `  peak RSS, uploadMultipart vs lib-storage Upload: ${(oursRss / theirsRss).toFixed(2)} of it (${(oursRss / MiB).toFixed(0)} vs ${(theirsRss / MiB).toFixed(0)} MiB)`,
      );
      console.log(
        `  goals: peak RSS under 256 MiB ${oursRss < 256 * MiB ? 'met' : 'NOT met'}; at least as fast ${oursMs <= theirsMs * 1.05 ? 'met' : 'NOT met'} (5% noise allowed)`,
      );
    } finally {
      server.stop();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await signing();
if (!QUICK) await uploading();
