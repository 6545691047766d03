/**
 * The first step of a multipart upload: the upload descriptor, the body and the options read and
 * checked together, before anything is signed or sent. What it returns is all the later steps need.
 */
import type { CompletedPart, MultipartUpload } from '../../contract/multipart.js';
import type { PresignedMethod, PresignedRequest } from '../../contract/request.js';
import { PresignError } from '../../errors.js';
import { isWithinLimits, type PartPlan, partRange } from '../../s3/multipart-plan.js';
import { signerClock, toleranceOf } from '../clock.js';
import { readDescriptor } from '../descriptor.js';
import type { MultipartBody, MultipartOptions } from './types.js';

/** An upload ready to send: its plan, its body as bytes or a Blob, what is signed and what is done. */
export interface PlannedUpload {
  plan: PartPlan;
  /** The body, never copied: parts are cut from it as Blob slices or subarrays. */
  data: Blob | Uint8Array;
  /** Part requests the upload carries, by part number. */
  signed: Map<number, PresignedRequest>;
  /** Parts S3 holds already (from `resume`), by part number. */
  done: Map<number, CompletedPart>;
  /** Part numbers to send, in order. */
  todo: number[];
  /** Parts in flight at once. */
  concurrency: number;
}

const invalidDescriptor = (message: string) => new PresignError('ERR_INVALID_DESCRIPTOR', message);
const invalidOption = (message: string) => new PresignError('ERR_INVALID_OPTION', message);

const isPartNumberOf = (plan: PartPlan, n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 1 && (n as number) <= plan.partCount;

function planOf(upload: MultipartUpload): PartPlan {
  if (typeof upload !== 'object' || upload === null) throw invalidDescriptor('No upload given');
  const { size, partSize } = upload;
  if (typeof upload.uploadId !== 'string' || upload.uploadId === '') {
    throw invalidDescriptor('The upload has no uploadId');
  }
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(partSize) || partSize < 1) {
    throw invalidDescriptor('The upload needs whole-number size and partSize');
  }
  const partCount = Math.max(1, Math.ceil(size / partSize));
  if (upload.partCount !== undefined && upload.partCount !== partCount) {
    throw invalidDescriptor(
      `The upload says ${upload.partCount} parts, but ${size} bytes in parts of ${partSize} make ${partCount}`,
    );
  }
  const plan = { size, partSize, partCount };
  if (!isWithinLimits(plan)) {
    throw new PresignError(
      'ERR_INVALID_PART_SIZE',
      `${size} bytes in parts of ${partSize} make ${partCount}: S3 takes parts of 5 MiB to 5 GiB but the last, at most 10000`,
    );
  }
  return plan;
}

/**
 * Checks a request the upload carries for sending with `method`, and learns its signer's clock now
 * (from `serverTime` when given: the upload and what it carries were received together).
 */
function carried(request: unknown, method: PresignedMethod, options: MultipartOptions): PresignedRequest {
  const checked = readDescriptor(request, method);
  signerClock(request as object, checked.signedAt, options);
  return request as PresignedRequest;
}

function bytesOf(body: MultipartBody): Blob | Uint8Array {
  if (body instanceof Blob) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new PresignError('ERR_INVALID_BODY', 'A multipart body must be a Blob, File, ArrayBuffer or typed array');
}

/** The parts of `resume` that still hold for this plan: a part of another size (another file or plan) is sent again. */
function resumedParts(plan: PartPlan, resume: readonly CompletedPart[]): Map<number, CompletedPart> {
  const done = new Map<number, CompletedPart>();
  for (const part of resume) {
    if (!isPartNumberOf(plan, part?.partNumber)) {
      throw invalidOption(`resume lists a part ${String(part?.partNumber)} outside the upload's plan`);
    }
    if (typeof part.etag !== 'string' || part.etag === '') {
      throw invalidOption(`resume lists part ${part.partNumber} without an ETag`);
    }
    const { start, end } = partRange(plan, part.partNumber);
    if (part.size !== undefined && part.size !== end - start) continue;
    done.set(part.partNumber, {
      partNumber: part.partNumber,
      etag: part.etag,
      ...(part.checksum === undefined ? {} : { checksum: part.checksum }),
      size: end - start,
    });
  }
  return done;
}

/** Reads and checks what `uploadMultipart` was given; throws a coded `PresignError` before any I/O. */
export function planUpload(upload: MultipartUpload, body: MultipartBody, options: MultipartOptions): PlannedUpload {
  const plan = planOf(upload);
  const data = bytesOf(body);
  const size = data instanceof Blob ? data.size : data.byteLength;
  if (size !== plan.size) {
    throw new PresignError(
      'ERR_BODY_SIZE_MISMATCH',
      `The body is ${size} bytes but the upload was created for ${plan.size}`,
    );
  }
  toleranceOf(options);
  if (upload.complete) carried(upload.complete, 'POST', options);
  if (upload.abort) carried(upload.abort, 'DELETE', options);
  const { concurrency = 4 } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw invalidOption('concurrency must be a whole number >= 1');
  if (!options.complete && !upload.complete) {
    throw invalidOption(
      'Nothing to complete with: the upload has no signed `complete` and no `complete` callback was given',
    );
  }
  const signed = new Map<number, PresignedRequest>();
  for (const part of upload.parts ?? []) {
    if (!isPartNumberOf(plan, part?.partNumber)) {
      throw invalidDescriptor(`The upload carries a part ${String(part?.partNumber)} outside its plan`);
    }
    signed.set(part.partNumber, carried(part.request, 'PUT', options));
  }
  const done = resumedParts(plan, options.resume ?? []);
  const todo: number[] = [];
  for (let n = 1; n <= plan.partCount; n++) if (!done.has(n)) todo.push(n);
  if (!options.signParts && todo.some((n) => !signed.has(n))) {
    throw invalidOption('Some parts are not signed and no `signParts` callback was given to sign them');
  }
  return { plan, data, signed, done, todo, concurrency };
}
