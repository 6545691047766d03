/**
 * The producer and consumer flows of the runtime matrix, written once against the package's public
 * entries and bundled by test/runtimes/matrix.test.ts for each runtime from the built dist/ (the
 * runtime's export conditions pick the producer build). Web APIs only: this runs in Node, Bun, Deno,
 * workerd, the edge runtime and Chromium. Each flow writes its own key, sends, and reads the object
 * back with a presigned GET, byte for byte.
 */
import { createPresigner, isPresignError, type Presigner, type S3ClientLike } from 's3-presign';
import { download, type Progress, upload } from 's3-presign/consumer';
import { uploadMultipart } from 's3-presign/consumer/multipart';
import { submitPost } from 's3-presign/consumer/post';
import { FLOW_NAMES, type FlowInput, type FlowName, type FlowReport, type FlowResult, keyOf } from './contract.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const CONTENT_TYPE = 'application/x-matrix';
/** A flow that has not settled by then has hung (a request the server never sees the end of). */
const FLOW_DEADLINE_MS = 30_000;

/** An `S3Client` constructor (`@aws-sdk/client-s3`), where the runtime has the SDK. */
export type S3ClientClass = new (config: {
  region: string;
  endpoint: string;
  forcePathStyle: boolean;
  credentials: FlowInput['credentials'];
}) => S3ClientLike & { destroy(): void };

export interface FlowHost {
  /** The SDK's client class, for `multipart-sdk`. */
  S3Client?: S3ClientClass | undefined;
  /** Gets each result as soon as its flow settles. */
  onResult?: ((result: FlowResult) => void) | undefined;
}

interface Context {
  input: FlowInput;
  host: FlowHost;
  presigner: Presigner;
  key: string;
}

class FlowFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new FlowFailure(message);
}

/** `size` bytes of a pattern that differs per flow and per 4 KiB block (a misplaced part shows). */
function pattern(size: number, seed: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 31 + seed + (i >> 12)) % 251);
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  check(
    actual.byteLength === expected.byteLength,
    `${what}: ${actual.byteLength} bytes, expected ${expected.byteLength}`,
  );
  for (let i = 0; i < expected.byteLength; i++) {
    check(actual[i] === expected[i], `${what}: byte ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) {
    const body = (await response.text().catch(() => '')).slice(0, 300);
    throw new FlowFailure(`${what}: HTTP ${response.status}, expected ${status}: ${body}`);
  }
}

/** Reads the object back with a presigned GET and plain fetch: the bytes and the type stored. */
async function readBack(presigner: Presigner, key: string, expected: Uint8Array): Promise<void> {
  const get = await presigner.presignGet({ key });
  const response = await fetch(get.url, { headers: get.headers });
  await expectStatus(response, 200, 'reading the object back');
  check(
    response.headers.get('content-type') === CONTENT_TYPE,
    `stored content-type ${response.headers.get('content-type')}, expected ${CONTENT_TYPE}`,
  );
  sameBytes(new Uint8Array(await response.arrayBuffer()), expected, 'the object read back');
}

/** Stores `body` at `key` with a presigned PUT sent by plain fetch, as any HTTP client would. */
async function putObject(presigner: Presigner, key: string, body: Uint8Array): Promise<void> {
  const put = await presigner.presignPut({ key, contentType: CONTENT_TYPE, contentLength: body.byteLength });
  check(put.headers['content-length'] === String(body.byteLength), 'the PUT descriptor signs content-length');
  const response = await fetch(put.url, { method: 'PUT', headers: put.headers, body: body as BodyInit });
  await expectStatus(response, 200, 'PUT');
}

/** Progress reports: each further than the last, ending at exactly `total` bytes and 100%, once. */
function checkProgress(events: Progress[], total: number): void {
  check(events.length > 0, 'no progress was reported');
  for (let i = 1; i < events.length; i++) {
    check(
      events[i]!.transferredBytes >= events[i - 1]!.transferredBytes,
      `progress went back from ${events[i - 1]!.transferredBytes} to ${events[i]!.transferredBytes}`,
    );
  }
  const last = events.at(-1)!;
  check(last.transferredBytes === total && last.totalBytes === total, `progress ended at ${JSON.stringify(last)}`);
  check(last.percent === 100, `progress ended at ${last.percent}%`);
  check(events.filter((e) => e.percent === 100).length === 1, '100% was reported more than once');
}

async function multipart(presigner: Presigner, key: string, seed: number): Promise<void> {
  const bytes = pattern(12 * MiB, seed);
  const created = await presigner.presignMultipart({
    key,
    size: bytes.byteLength,
    partSize: 5 * MiB,
    contentType: CONTENT_TYPE,
  });
  check(created.parts.length === 3, `${created.parts.length} parts signed, expected 3`);
  const result = await uploadMultipart(created, new Blob([bytes as BlobPart]));
  check(result.parts.length === 3, `${result.parts.length} parts uploaded, expected 3`);
  check(/^".+"$/.test(result.etag), `the completed upload's ETag is ${JSON.stringify(result.etag)}`);
  await readBack(presigner, key, bytes);
}

const FLOWS: Record<FlowName, (context: Context) => Promise<void>> = {
  async 'presign-put'({ presigner, key }) {
    const body = pattern(64 * KiB, 1);
    await putObject(presigner, key, body);
    await readBack(presigner, key, body);
  },

  async 'presign-get'({ presigner, key }) {
    const body = pattern(100 * KiB, 2);
    await putObject(presigner, key, body);
    // A response override travels in the signed query and S3 answers with it (content-type: a
    // header a page can read across origins without the bucket's CORS exposing it).
    const type = 'application/x-matrix-override';
    const get = await presigner.presignGet({ key, responseContentType: type });
    const response = await fetch(get.url, { headers: get.headers });
    await expectStatus(response, 200, 'GET');
    check(response.headers.get('content-type') === type, `content-type ${response.headers.get('content-type')}`);
    sameBytes(new Uint8Array(await response.arrayBuffer()), body, 'the GET body');
  },

  async 'presign-post'({ presigner, key }) {
    const body = pattern(200 * KiB, 3);
    const post = await presigner.presignPost({ key, contentType: CONTENT_TYPE, maxSize: MiB });
    const result = await submitPost(post, new Blob([body as BlobPart]));
    check(result.status === 204, `POST answered ${result.status}, expected 204`);
    check(result.key === key, `POST wrote ${result.key}`);
    await readBack(presigner, key, body);
  },

  async 'upload-progress'({ presigner, key }) {
    const body = pattern(MiB, 4);
    const put = await presigner.presignPut({ key, contentType: CONTENT_TYPE, contentLength: body.byteLength });
    const events: Progress[] = [];
    const result = await upload(put, new Blob([body as BlobPart]), { onProgress: (p) => events.push(p) });
    check(result.status === 200, `upload answered ${result.status}`);
    checkProgress(events, body.byteLength);
    await readBack(presigner, key, body);
  },

  async download({ presigner, key }) {
    const body = pattern(MiB, 5);
    await putObject(presigner, key, body);
    const events: Progress[] = [];
    const result = await download(await presigner.presignGet({ key }), {
      as: 'arrayBuffer',
      onProgress: (p) => events.push(p),
    });
    check(result.status === 200, `download answered ${result.status}`);
    sameBytes(new Uint8Array(result.body), body, 'the downloaded body');
    checkProgress(events, body.byteLength);
  },

  multipart: ({ presigner, key }) => multipart(presigner, key, 6),

  async 'multipart-sdk'({ input, host, key }) {
    check(host.S3Client, 'this runtime was given no S3Client');
    const { region, endpoint, credentials, bucket } = input;
    const client = new host.S3Client({ region, endpoint, forcePathStyle: true, credentials });
    try {
      // Region, endpoint, path style and credentials come from the client; so do the control calls.
      await multipart(createPresigner({ client, bucket }), key, 7);
    } finally {
      client.destroy();
    }
  },
};

/** Why a flow failed: the message, the code and S3's fields of a `PresignError`, and the causes below it. */
function reasonOf(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e !== undefined && e !== null; depth++) {
    if (isPresignError(e)) {
      const s3 = [e.status, e.s3Code, e.s3Message].filter((x) => x !== undefined).join(' ');
      parts.push(`${e.code}: ${e.message}${s3 ? ` [S3: ${s3}]` : ''}`);
    } else {
      parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(' <- ');
}

function withDeadline(flow: Promise<void>, name: FlowName): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FlowFailure(`${name} had not settled after ${FLOW_DEADLINE_MS} ms`)),
      FLOW_DEADLINE_MS,
    );
  });
  return Promise.race([flow, deadline]).finally(() => clearTimeout(timer));
}

/** Runs every flow in turn (each on its own key) and reports each one's outcome; never rejects. */
export async function runFlows(input: FlowInput, host: FlowHost = {}): Promise<FlowReport> {
  const { region, endpoint, credentials, bucket } = input;
  const presigner = createPresigner({ region, endpoint, forcePathStyle: true, credentials, bucket });
  const results: FlowResult[] = [];
  for (const flow of FLOW_NAMES) {
    const started = Date.now();
    let result: FlowResult;
    try {
      await withDeadline(FLOWS[flow]({ input, host, presigner, key: keyOf(input, flow) }), flow);
      result = { flow, ok: true, ms: Date.now() - started };
    } catch (error) {
      result = {
        flow,
        ok: false,
        ...(isPresignError(error) ? { code: error.code } : {}),
        reason: reasonOf(error),
        ms: Date.now() - started,
      };
    }
    results.push(result);
    host.onResult?.(result);
  }
  return { runtime: input.runtime, results };
}
