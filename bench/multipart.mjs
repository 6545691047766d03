// Multipart, head to head, in one run: prints ratios (bare times on a shared machine mean little).
//
//   npm run bench:multipart               builds dist/, then signing 10,000 parts + 1 GiB uploads to a local s3rver
//   node bench/multipart.mjs              the same against the current dist/
//   node bench/multipart.mjs --quick      signing only
//   node bench/multipart.mjs --upload     uploads only
//   node bench/multipart.mjs --size=256   upload 256 MiB instead of 1 GiB
//   node bench/multipart.mjs --runs=5     5 runs of each uploader instead of 3 (medians are printed)
//   node bench/multipart.mjs --no-opens   without the extra strace run per uploader that counts file opens
//   node bench/multipart.mjs --no-tee     three more uploaders: ours and the fetch floor given fetch options that
//                                         keep Node's fetch from teeing (copying) the body (see NO_TEE)
//   node bench/multipart.mjs --cpu-prof   also write a V8 CPU profile of each uploader run to .tmp/cpu-prof/
//
// 1. Planning and signing 10,000 UploadPart requests (presignParts with the object's size and part
//    size: each part signed with its exact content-length) vs getSignedUrl(UploadPartCommand).
//    Goal: under 1/40 of getSignedUrl's time.
// 2. Uploading one file from disk to @20minutes/s3rver (its own process), 16 MiB parts, 4 in flight,
//    each uploader in a fresh process that reports its own CPU (user + system, from the upload's start
//    to its completion, module loading excluded), wall time and peak RSS:
//      ours                uploadMultipart over fs.openAsBlob
//      ours + progress     the same with onProgress (a no-op counter)
//      lib-storage         @aws-sdk/lib-storage's Upload over fs.createReadStream
//      lib-storage + prog. the same with an httpUploadProgress listener
//      floor               the same multipart upload by hand: presignMultipart, then a plain
//                          fetch(url, { method: 'PUT', body: blob.slice(...) }) per part, 4 at a time,
//                          and a fetch of the signed complete: no checks, retries or progress
//      node:http floor     the same over http.request, each part a read stream of its range
//    Every one creates the upload, sends the parts and completes it, in that process. With strace on
//    the machine, one more run of each under `strace -f -e trace=openat` counts how often it opened
//    the file. Goals: ours CPU <= lib-storage's, with and without progress; ours peak RSS < 256 MiB.
//
// It measures the built package, through its public entries, as an app would import it: createPresigner
// from dist/index.js and uploadMultipart from dist/consumer/multipart.js (`s3-presign/consumer/multipart`).
// It exits 0 whatever it finds: it measures, it does not test.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
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
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const QUICK = args.includes('--quick');
const UPLOAD_ONLY = args.includes('--upload');
const SIZE_MIB = Number(option('size') ?? 1024);
const RUNS = Number(option('runs') ?? 3);
const COUNT_OPENS = !args.includes('--no-opens');
const CPU_PROF = args.includes('--cpu-prof');
const NO_TEE_ROWS = args.includes('--no-tee');
const MiB = 1024 ** 2;
const PARTS = 10_000;
const PART_SIZE = 16 * MiB;
const CONCURRENCY = 4;
const RSS_GOAL = 256 * MiB;
// The SDK's notice that its 2027 releases need Node 22 says nothing about this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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

/** s3rver in its own process, so its memory and CPU do not count against the uploaders. */
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

/**
 * An uploader's program: `imports` and `setup` untimed, then `upload` between two readings of the
 * process's CPU and the clock; then, untimed, a HEAD that checks S3 holds the whole object. `upload`
 * may count progress events in `progressEvents`.
 */
const uploader = ({ imports, setup = '', upload }) => `
  import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
  ${imports}
  const { FILE, KEY, SIZE, ENDPOINT } = process.env;
  const client = new S3Client({ region: 'us-east-1', endpoint: ENDPOINT, forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
  ${setup}
  let progressEvents = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  ${upload}
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const head = await client.send(new HeadObjectCommand({ Bucket: 'bench', Key: KEY }));
  if (head.ContentLength !== Number(SIZE)) throw new Error('bench: S3 holds ' + head.ContentLength + ' bytes of ' + KEY);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000, maxRss, progressEvents }));
`;

/**
 * What fetch is given beyond method, headers and body, for the `--no-tee` rows. Node's fetch (undici)
 * clones the request, teeing its body and copying every chunk of a byte stream (a Blob's), unless the
 * request has `window: null` and `redirect: 'error'`: https://fetch.spec.whatwg.org/#http-network-or-cache-fetch
 */
const NO_TEE = `redirect: 'error', window: null`;

const ours = ({ onProgress = false, noTee = false } = {}) =>
  uploader({
    imports: `import { openAsBlob } from 'node:fs';`,
    setup: `
      const { createPresigner } = await import(process.env.PRODUCER_ENTRY);
      const { uploadMultipart } = await import(process.env.CONSUMER_MULTIPART_ENTRY);
      const presigner = createPresigner({ client, bucket: 'bench' });`,
    upload: `
      const blob = await openAsBlob(FILE);
      const upload = await presigner.presignMultipart({ key: KEY, size: blob.size, partSize: ${PART_SIZE}, expiresIn: 3600 });
      await uploadMultipart(upload, blob, {
        concurrency: ${CONCURRENCY},
        ${onProgress ? 'onProgress: () => { progressEvents++; },' : ''}
        ${noTee ? `fetch: (url, init) => fetch(url, { ...init, ${NO_TEE} }),` : ''}
      });`,
  });

const libStorage = (onProgress) =>
  uploader({
    imports: `
      import { createReadStream } from 'node:fs';
      import { stat } from 'node:fs/promises';
      import { Upload } from '@aws-sdk/lib-storage';`,
    upload: `
      const { size } = await stat(FILE);
      const upload = new Upload({ client, params: { Bucket: 'bench', Key: KEY, Body: createReadStream(FILE), ContentLength: size },
        queueSize: ${CONCURRENCY}, partSize: ${PART_SIZE} });
      ${onProgress ? `upload.on('httpUploadProgress', () => { progressEvents++; });` : ''}
      await upload.done();`,
  });

/** The least an uploader can do: the signed parts sent with plain fetch, no checks, retries or progress. */
const floor = ({ noTee = false } = {}) =>
  uploader({
    imports: `import { openAsBlob } from 'node:fs';`,
    setup: `
    const { createPresigner } = await import(process.env.PRODUCER_ENTRY);
    const presigner = createPresigner({ client, bucket: 'bench' });`,
    upload: `
    const blob = await openAsBlob(FILE);
    const upload = await presigner.presignMultipart({ key: KEY, size: blob.size, partSize: ${PART_SIZE}, expiresIn: 3600 });
    const etags = [];
    let next = 0;
    const sender = async () => {
      while (next < upload.parts.length) {
        const { partNumber, request } = upload.parts[next++];
        // fetch sets content-length from the Blob itself.
        const { 'content-length': _, ...headers } = request.headers;
        const at = (partNumber - 1) * upload.partSize;
        const response = await fetch(request.url, { method: 'PUT', headers, body: blob.slice(at, at + upload.partSize)${noTee ? `, ${NO_TEE}` : ''} });
        await response.arrayBuffer();
        if (!response.ok) throw new Error('bench: part ' + partNumber + ' answered ' + response.status);
        etags[partNumber - 1] = response.headers.get('etag');
      }
    };
    await Promise.all(Array.from({ length: ${CONCURRENCY} }, sender));
    const xml = '<CompleteMultipartUpload>' + etags.map((etag, i) => '<Part><PartNumber>' + (i + 1) + '</PartNumber><ETag>' + etag + '</ETag></Part>').join('') + '</CompleteMultipartUpload>';
    const response = await fetch(upload.complete.url, { method: 'POST', headers: upload.complete.headers, body: xml });
    const answer = await response.text();
    if (!response.ok || answer.includes('<Error>')) throw new Error('bench: the completion answered ' + response.status + ' ' + answer);`,
  });

/**
 * The same by hand over node:http, each part a read stream of its range piped into the request: what
 * an uploader that is not held to fetch and Blob (as a browser-safe consumer is) can get down to.
 */
const httpFloor = uploader({
  imports: `
    import { createReadStream } from 'node:fs';
    import { stat } from 'node:fs/promises';
    import http from 'node:http';`,
  setup: `
    const { createPresigner } = await import(process.env.PRODUCER_ENTRY);
    const presigner = createPresigner({ client, bucket: 'bench' });
    const agent = new http.Agent({ keepAlive: true });
    const exchange = (request, body) => new Promise((resolve, reject) => {
      const req = http.request(request.url, { method: request.method, headers: request.headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, etag: res.headers.etag, text }));
      });
      req.once('error', reject);
      if (typeof body === 'string') req.end(body);
      else body.pipe(req);
    });`,
  upload: `
    const { size } = await stat(FILE);
    const upload = await presigner.presignMultipart({ key: KEY, size, partSize: ${PART_SIZE}, expiresIn: 3600 });
    const etags = [];
    let next = 0;
    const sender = async () => {
      while (next < upload.parts.length) {
        const { partNumber, request } = upload.parts[next++];
        const at = (partNumber - 1) * upload.partSize;
        const end = Math.min(at + upload.partSize, size) - 1;
        const answer = await exchange({ ...request, method: 'PUT' }, createReadStream(FILE, { start: at, end }));
        if (answer.status !== 200) throw new Error('bench: part ' + partNumber + ' answered ' + answer.status);
        etags[partNumber - 1] = answer.etag;
      }
    };
    await Promise.all(Array.from({ length: ${CONCURRENCY} }, sender));
    const xml = '<CompleteMultipartUpload>' + etags.map((etag, i) => '<Part><PartNumber>' + (i + 1) + '</PartNumber><ETag>' + etag + '</ETag></Part>').join('') + '</CompleteMultipartUpload>';
    const answer = await exchange({ ...upload.complete, method: 'POST' }, xml);
    if (answer.status !== 200 || answer.text.includes('<Error>')) throw new Error('bench: the completion answered ' + answer.status + ' ' + answer.text);
    agent.destroy();`,
});

/** The contenders, in the order of the table; `against` is the lib-storage run the ratio is taken to. */
const UPLOADERS = {
  ours: { label: 'ours uploadMultipart', program: ours(), against: 'libStorage' },
  oursProgress: { label: 'ours + onProgress', program: ours({ onProgress: true }), against: 'libStorageProgress' },
  libStorage: { label: 'lib-storage Upload', program: libStorage(false), against: 'libStorage' },
  libStorageProgress: { label: 'lib-storage + progress', program: libStorage(true), against: 'libStorageProgress' },
  floor: { label: 'floor: fetch by hand', program: floor(), against: 'libStorage' },
  httpFloor: { label: 'node:http by hand', program: httpFloor, against: 'libStorage' },
  ...(NO_TEE_ROWS && {
    oursNoTee: { label: 'ours, fetch no tee', program: ours({ noTee: true }), against: 'libStorage' },
    oursProgressNoTee: {
      label: 'ours + onProgress, no tee',
      program: ours({ onProgress: true, noTee: true }),
      against: 'libStorageProgress',
    },
    floorNoTee: { label: 'floor: fetch, no tee', program: floor({ noTee: true }), against: 'libStorage' },
  }),
};

/** Runs one uploader in a fresh process (under `wrap`, e.g. strace, when given) and resolves with its report. */
function runUploader(name, env, { wrap = [], nodeArgs = [] } = {}) {
  const node = [process.execPath, ...nodeArgs, '--no-warnings', '--input-type=module', '-e', UPLOADERS[name].program];
  return new Promise((resolve, reject) => {
    const child = spawn(wrap[0] ?? node[0], [...wrap.slice(1), ...(wrap.length ? node : node.slice(1))], {
      cwd: ROOT,
      env: { ...process.env, ...env, KEY: `${name}.bin` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench: ${name} exited with ${code}`)),
    );
  });
}

const hasStrace = () => process.platform === 'linux' && spawnSync('strace', ['-V']).status === 0;

/** How many times the uploader opened `file`: one more run, under strace (which slows it: untimed). */
async function countOpens(name, env, file, work) {
  const log = join(work, `${name}.strace`);
  // --seccomp-bpf: only openat stops the process, not every system call.
  const wrap = ['strace', '-f', '--seccomp-bpf', '-qq', '-e', 'trace=openat', '-o', log];
  await runUploader(name, env, { wrap });
  const lines = (await readFile(log, 'utf8')).split('\n');
  await rm(log);
  return lines.filter((line) => line.includes(JSON.stringify(file)) && !/= -1 /.test(line)).length;
}

async function writeSource(file) {
  const out = createWriteStream(file);
  const chunk = randomBytes(16 * MiB);
  for (let left = SIZE_MIB * MiB; left > 0; left -= chunk.length) {
    const piece = left < chunk.length ? chunk.subarray(0, left) : chunk;
    if (!out.write(piece)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

function report(results, opens) {
  const names = Object.keys(UPLOADERS);
  const summary = {};
  for (const name of names) {
    const runs = results[name];
    const cpu = runs.map((r) => r.cpuMs);
    summary[name] = {
      cpuMs: median(cpu),
      cpuMin: Math.min(...cpu),
      cpuMax: Math.max(...cpu),
      systemMs: median(runs.map((r) => r.systemMs)),
      ms: median(runs.map((r) => r.ms)),
      // The goal is on the peak: the highest of the runs, not their median.
      maxRss: Math.max(...runs.map((r) => r.maxRss)),
      progressEvents: runs[0].progressEvents,
    };
  }
  const rows = [
    [
      'contender',
      'CPU ms',
      '(min-max)',
      'of it sys',
      'x lib-storage',
      'x floor',
      'peak RSS MiB',
      'MiB/s',
      'file opens',
      'progress events',
    ],
  ];
  for (const name of names) {
    const s = summary[name];
    rows.push([
      UPLOADERS[name].label,
      s.cpuMs.toFixed(0),
      `${s.cpuMin.toFixed(0)}-${s.cpuMax.toFixed(0)}`,
      s.systemMs.toFixed(0),
      (s.cpuMs / summary[UPLOADERS[name].against].cpuMs).toFixed(2),
      (s.cpuMs / summary.floor.cpuMs).toFixed(2),
      (s.maxRss / MiB).toFixed(0),
      ((SIZE_MIB / s.ms) * 1000).toFixed(0),
      opens ? String(opens[name]) : 'n/a',
      String(s.progressEvents),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  }
  console.log(
    'CPU: user + system of the uploader process over the upload (create, parts, complete), median of the runs' +
      ' (sys: the system part);' +
      '\nx lib-storage: against lib-storage with the same progress setting (the floor: without); peak RSS: highest run',
  );
  if (!opens) console.log('file opens: n/a (strace not found, or --no-opens)');

  const { ours, oursProgress, libStorage: theirs, libStorageProgress: theirsProgress } = summary;
  const rss = Math.max(ours.maxRss, oursProgress.maxRss);
  console.log(`\ngoals`);
  console.log(
    `${verdict(oursProgress.cpuMs <= theirsProgress.cpuMs)}  CPU, ours + onProgress <= lib-storage + progress: ${(oursProgress.cpuMs / theirsProgress.cpuMs).toFixed(2)}x`,
  );
  console.log(
    `${verdict(ours.cpuMs <= theirs.cpuMs)}  CPU, ours <= lib-storage: ${(ours.cpuMs / theirs.cpuMs).toFixed(2)}x`,
  );
  console.log(
    `${verdict(rss < RSS_GOAL)}  peak RSS of ours, with and without progress, < 256 MiB: ${(rss / MiB).toFixed(0)} MiB`,
  );
}

async function uploading() {
  const work = await mkdtemp(join(tmpdir(), 's3-presign-bench-'));
  try {
    const file = join(work, 'source.bin');
    await writeSource(file);
    const server = await startServer(join(work, 's3'));
    try {
      const env = {
        PRODUCER_ENTRY,
        CONSUMER_MULTIPART_ENTRY,
        FILE: file,
        SIZE: String(SIZE_MIB * MiB),
        ENDPOINT: server.endpoint,
      };
      const names = Object.keys(UPLOADERS);
      const results = Object.fromEntries(names.map((name) => [name, []]));
      const profiles = join(ROOT, '.tmp', 'cpu-prof');
      if (CPU_PROF) await mkdir(profiles, { recursive: true });
      console.log(
        `\nUploading ${SIZE_MIB} MiB from disk to s3rver 4.0.4, ${CONCURRENCY} parts of 16 MiB in flight, ${RUNS} runs of each uploader, a fresh process each`,
      );
      // One after another (two cores: the server needs one), in an order rotated every round, so that
      // none always runs first or after the same one.
      for (let round = 0; round < RUNS; round++) {
        for (let i = 0; i < names.length; i++) {
          const name = names[(round + i) % names.length];
          const nodeArgs = CPU_PROF
            ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`, `--cpu-prof-name=${name}-${round + 1}.cpuprofile`]
            : [];
          results[name].push(await runUploader(name, env, { nodeArgs }));
          process.stdout.write('.');
        }
      }
      process.stdout.write('\n');
      let opens;
      if (COUNT_OPENS && hasStrace()) {
        opens = {};
        for (const name of names) opens[name] = await countOpens(name, env, file, work);
      }
      report(results, opens);
      if (CPU_PROF) console.log(`CPU profiles: ${profiles}`);
    } finally {
      server.stop();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (!UPLOAD_ONLY) await signing();
if (!QUICK) await uploading();
