/**
 * The multipart engine: parts read as Blob slices, `concurrency` of them in flight, each sent with
 * `upload` (so every part gets its parity and expiry checks, retries, refresh and progress), then the
 * completion and, on failure, the abort. https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import type { CompletedPart, MultipartUpload, PresignedPart } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { isPresignError, PresignError, redactUrl } from '../../errors.js';
import { type PartPlan, partRange } from '../../s3/multipart-plan.js';
import { completeMultipartXml, isErrorXml, parseS3ErrorXml, xmlElement } from '../../s3/xml.js';
import { exchange } from '../exchange.js';
import { withRetry } from '../retry.js';
import { send } from '../transport.js';
import type { Progress, RequestOptions, TransferOptions } from '../types.js';
import { upload as uploadOne } from '../upload.js';

const DEFAULT_CONCURRENCY = 4;
/** Re-sign a part ahead of time when its signature has less than this left (ms), past `clockTolerance`. */
const RESIGN_MARGIN = 30_000;
const CHECKSUM_HEADER = 'x-amz-checksum-';
const ETAG_HINT =
  "the bucket's CORS configuration must expose the header: add <ExposeHeader>ETag</ExposeHeader> (ExposeHeaders: ['ETag'])";

/** What a caller saves to resume later: everything but the body. */
export interface MultipartState {
  bucket?: string;
  key?: string;
  uploadId: string;
  size: number;
  partSize: number;
  partCount: number;
  /** Parts S3 holds, sorted by part number. */
  parts: CompletedPart[];
}

export interface MultipartResult {
  /** ETag of the whole object, quotes kept (`''` when a `complete` callback returned none). */
  etag: string;
  /** URL of the object, as S3 reports it. */
  location?: string;
  versionId?: string;
  /** Every part, sorted by part number. */
  parts: CompletedPart[];
}

/**
 * Options of `uploadMultipart`: how the parts are signed, completed and resumed, and what every
 * transfer takes. `retry` applies to each part and to the completion; `onProgress` reports the whole
 * object (parts given in `resume` count as transferred); `signal` stops every transfer at once and
 * aborts the upload on S3 unless `keepOnFailure`.
 */
export interface MultipartOptions extends TransferOptions {
  /**
   * Parts in flight at once.
   * @default 4
   * @example 6
   */
  concurrency?: number | undefined;
  /**
   * Signs parts the upload does not carry yet, and re-signs parts whose signature expired (before
   * sending, or after S3 answered "Request has expired"). Your server answers it with
   * `presignParts`. Parts are asked for in batches. When the upload was created with
   * `checksumAlgorithm` `SHA256` or `SHA1`, the base64 checksum of each part is computed here (WebCrypto,
   * one part in memory at a time) and passed as `checksums`, for your server to sign with each part.
   * @example (partNumbers) => fetch(`/uploads/${id}/parts`, { method: 'POST', body: JSON.stringify({ partNumbers }) }).then((r) => r.json())
   */
  signParts?:
    | ((partNumbers: number[], checksums?: Record<number, string>) => Promise<readonly PresignedPart[]>)
    | undefined;
  /**
   * Completes on your server (e.g. with `completeMultipart`) instead of with the presigned `complete`.
   * @example (parts) => fetch(`/uploads/${id}/complete`, { method: 'POST', body: JSON.stringify({ parts }) }).then((r) => r.json())
   */
  complete?:
    | ((parts: CompletedPart[]) => Promise<{ etag?: string; location?: string; versionId?: string } | undefined>)
    | undefined;
  /**
   * Aborts on your server (e.g. with `abortMultipart`) instead of with the presigned `abort`.
   * @example () => fetch(`/uploads/${id}`, { method: 'DELETE' }).then(() => undefined)
   */
  abort?: (() => Promise<void>) | undefined;
  /**
   * Signs the complete or abort request again when the upload's one expired.
   * @example (kind) => fetch(`/uploads/${id}/${kind}`).then((r) => r.json())
   */
  signRequest?: ((kind: 'complete' | 'abort') => Promise<PresignedRequest>) | undefined;
  /**
   * Parts S3 already holds (from `listParts` on your server, or saved from `onState`): they are
   * skipped, and only the rest is sent.
   * @example saved.parts
   */
  resume?: readonly CompletedPart[] | undefined;
  /**
   * Called with the state needed to resume (upload id, plan, parts done) at the start and after
   * every part: save it (e.g. in localStorage) to resume after a crash or a reload.
   * @example (state) => localStorage.setItem('upload', JSON.stringify(state))
   */
  onState?: ((state: MultipartState) => void) | undefined;
  /**
   * Keep the upload on S3 when it fails or is aborted, to resume it later. By default it is aborted
   * (best effort), so no orphaned parts keep costing money.
   * @default false
   */
  keepOnFailure?: boolean | undefined;
}

/** A body the parts are cut from without copying it: a Blob/File (in Node, `await fs.openAsBlob(path)`) or bytes. */
export type MultipartBody = Blob | ArrayBuffer | ArrayBufferView;

function invalid(message: string): PresignError {
  return new PresignError('ERR_INVALID_OPTION', message);
}

function planOf(upload: MultipartUpload): PartPlan {
  if (typeof upload !== 'object' || upload === null)
    throw new PresignError('ERR_INVALID_DESCRIPTOR', 'No upload given');
  const { size, partSize } = upload;
  if (typeof upload.uploadId !== 'string' || upload.uploadId === '') {
    throw new PresignError('ERR_INVALID_DESCRIPTOR', 'The upload has no uploadId');
  }
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(partSize) || partSize < 1) {
    throw new PresignError('ERR_INVALID_DESCRIPTOR', 'The upload needs whole-number size and partSize');
  }
  const partCount = Math.max(1, Math.ceil(size / partSize));
  if (upload.partCount !== undefined && upload.partCount !== partCount) {
    throw new PresignError(
      'ERR_INVALID_DESCRIPTOR',
      `The upload says ${upload.partCount} parts, but ${size} bytes in parts of ${partSize} make ${partCount}`,
    );
  }
  return { size, partSize, partCount };
}

function bytesOf(body: MultipartBody): Blob | Uint8Array {
  if (body instanceof Blob) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new PresignError('ERR_INVALID_BODY', 'A multipart body must be a Blob, File, ArrayBuffer or typed array');
}

function sizeOf(body: Blob | Uint8Array): number {
  return body instanceof Blob ? body.size : body.byteLength;
}

function checksumOf(request: PresignedRequest): string | undefined {
  for (const name in request.headers) if (name.startsWith(CHECKSUM_HEADER)) return request.headers[name];
  return undefined;
}

function checksumAlgorithmOf(upload: MultipartUpload, requests: Iterable<PresignedRequest>): string | undefined {
  if (upload.checksumAlgorithm) return upload.checksumAlgorithm.toUpperCase();
  for (const request of requests) {
    for (const name in request.headers) {
      if (name.startsWith(CHECKSUM_HEADER)) return name.slice(CHECKSUM_HEADER.length).toUpperCase();
    }
  }
  return undefined;
}

/** WebCrypto names of the checksum algorithms the consumer can compute itself. */
const DIGESTS: Record<string, string> = { SHA256: 'SHA-256', SHA1: 'SHA-1' };

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Statuses that S3's error codes stand for, when they arrive in the body of a 200. */
const CODE_STATUS: Record<string, number> = { InternalError: 500, ServiceUnavailable: 503, SlowDown: 503 };

/**
 * Reads CompleteMultipartUpload's answer. S3 may answer 200 and then an `<Error>` body when it fails
 * while completing (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html):
 * that is a failure, retried like a 5xx when its code is one.
 */
function completionResult(xml: string, response: Response): { etag: string; location?: string; versionId?: string } {
  if (isErrorXml(xml)) {
    const e = parseS3ErrorXml(xml);
    throw new PresignError('ERR_S3', `S3 failed to complete the upload${e.code ? `: ${e.code}` : ''}`, {
      status: CODE_STATUS[e.code ?? ''] ?? response.status,
      s3Code: e.code,
      s3Message: e.message && redactUrl(e.message),
      requestId: e.requestId ?? response.headers.get('x-amz-request-id') ?? undefined,
    });
  }
  const etag = xmlElement(xml, 'ETag') ?? response.headers.get('etag') ?? '';
  const result: { etag: string; location?: string; versionId?: string } = { etag };
  const location = xmlElement(xml, 'Location');
  if (location) result.location = location;
  const versionId = response.headers.get('x-amz-version-id');
  if (versionId) result.versionId = versionId;
  return result;
}

/** Settles with `promise`, or rejects with `ERR_ABORTED` as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted)
    return Promise.reject(new PresignError('ERR_ABORTED', 'The upload was aborted', { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new PresignError('ERR_ABORTED', 'The upload was aborted', { cause: signal.reason }));
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * Uploads `body` in parts to a multipart upload made by the producer's `presignMultipart`: parts cut
 * as slices (never the whole body in memory), `concurrency` in flight, each retried, re-signed when
 * its signature expired, its ETag collected; then completed with the presigned `complete` (or your
 * `complete` callback). On failure or abort it aborts the upload on S3 unless `keepOnFailure`, and
 * rejects with the first real error.
 *
 * @example
 * const upload = await (await fetch('/api/uploads', { method: 'POST', body: JSON.stringify({ size: file.size }) })).json();
 * const { etag } = await uploadMultipart(upload, file, { onProgress: ({ percent }) => console.log(percent) });
 */
export async function uploadMultipart(
  upload: MultipartUpload,
  body: MultipartBody,
  options: MultipartOptions = {},
): Promise<MultipartResult> {
  const plan = planOf(upload);
  const data = bytesOf(body);
  if (sizeOf(data) !== plan.size) {
    throw new PresignError(
      'ERR_BODY_SIZE_MISMATCH',
      `The body is ${sizeOf(data)} bytes but the upload was created for ${plan.size}`,
    );
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw invalid('concurrency must be a whole number >= 1');
  if (!options.complete && !upload.complete) {
    throw invalid('Nothing to complete with: the upload has no signed `complete` and no `complete` callback was given');
  }
  const signed = new Map<number, PresignedRequest>();
  for (const part of upload.parts ?? []) {
    if (!Number.isInteger(part?.partNumber) || part.partNumber < 1 || part.partNumber > plan.partCount) {
      throw new PresignError(
        'ERR_INVALID_DESCRIPTOR',
        `The upload carries a part ${String(part?.partNumber)} outside its plan`,
      );
    }
    signed.set(part.partNumber, part.request);
  }

  const done = new Map<number, CompletedPart>();
  for (const part of options.resume ?? []) {
    if (!Number.isInteger(part?.partNumber) || part.partNumber < 1 || part.partNumber > plan.partCount) {
      throw invalid(`resume lists a part ${String(part?.partNumber)} outside the upload's plan`);
    }
    if (typeof part.etag !== 'string' || part.etag === '')
      throw invalid(`resume lists part ${part.partNumber} without an ETag`);
    const { start, end } = partRange(plan, part.partNumber);
    // A part of another size than the plan's (another file, another plan) is sent again.
    if (part.size !== undefined && part.size !== end - start) continue;
    done.set(part.partNumber, {
      partNumber: part.partNumber,
      etag: part.etag,
      ...(part.checksum === undefined ? {} : { checksum: part.checksum }),
      size: end - start,
    });
  }
  const todo: number[] = [];
  for (let n = 1; n <= plan.partCount; n++) if (!done.has(n)) todo.push(n);
  if (todo.some((n) => !signed.has(n)) && !options.signParts) {
    throw invalid('Some parts are not signed and no `signParts` callback was given to sign them');
  }

  const controller = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) throw new PresignError('ERR_ABORTED', 'The upload was aborted', { cause: outer.reason });
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = controller.signal;
  // What every request of the upload shares with `upload`'s options.
  const common: RequestOptions = {};
  for (const name of ['retry', 'clockTolerance', 'now', 'fetch'] as const) {
    if (options[name] !== undefined) (common as Record<string, unknown>)[name] = options[name];
  }
  const tolerance = (options.clockTolerance ?? 5) * 1000;
  const now = () => +(options.now?.() ?? Date.now());

  // Progress: bytes of finished parts plus the furthest point of each part in flight.
  const inFlight = new Map<number, number>();
  let doneBytes = 0;
  for (const part of done.values()) doneBytes += part.size ?? 0;
  let reported = -1;
  const report = (final = false) => {
    if (!options.onProgress) return;
    let bytes = doneBytes;
    for (const sent of inFlight.values()) bytes += sent;
    if (!final && (bytes <= reported || bytes >= plan.size)) return;
    if (final) bytes = plan.size;
    reported = bytes;
    options.onProgress({
      transferredBytes: bytes,
      totalBytes: plan.size,
      percent: plan.size === 0 ? 100 : (bytes / plan.size) * 100,
    });
  };

  const state = (): MultipartState => {
    const s: MultipartState = {
      uploadId: upload.uploadId,
      size: plan.size,
      partSize: plan.partSize,
      partCount: plan.partCount,
      parts: [...done.values()].sort((a, b) => a.partNumber - b.partNumber),
    };
    if (upload.bucket !== undefined) s.bucket = upload.bucket;
    if (upload.key !== undefined) s.key = upload.key;
    return s;
  };
  const publish = () => {
    try {
      options.onState?.(state());
    } catch {
      // A failing save must not fail the upload.
    }
  };

  // Lazy signing, in batches of the parts next in line; one callback at a time per part.
  const batch = Math.max(2 * concurrency, 8);
  const pending = new Map<number, Promise<PresignedRequest>>();
  const fresh = (request: PresignedRequest | undefined) =>
    request !== undefined && (!options.signParts || Date.parse(request.expiresAt) - now() > tolerance + RESIGN_MARGIN);
  const digest = DIGESTS[upload.checksumAlgorithm?.toUpperCase() ?? ''];
  const checksums = new Map<number, string>();
  const checksumsOf = async (wanted: number[]): Promise<Record<number, string> | undefined> => {
    if (digest === undefined) return undefined;
    if (typeof crypto?.subtle?.digest !== 'function') {
      throw new PresignError('ERR_INVALID_CHECKSUM', 'Part checksums need WebCrypto (a secure context, https)');
    }
    const out: Record<number, string> = {};
    // One part in memory at a time: each is read, hashed and dropped before the next.
    for (const n of wanted) {
      let value = checksums.get(n);
      if (value === undefined) {
        const { start, end } = partRange(plan, n);
        const bytes = data instanceof Blob ? await data.slice(start, end).arrayBuffer() : data.subarray(start, end);
        value = base64(new Uint8Array(await crypto.subtle.digest(digest, bytes as BufferSource)));
        checksums.set(n, value);
      }
      out[n] = value;
    }
    return out;
  };
  const sign = (wanted: number[]): void => {
    const call = (async () => {
      const sums = await checksumsOf(wanted);
      const answer = await (sums === undefined ? options.signParts!(wanted) : options.signParts!(wanted, sums));
      if (!Array.isArray(answer)) {
        throw new PresignError(
          'ERR_INVALID_DESCRIPTOR',
          'signParts must resolve to an array of { partNumber, request }',
        );
      }
      for (const part of answer) if (wanted.includes(part?.partNumber)) signed.set(part.partNumber, part.request);
    })();
    for (const n of wanted) {
      const tracked: Promise<PresignedRequest> = call
        .then(() => {
          const request = signed.get(n);
          if (!request) throw new PresignError('ERR_INVALID_DESCRIPTOR', `signParts did not sign part ${n}`);
          return request;
        })
        .finally(() => {
          if (pending.get(n) === tracked) pending.delete(n);
        });
      // Awaited by the part's worker; a part never reached (after a failure) must not be an unhandled rejection.
      tracked.catch(() => undefined);
      pending.set(n, tracked);
    }
  };
  const requestFor = (n: number, queue: readonly number[], at: number): Promise<PresignedRequest> => {
    const known = signed.get(n);
    if (fresh(known)) return Promise.resolve(known!);
    if (!pending.has(n)) {
      const wanted = [n];
      for (let i = at; i < queue.length && wanted.length < batch; i++) {
        const m = queue[i]!;
        if (m !== n && !pending.has(m) && !fresh(signed.get(m))) wanted.push(m);
      }
      sign(wanted);
    }
    return pending.get(n)!;
  };
  const resign = async (n: number): Promise<PresignedRequest> => {
    signed.delete(n);
    sign([n]);
    return pending.get(n)!;
  };

  let failure: unknown;
  const fail = (error: unknown) => {
    if (failure === undefined) failure = error;
    controller.abort(error);
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !signal.aborted && next < todo.length) {
      const at = next++;
      const n = todo[at]!;
      const { start, end } = partRange(plan, n);
      try {
        const request = await untilAborted(requestFor(n, todo, at + 1), signal);
        if (signal.aborted) return;
        inFlight.set(n, 0);
        // A view of the part, never a copy: Blob.slice reads lazily, subarray shares the bytes.
        const slice = data instanceof Blob ? data.slice(start, end) : data.subarray(start, end);
        const result = await uploadOne(request, slice, {
          ...common,
          signal,
          ...(options.signParts ? { refresh: () => resign(n) } : {}),
          ...(options.onProgress
            ? {
                onProgress: (p: Progress) => {
                  inFlight.set(n, p.transferredBytes);
                  report();
                },
              }
            : {}),
        });
        if (result.etag === undefined) {
          throw new PresignError(
            'ERR_ETAG_UNREADABLE',
            `S3 stored part ${n}, but its ETag is not readable here, and the upload cannot be completed without it`,
            { hint: ETAG_HINT },
          );
        }
        const sent = signed.get(n) ?? request;
        const part: CompletedPart = { partNumber: n, etag: result.etag, size: end - start };
        const checksum = checksumOf(sent);
        if (checksum !== undefined) part.checksum = checksum;
        inFlight.delete(n);
        done.set(n, part);
        doneBytes += end - start;
        report();
        publish();
      } catch (error) {
        inFlight.delete(n);
        // An abort that follows the first failure is not a failure of its own.
        if (!(signal.aborted && isPresignError(error, 'ERR_ABORTED') && failure !== undefined)) fail(error);
        return;
      }
    }
  };

  const cleanup = async () => {
    if (options.keepOnFailure) return;
    try {
      if (options.abort) {
        await options.abort();
      } else if (upload.abort) {
        await exchange(
          upload.abort,
          { ...common, ...(options.signRequest ? { refresh: () => options.signRequest!('abort') } : {}) },
          'DELETE',
          (url, headers) => send('DELETE', url, headers, { fetch: options.fetch }),
        );
      }
    } catch {
      // Best effort: the first error is what the caller needs. A lifecycle rule
      // (AbortIncompleteMultipartUpload) removes what this could not.
    }
  };

  try {
    publish();
    report();
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, todo.length)) }, worker));
    if (failure === undefined && signal.aborted)
      failure = new PresignError('ERR_ABORTED', 'The upload was aborted', { cause: signal.reason });
    if (failure !== undefined) {
      await cleanup();
      throw outer?.aborted && !isPresignError(failure, 'ERR_ABORTED')
        ? new PresignError('ERR_ABORTED', 'The upload was aborted', { cause: outer.reason })
        : failure;
    }

    const parts = state().parts;
    let completed: { etag?: string; location?: string; versionId?: string } | undefined;
    try {
      if (options.complete) {
        completed = await options.complete(parts);
      } else {
        const algorithm = checksumAlgorithmOf(upload, signed.values());
        const xml = new TextEncoder().encode(completeMultipartXml(parts, algorithm));
        completed = await withRetry(
          async () => {
            const response = await exchange(
              upload.complete!,
              {
                ...common,
                signal,
                retry: 0,
                ...(options.signRequest ? { refresh: () => options.signRequest!('complete') } : {}),
              },
              'POST',
              (url, headers) => send('POST', url, headers, { signal, fetch: options.fetch }, xml, xml.byteLength),
            );
            return completionResult(await response.text(), response);
          },
          // Completion is safe to repeat (S3 documents retrying it), unlike most POSTs.
          options.retry,
          signal,
        );
      }
    } catch (error) {
      await cleanup();
      throw signal.aborted && outer?.aborted
        ? new PresignError('ERR_ABORTED', 'The upload was aborted', { cause: outer.reason })
        : error;
    }
    report(true);
    const result: MultipartResult = { etag: completed?.etag ?? '', parts };
    if (completed?.location) result.location = completed.location;
    if (completed?.versionId) result.versionId = completed.versionId;
    return result;
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
