import { PresignError } from '../errors.js';
import { MAX_OBJECT_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from './limits.js';

/**
 * The part size used when the caller names none: big enough to keep the request count low, small
 * enough that a retried part costs little. Grown for objects over 80,000 MiB (10,000 parts).
 */
export const DEFAULT_PART_SIZE = 8 * 1024 ** 2;

const MIB = 1024 ** 2;

/** How an object of `size` bytes is cut into parts. */
export interface PartPlan {
  /** Bytes of the whole object. */
  size: number;
  /** Bytes of every part but the last. */
  partSize: number;
  /** Number of parts (at least 1: an empty object is one empty part). */
  partCount: number;
}

/** A value for a message: numbers as they are, anything else by its type (String() of an object may throw). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
}

function format(bytes: number): string {
  if (bytes >= 1024 ** 4 && bytes % 1024 ** 4 === 0) return `${bytes / 1024 ** 4} TiB`;
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  return `${bytes} bytes`;
}

/**
 * Cuts `size` bytes into parts S3 accepts: 5 MiB..5 GiB each (the last may be smaller), at most
 * 10,000 of them. Without `partSize`, 8 MiB grown to a whole number of MiB when 10,000 parts would
 * not hold the object. An explicit `partSize` is never changed: one outside the limits, or too small
 * for the object, is an `ERR_INVALID_PART_SIZE` naming the smallest that works.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export function planParts(size: number, partSize?: number): PartPlan {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new PresignError('ERR_INVALID_OPTION', `size must be a whole number of bytes >= 0; got ${shown(size)}`);
  }
  if (size > MAX_OBJECT_SIZE) {
    throw new PresignError(
      'ERR_TOO_LARGE',
      `The object is ${size} bytes; S3 stores objects of at most ${format(MAX_OBJECT_SIZE)} (${MAX_OBJECT_SIZE} bytes)`,
    );
  }
  // The smallest part size that fits the object in MAX_PARTS parts, in whole MiB.
  const smallest = Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS / MIB) * MIB);
  let chosen: number;
  if (partSize === undefined) {
    chosen = Math.max(DEFAULT_PART_SIZE, smallest);
  } else {
    if (
      typeof partSize !== 'number' ||
      !Number.isSafeInteger(partSize) ||
      partSize < MIN_PART_SIZE ||
      partSize > MAX_PART_SIZE
    ) {
      throw new PresignError(
        'ERR_INVALID_PART_SIZE',
        `partSize must be a whole number of bytes from ${format(MIN_PART_SIZE)} to ${format(MAX_PART_SIZE)} (S3's part limits); got ${shown(partSize)}`,
      );
    }
    if (Math.ceil(size / partSize) > MAX_PARTS) {
      throw new PresignError(
        'ERR_INVALID_PART_SIZE',
        `A partSize of ${format(partSize)} cuts ${size} bytes into ${Math.ceil(size / partSize)} parts; S3 allows at most ${MAX_PARTS}`,
        { hint: `use a partSize of at least ${format(smallest)}, or omit it to have one chosen` },
      );
    }
    chosen = partSize;
  }
  return { size, partSize: chosen, partCount: Math.max(1, Math.ceil(size / chosen)) };
}

/** Byte range `[start, end)` of part `partNumber` (1-based) of a plan. */
export function partRange(plan: PartPlan, partNumber: number): { start: number; end: number } {
  assertPartNumber(partNumber, plan.partCount);
  const start = (partNumber - 1) * plan.partSize;
  return { start, end: Math.min(plan.size, start + plan.partSize) };
}

/** Throws `ERR_INVALID_OPTION` unless `partNumber` is a whole number from 1 to `partCount`. */
export function assertPartNumber(partNumber: unknown, partCount: number = MAX_PARTS): asserts partNumber is number {
  if (typeof partNumber !== 'number' || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > partCount) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `A part number must be a whole number from 1 to ${partCount}; got ${shown(partNumber)}`,
    );
  }
}

/**
 * Whether a plan made elsewhere (an upload descriptor the consumer received) is one S3 accepts: every
 * part but the last of 5 MiB to 5 GiB (a single part may be anything up to 5 GiB), at most 10,000
 * parts, at most 5 TiB in all.
 */
export function isWithinLimits(plan: PartPlan): boolean {
  const { size, partSize, partCount } = plan;
  const single = partCount === 1;
  return (
    size <= MAX_OBJECT_SIZE &&
    partCount <= MAX_PARTS &&
    (single ? size : partSize) <= MAX_PART_SIZE &&
    (single || partSize >= MIN_PART_SIZE)
  );
}
