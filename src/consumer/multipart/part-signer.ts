/**
 * The part-signing step of a multipart upload: which signed request each part goes with. Parts the
 * upload carries are used while their signature has time left; the others are asked of the caller's
 * `signParts` in batches of the parts next in line (one pending call per part at a time), with the
 * part checksums the upload's algorithm needs, computed here one part in memory at a time.
 */
import type { PresignedPart } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { PresignError } from '../../errors.js';
import type { ChecksumAlgorithm } from '../../s3/headers.js';
import { partRange } from '../../s3/multipart-plan.js';
import { signerClock } from '../clock.js';
import { readPresignedUrl } from '../descriptor.js';
import type { PlannedUpload } from './plan.js';

/** Re-sign a part ahead of time when its signature has less than this left (ms), past `clockTolerance`. */
const RESIGN_MARGIN = 30_000;

export type SignParts = (
  partNumbers: number[],
  checksums?: Record<number, string>,
) => Promise<readonly PresignedPart[]>;

export interface PartSignerOptions {
  signParts: SignParts | undefined;
  /** The upload's checksum algorithm, as S3 names it (`SHA256`...), if any. */
  checksumAlgorithm: string | undefined;
  /** Parts asked for in one `signParts` call, at most. */
  batchSize: number;
  /** The caller's `now` as given (the clock learnt for each request runs on it), and `clockTolerance` in ms. */
  now: (() => Date | number) | undefined;
  tolerance: number;
}

export class PartSigner {
  /** The latest signed request of each part. */
  readonly signed: Map<number, PresignedRequest>;
  readonly #pending = new Map<number, Promise<PresignedRequest>>();
  readonly #checksums = new Map<number, string>();

  readonly #upload: PlannedUpload;
  readonly #options: PartSignerOptions;

  constructor(upload: PlannedUpload, options: PartSignerOptions) {
    this.#upload = upload;
    this.#options = options;
    this.signed = upload.signed;
  }

  /** Whether parts can be signed (again) on demand. */
  get canSign(): boolean {
    return this.#options.signParts !== undefined;
  }

  /** The request to send part `n` with; `upcoming` are the parts next in line, signed in the same batch. */
  requestFor(n: number, upcoming: Iterable<number>): Promise<PresignedRequest> {
    const known = this.signed.get(n);
    if (this.#isFresh(known)) return Promise.resolve(known);
    if (!this.#pending.has(n)) {
      const wanted = [n];
      for (const m of upcoming) {
        if (wanted.length >= this.#options.batchSize) break;
        if (m !== n && !this.#pending.has(m) && !this.#isFresh(this.signed.get(m))) wanted.push(m);
      }
      this.#sign(wanted);
    }
    return this.#pending.get(n)!;
  }

  /** A fresh signature for part `n`, whatever the one it has (S3 said it expired). */
  resign(n: number): Promise<PresignedRequest> {
    this.signed.delete(n);
    this.#sign([n]);
    return this.#pending.get(n)!;
  }

  /**
   * Usable as it is: signed, and (when it can be re-signed) not about to expire, on the signer's
   * timeline (the clock learnt when the request was first seen).
   */
  #isFresh(request: PresignedRequest | undefined): request is PresignedRequest {
    if (request === undefined) return false;
    if (!this.canSign) return true;
    const { signedAt, expiresAt } = readPresignedUrl(request.url);
    const left = expiresAt - signerClock(request, signedAt, { now: this.#options.now })();
    return left > this.#options.tolerance + RESIGN_MARGIN;
  }

  /** Asks `signParts` for `wanted`, each part's request pending until the answer has arrived. */
  #sign(wanted: number[]): void {
    const call = (async () => {
      const checksums = await this.#checksumsOf(wanted);
      const signParts = this.#options.signParts!;
      const answer = await (checksums === undefined ? signParts(wanted) : signParts(wanted, checksums));
      if (!Array.isArray(answer)) {
        throw new PresignError(
          'ERR_INVALID_DESCRIPTOR',
          'signParts must resolve to an array of { partNumber, request }',
        );
      }
      for (const part of answer) if (wanted.includes(part?.partNumber)) this.signed.set(part.partNumber, part.request);
    })();
    for (const n of wanted) {
      const tracked: Promise<PresignedRequest> = call
        .then(() => {
          const request = this.signed.get(n);
          if (!request) throw new PresignError('ERR_INVALID_DESCRIPTOR', `signParts did not sign part ${n}`);
          return request;
        })
        .finally(() => {
          if (this.#pending.get(n) === tracked) this.#pending.delete(n);
        });
      // Awaited by the part's sender; a part never reached (after a failure) must not be an unhandled rejection.
      tracked.catch(() => undefined);
      this.#pending.set(n, tracked);
    }
  }

  /**
   * The base64 checksums of `wanted`, when the upload has an algorithm, each part computed once with
   * the checksum module (loaded the first time a part needs one): CRCs one chunk at a time, SHA ones
   * with WebCrypto, one part in memory at a time.
   */
  async #checksumsOf(wanted: number[]): Promise<Record<number, string> | undefined> {
    const algorithm = this.#options.checksumAlgorithm;
    if (algorithm === undefined) return undefined;
    const { checksumOf } = await import('../checksum/index.js');
    const { plan, data } = this.#upload;
    const out: Record<number, string> = {};
    for (const n of wanted) {
      let value = this.#checksums.get(n);
      if (value === undefined) {
        const { start, end } = partRange(plan, n);
        const part = data instanceof Blob ? data.slice(start, end) : data.subarray(start, end);
        // An algorithm S3 does not have is refused by checksumOf (ERR_INVALID_CHECKSUM).
        value = await checksumOf(part, algorithm as ChecksumAlgorithm);
        this.#checksums.set(n, value);
      }
      out[n] = value;
    }
    return out;
  }
}
