/**
 * One multipart upload in progress, as an object: its steps are named methods (send the parts, send
 * one part, complete, abort) and its state is one field, `phase`:
 *
 *   sending ──► completing ──► completed
 *      │             │
 *      └─► failed ◄──┘          (the first error, or the caller's abort; the upload is then aborted
 *                                on S3 unless `keepOnFailure`, or unless a completion may have taken
 *                                effect without its answer arriving: that is looked at first)
 *
 * Parts are read as Blob slices (never the whole body in memory), `concurrency` in flight, each sent
 * with `upload` (so every part gets its parity and expiry checks, retries, refresh and progress).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import type { CompletedPart, MultipartUpload } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { PresignError } from '../../errors.js';
import { partRange } from '../../s3/multipart-plan.js';
import { toleranceOf } from '../clock.js';
import { progressReporter } from '../progress.js';
import { abortError } from '../s3-error.js';
import { onAbort, untilAborted } from '../signal.js';
import type { RequestOptions } from '../types.js';
import { upload as uploadOne } from '../upload.js';
import { abortOnS3, completeOnS3, findCompleted, isNoSuchUpload } from './completion.js';
import { PartSigner } from './part-signer.js';
import type { PlannedUpload } from './plan.js';
import type { CompletionAnswer, MultipartOptions, MultipartResult, MultipartState, ObjectChecksum } from './types.js';

const CHECKSUM_HEADER = 'x-amz-checksum-';
const ETAG_HINT = "the bucket's CORS must expose it: <ExposeHeader>ETag</ExposeHeader>";

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
  /**
   * What a failed completion left on S3, when it is not simply open: `unknown` when its answer was
   * lost and the object was not found (S3 may still be completing it: never abort then), `gone`
   * when S3 no longer knows the upload.
   */
  #completion: 'unknown' | 'gone' | undefined;

  readonly #upload: MultipartUpload;
  readonly #planned: PlannedUpload;
  readonly #options: MultipartOptions;

  constructor(upload: MultipartUpload, planned: PlannedUpload, options: MultipartOptions) {
    this.#upload = upload;
    this.#planned = planned;
    this.#options = options;
    const { retry, clockTolerance, now, fetch } = options;
    this.#common = { retry, clockTolerance, now, fetch };
    this.#signer = new PartSigner(planned, {
      signParts: options.signParts,
      checksumAlgorithm: upload.checksumAlgorithm?.toUpperCase(),
      batchSize: Math.max(2 * planned.concurrency, 8),
      now,
      tolerance: toleranceOf(options),
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
      const leftOpen = await this.#abort();
      // The caller's abort is what the caller is told of, whatever failed before it.
      const { phase } = this;
      const error = signal?.aborted ? abortError(signal) : phase.name === 'failed' ? phase.error : phase;
      if (PresignError.is(error)) Object.assign(error, { leftOpen });
      throw error;
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
          `S3 stored part ${n}, but its ETag, which the completion needs, is not readable here`,
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

  /** What a request for the upload itself (complete, head, abort) is sent with. */
  #requestOptions(kind: 'complete' | 'abort' | 'head', signal?: AbortSignal): RequestOptions {
    const { signRequest } = this.#options;
    return { ...this.#common, signal, refresh: signRequest && (() => signRequest(kind)) };
  }

  /**
   * Completes with the caller's `complete`, or with the presigned one. A completion may reach S3 and
   * its answer be lost (no answer, or a body cut off): when one was, or S3 no longer knows the upload,
   * the object is looked for before anything else, and an upload S3 completed is a success.
   */
  async #complete(): Promise<CompletionAnswer | undefined> {
    const parts = this.#parts();
    const checksum = await this.#objectChecksum(parts);
    const answer = await this.#sendCompletion(parts, checksum);
    const reported = answer?.checksum;
    if (checksum && reported && reported.algorithm === checksum.algorithm && reported.value !== checksum.value) {
      throw new PresignError(
        'ERR_CHECKSUM_MISMATCH',
        `S3 completed the object with ${checksum.algorithm} ${reported.value}, but its parts make ${checksum.value}: the object is not the body`,
        { hint: 'delete it and upload again' },
      );
    }
    return checksum ? { ...answer, checksum: { ...checksum, ...reported } } : answer;
  }

  /**
   * The whole object's CRC for a `FULL_OBJECT` upload, combined from the part CRCs and sizes (no byte
   * read again), or `undefined` for other uploads.
   */
  async #objectChecksum(parts: CompletedPart[]): Promise<ObjectChecksum | undefined> {
    const algorithm = this.#upload.checksumAlgorithm?.toUpperCase() as ObjectChecksum['algorithm'] | undefined;
    const type = this.#upload.checksumType ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
    if (!algorithm || type !== 'FULL_OBJECT') return undefined;
    const sized = parts.map(({ partNumber, checksum }) => {
      if (checksum === undefined) {
        throw new PresignError('ERR_INVALID_CHECKSUM', `Part ${partNumber} has no ${algorithm} checksum to combine`);
      }
      const { start, end } = partRange(this.#planned.plan, partNumber);
      return { checksum, size: end - start };
    });
    const { combineCrc } = await import('../checksum/index.js');
    return { algorithm, value: combineCrc(algorithm as 'CRC32', sized), type };
  }

  /** Completes with the caller's `complete`, or on S3 (see `#complete`). */
  async #sendCompletion(
    parts: CompletedPart[],
    checksum: ObjectChecksum | undefined,
  ): Promise<CompletionAnswer | undefined> {
    if (this.#options.complete) return this.#options.complete(parts, checksum ? { checksum } : {});
    const { signal } = this.#controller;
    const upload = this.#upload;
    let answerLost = false;
    try {
      const completion = {
        complete: upload.complete!,
        parts,
        checksumAlgorithm: checksumAlgorithmOf(upload, this.#signer.signed.values()),
        onAnswerLost: () => {
          answerLost = true;
        },
      };
      return await completeOnS3(completion, this.#requestOptions('complete', signal));
    } catch (error) {
      const gone = isNoSuchUpload(error);
      if (!gone && !answerLost) throw error;
      // Whatever S3 said last, an earlier attempt may have completed the upload: look for it. An upload
      // S3 no longer knows needs no abort; one whose fate is unknown must not get one (S3 may still be
      // completing it).
      this.#completion = gone ? 'gone' : 'unknown';
      const found =
        upload.head &&
        (await findCompleted(upload.head, this.#planned.plan, this.#requestOptions('head', signal)).catch(
          () => undefined,
        ));
      if (found) return found;
      throw error;
    }
  }

  /**
   * Aborts the upload on S3 (retried), unless `keepOnFailure` or a completion may be under way, and
   * says whether it is left open. A failed abort does not replace the first error, which is what the
   * caller needs. Not tied to the caller's signal: an abort must still reach S3 after the caller aborted.
   */
  async #abort(): Promise<boolean> {
    const { abort } = this.#options;
    if (this.#completion === 'gone') return false;
    if (this.#options.keepOnFailure || this.#completion === 'unknown') return true;
    try {
      if (abort) await abort();
      else if (this.#upload.abort) await abortOnS3(this.#upload.abort, this.#requestOptions('abort'));
      else return true;
      return false;
    } catch {
      return true;
    }
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
    const state: MultipartState = { bucket, key, uploadId, size, partSize, partCount, parts: this.#parts() };
    try {
      this.#options.onState?.(state);
    } catch {}
  }

  #result(answer: CompletionAnswer | undefined): MultipartResult {
    const { etag = '', location, versionId, checksum } = answer ?? {};
    const result: MultipartResult = {
      etag,
      location: location || undefined,
      versionId: versionId || undefined,
      parts: this.#parts(),
    };
    if (checksum) result.checksum = checksum;
    return result;
  }
}
