/**
 * One multipart upload in progress, as an object: its steps are named methods (send the parts, send
 * one part, complete, abort) and its state is one field, `phase`:
 *
 *   sending ──► completing ──► completed
 *      │             │
 *      └─► failed ◄──┘          (the first error, or the caller's abort; the upload is then aborted
 *                                on S3 unless `keepOnFailure`)
 *
 * Parts are read as Blob slices (never the whole body in memory), `concurrency` in flight, each sent
 * with `upload` (so every part gets its parity and expiry checks, retries, refresh and progress).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import type { CompletedPart, MultipartUpload } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { PresignError } from '../../errors.js';
import { partRange } from '../../s3/multipart-plan.js';
import { progressReporter } from '../progress.js';
import { abortError } from '../s3-error.js';
import { onAbort, untilAborted } from '../signal.js';
import type { RequestOptions } from '../types.js';
import { upload as uploadOne } from '../upload.js';
import { abortOnS3, completeOnS3 } from './completion.js';
import { PartSigner } from './part-signer.js';
import type { PlannedUpload } from './plan.js';
import type { CompletionAnswer, MultipartOptions, MultipartResult, MultipartState } from './types.js';

const CHECKSUM_HEADER = 'x-amz-checksum-';
const ETAG_HINT =
  "the bucket's CORS configuration must expose the header: add <ExposeHeader>ETag</ExposeHeader> (ExposeHeaders: ['ETag'])";

export type Phase =
  | { name: 'sending' }
  | { name: 'completing' }
  | { name: 'completed' }
  | { name: 'failed'; error: unknown };

/** The checksum a part's request was signed with, if any. */
function checksumOf(request: PresignedRequest): string | undefined {
  for (const name in request.headers) if (name.startsWith(CHECKSUM_HEADER)) return request.headers[name];
  return undefined;
}

/** The algorithm to name in the completion: the upload's, else the one its part requests were signed with. */
function checksumAlgorithmOf(upload: MultipartUpload, requests: Iterable<PresignedRequest>): string | undefined {
  if (upload.checksumAlgorithm) return upload.checksumAlgorithm.toUpperCase();
  for (const request of requests) {
    for (const name in request.headers) {
      if (name.startsWith(CHECKSUM_HEADER)) return name.slice(CHECKSUM_HEADER.length).toUpperCase();
    }
  }
  return undefined;
}

export class MultipartSession {
  phase: Phase = { name: 'sending' };
  /** Aborts every transfer of the upload: on the first failure, or with the caller's signal. */
  readonly #controller = new AbortController();
  readonly #signer: PartSigner;
  /** What every request of the upload shares with `upload`'s options. */
  readonly #common: RequestOptions;
  /** Bytes sent so far of each part in flight. */
  readonly #inFlight = new Map<number, number>();
  /** Index in `planned.todo` of the next part to send. */
  #next = 0;
  readonly #report: (bytes: number, total: number, final?: boolean) => void;

  readonly #upload: MultipartUpload;
  readonly #planned: PlannedUpload;
  readonly #options: MultipartOptions;

  constructor(upload: MultipartUpload, planned: PlannedUpload, options: MultipartOptions) {
    this.#upload = upload;
    this.#planned = planned;
    this.#options = options;
    const { retry, clockTolerance = 5, now, fetch } = options;
    this.#common = { retry, clockTolerance, now, fetch };
    this.#signer = new PartSigner(planned, {
      signParts: options.signParts,
      checksumAlgorithm: upload.checksumAlgorithm?.toUpperCase(),
      batchSize: Math.max(2 * planned.concurrency, 8),
      now: () => +(now?.() ?? Date.now()),
      tolerance: clockTolerance * 1000,
    });
    this.#report = progressReporter(options.onProgress);
  }

  /** Sends the parts, then completes; on failure aborts (unless `keepOnFailure`) and rejects with the first error. */
  async run(): Promise<MultipartResult> {
    const { signal } = this.#options;
    // Aborted before it started: nothing was sent, and the upload is left as the caller gave it.
    if (signal?.aborted) throw abortError(signal);
    const unhook = onAbort(signal, () => this.fail(abortError(signal)));
    try {
      this.#publish();
      this.#reportProgress();
      await this.#sendParts();
      if (this.phase.name === 'sending') {
        this.phase = { name: 'completing' };
        const answer = await this.#complete().catch((error: unknown) => this.fail(error));
        if (this.phase.name === 'completing') {
          this.phase = { name: 'completed' };
          this.#report(this.#planned.plan.size, this.#planned.plan.size, true);
          return this.#result(answer ?? undefined);
        }
      }
      await this.#abort();
      // The caller's abort is what the caller is told of, whatever failed before it.
      const { phase } = this;
      throw signal?.aborted ? abortError(signal) : phase.name === 'failed' ? phase.error : phase;
    } finally {
      unhook();
    }
  }

  /** Moves to `failed` with the first error and stops every transfer; later errors only follow from it. */
  fail(error: unknown): void {
    if (this.phase.name === 'sending' || this.phase.name === 'completing') this.phase = { name: 'failed', error };
    this.#controller.abort(error);
  }

  /** `concurrency` senders taking the next part in line until none is left or the upload failed. */
  async #sendParts(): Promise<void> {
    const { todo, concurrency } = this.#planned;
    const sender = async () => {
      while (this.phase.name === 'sending' && this.#next < todo.length) {
        const at = this.#next++;
        try {
          await this.#sendPart(todo[at]!, at);
        } catch (error) {
          this.fail(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, todo.length)) }, sender));
  }

  /** The part numbers after `at` in the order they are sent: those to sign with the one at `at`. */
  *#upcoming(at: number): Generator<number> {
    const { todo } = this.#planned;
    for (let i = at + 1; i < todo.length; i++) yield todo[i]!;
  }

  /** Signs (if needed) and sends part `n`, then records it as done. */
  async #sendPart(n: number, at: number): Promise<void> {
    const { plan, data, done } = this.#planned;
    const { signal } = this.#controller;
    const { start, end } = partRange(plan, n);
    try {
      const request = await untilAborted(this.#signer.requestFor(n, this.#upcoming(at)), signal);
      this.#inFlight.set(n, 0);
      // A view of the part, never a copy: Blob.slice reads lazily, subarray shares the bytes.
      const slice = data instanceof Blob ? data.slice(start, end) : data.subarray(start, end);
      const { etag } = await uploadOne(request, slice, {
        ...this.#common,
        signal,
        refresh: this.#signer.canSign ? () => this.#signer.resign(n) : undefined,
        onProgress:
          this.#options.onProgress &&
          (({ transferredBytes }) => {
            this.#inFlight.set(n, transferredBytes);
            this.#reportProgress();
          }),
      });
      if (etag === undefined) {
        throw new PresignError(
          'ERR_ETAG_UNREADABLE',
          `S3 stored part ${n}, but its ETag is not readable here, and the upload cannot be completed without it`,
          { hint: ETAG_HINT },
        );
      }
      const part: CompletedPart = { partNumber: n, etag, size: end - start };
      // The request last signed for the part is the one S3 took (a refresh may have re-signed it).
      const checksum = checksumOf(this.#signer.signed.get(n) ?? request);
      if (checksum !== undefined) part.checksum = checksum;
      done.set(n, part);
    } finally {
      this.#inFlight.delete(n);
    }
    this.#reportProgress();
    this.#publish();
  }

  /** Completes with the caller's `complete`, or with the presigned one. */
  #complete(): Promise<CompletionAnswer | undefined> {
    const { complete, signRequest } = this.#options;
    const parts = this.#parts();
    if (complete) return complete(parts);
    return completeOnS3(
      this.#upload.complete!,
      parts,
      checksumAlgorithmOf(this.#upload, this.#signer.signed.values()),
      {
        ...this.#common,
        signal: this.#controller.signal,
        refresh: signRequest && (() => signRequest('complete')),
      },
    );
  }

  /**
   * Aborts the upload on S3, best effort, unless `keepOnFailure`: the first error is what the caller
   * needs, and a lifecycle rule (AbortIncompleteMultipartUpload) removes what this could not. Not tied
   * to the caller's signal: an abort must still reach S3 after the caller aborted.
   */
  async #abort(): Promise<void> {
    const { abort, keepOnFailure, signRequest } = this.#options;
    if (keepOnFailure) return;
    try {
      if (abort) await abort();
      else if (this.#upload.abort) {
        await abortOnS3(this.#upload.abort, {
          ...this.#common,
          refresh: signRequest && (() => signRequest('abort')),
        });
      }
    } catch {}
  }

  /** Parts S3 holds, sorted by part number. */
  #parts(): CompletedPart[] {
    return [...this.#planned.done.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Bytes of finished parts plus the furthest point of each part in flight. */
  #reportProgress(): void {
    if (!this.#options.onProgress) return;
    let bytes = 0;
    for (const part of this.#planned.done.values()) bytes += part.size ?? 0;
    for (const sent of this.#inFlight.values()) bytes += sent;
    this.#report(bytes, this.#planned.plan.size);
  }

  /** Hands the state needed to resume to `onState`; a failing save must not fail the upload. */
  #publish(): void {
    const { uploadId, bucket, key } = this.#upload;
    const { size, partSize, partCount } = this.#planned.plan;
    const state: MultipartState = { uploadId, size, partSize, partCount, parts: this.#parts() };
    if (bucket !== undefined) state.bucket = bucket;
    if (key !== undefined) state.key = key;
    try {
      this.#options.onState?.(state);
    } catch {}
  }

  #result(answer: CompletionAnswer | undefined): MultipartResult {
    const result: MultipartResult = { etag: answer?.etag ?? '', parts: this.#parts() };
    if (answer?.location) result.location = answer.location;
    if (answer?.versionId) result.versionId = answer.versionId;
    return result;
  }
}
