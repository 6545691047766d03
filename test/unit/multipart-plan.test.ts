// Unit test of the internal s3/multipart-plan and s3/limits modules (imported directly on purpose): the
// plan's arithmetic (each part's byte range, the part size grown to fit 10,000 parts) is pinned directly,
// with properties up to 5 TiB; the public presignMultipart shows only its outcome.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPresignError } from '../../src/index.js';
import { MAX_OBJECT_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from '../../src/s3/limits.js';
import { DEFAULT_PART_SIZE, partRange, planParts } from '../../src/s3/multipart-plan.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isPresignError(error) ? error.code : `not a PresignError: ${String(error)}`;
  }
  return undefined;
}

describe('the part plan', () => {
  it('cuts 32 MiB into six 5 MiB parts and a 2 MiB last part', () => {
    const plan = planParts(32 * MiB, 5 * MiB);
    expect(plan).toEqual({ size: 32 * MiB, partSize: 5 * MiB, partCount: 7 });
    expect(partRange(plan, 1)).toEqual({ start: 0, end: 5 * MiB });
    expect(partRange(plan, 7)).toEqual({ start: 30 * MiB, end: 32 * MiB });
  });

  it('uses 8 MiB parts when no part size is given', () => {
    expect(planParts(100 * MiB)).toEqual({ size: 100 * MiB, partSize: DEFAULT_PART_SIZE, partCount: 13 });
    expect(DEFAULT_PART_SIZE).toBe(8 * MiB);
  });

  it('makes no empty last part when the size is a multiple of the part size', () => {
    expect(planParts(10 * MiB, 5 * MiB).partCount).toBe(2);
  });

  it('plans an empty object as one empty part', () => {
    const plan = planParts(0);
    expect(plan.partCount).toBe(1);
    expect(partRange(plan, 1)).toEqual({ start: 0, end: 0 });
  });

  it('grows the part size to a whole MiB when 10,000 default parts cannot hold the object', () => {
    const plan = planParts(100 * GiB);
    expect(plan.partSize).toBe(11 * MiB);
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
  });

  it('holds the largest object S3 stores (5 TiB) in at most 10,000 parts of at most 5 GiB', () => {
    const plan = planParts(MAX_OBJECT_SIZE);
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(plan.partSize).toBeLessThanOrEqual(MAX_PART_SIZE);
    expect(plan.partSize % MiB).toBe(0);
  });

  it('refuses an object over 5 TiB with ERR_TOO_LARGE', () => {
    expect(codeOf(() => planParts(MAX_OBJECT_SIZE + 1))).toBe('ERR_TOO_LARGE');
  });

  it.each([
    ['under 5 MiB', 5 * MiB - 1],
    ['over 5 GiB', 5 * GiB + 1],
    ['not whole', 5.5 * MiB + 0.5],
    ['NaN', Number.NaN],
    ['a string', '8388608' as unknown as number],
  ])('refuses a part size %s with ERR_INVALID_PART_SIZE', (_name, partSize) => {
    expect(codeOf(() => planParts(64 * MiB, partSize))).toBe('ERR_INVALID_PART_SIZE');
  });

  it('keeps an explicit part size as given and refuses one that needs over 10,000 parts, naming one that works', () => {
    expect(planParts(100 * GiB, 16 * MiB).partSize).toBe(16 * MiB);
    try {
      planParts(100 * GiB, 5 * MiB);
      expect.unreachable();
    } catch (error) {
      expect(isPresignError(error, 'ERR_INVALID_PART_SIZE')).toBe(true);
      expect((error as Error).message).toContain('20480 parts');
      expect((error as Error).message).toContain('at least 11 MiB');
    }
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['missing', undefined as unknown as number],
  ])('refuses a %s size with ERR_INVALID_OPTION', (_name, size) => {
    expect(codeOf(() => planParts(size))).toBe('ERR_INVALID_OPTION');
  });

  it('refuses a part number outside the plan', () => {
    const plan = planParts(12 * MiB, 5 * MiB);
    expect(codeOf(() => partRange(plan, 0))).toBe('ERR_INVALID_OPTION');
    expect(codeOf(() => partRange(plan, 4))).toBe('ERR_INVALID_OPTION');
  });

  it('always obeys the S3 limits and tiles the object exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 64 * MiB }), fc.integer({ min: 0, max: MAX_OBJECT_SIZE })),
        fc.option(fc.integer({ min: MIN_PART_SIZE, max: MAX_PART_SIZE }), { nil: undefined }),
        (size, partSize) => {
          let plan: ReturnType<typeof planParts>;
          try {
            plan = planParts(size, partSize);
          } catch (error) {
            // Only an explicit part size too small for the object may be refused.
            expect(isPresignError(error, 'ERR_INVALID_PART_SIZE')).toBe(true);
            expect(partSize).toBeDefined();
            expect(Math.ceil(size / (partSize as number))).toBeGreaterThan(MAX_PARTS);
            return;
          }
          expect(plan.partCount).toBeGreaterThanOrEqual(1);
          expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
          expect(plan.partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
          expect(plan.partSize).toBeLessThanOrEqual(MAX_PART_SIZE);
          if (partSize !== undefined) expect(plan.partSize).toBe(partSize);
          const last = partRange(plan, plan.partCount);
          expect(last.end).toBe(size);
          expect(last.end - last.start).toBeLessThanOrEqual(plan.partSize);
          expect(last.end - last.start > 0 || size === 0).toBe(true);
          if (plan.partCount > 1) expect(partRange(plan, 2).start).toBe(partRange(plan, 1).end);
        },
      ),
      { numRuns: 500, seed: 20261129 },
    );
  });
});
