// s3-presign/consumer/checksum against the oracles: @aws-crypto/crc32 and /crc32c, @aws-sdk/crc64-nvme
// (the AWS SDK's own CRCs), node:crypto for SHA1/SHA256. The combination at offsets no test can
// allocate (> 4 GiB, up to 5 TiB) is checked algebraically against a zero-run operator built here by
// another method (GF(2) matrix squaring, zlib's former one), itself checked against the oracles.
import { createHash } from 'node:crypto';
import { AwsCrc32 } from '@aws-crypto/crc32';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CrcAlgorithm, checksumOf, checksums, combineCrc, createCrc } from '../../src/consumer/checksum/index.js';
import { isPresignError } from '../../src/errors.js';

const CRCS: readonly CrcAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME'];
const WIDTH: Record<CrcAlgorithm, number> = { CRC32: 32, CRC32C: 32, CRC64NVME: 64 };
/** The reflected polynomials, written here again from the published parameters (not imported). */
const POLY: Record<CrcAlgorithm, bigint> = { CRC32: 0xedb88320n, CRC32C: 0x82f63b78n, CRC64NVME: 0x9a6c9329ac4bc9b5n };
const TiB = 2 ** 40;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The oracle's base64 digest of the concatenation of `chunks`. */
async function oracle(algorithm: CrcAlgorithm, ...chunks: Uint8Array[]): Promise<string> {
  const hash = algorithm === 'CRC32' ? new AwsCrc32() : algorithm === 'CRC32C' ? new AwsCrc32c() : new Crc64Nvme();
  for (const chunk of chunks) hash.update(chunk);
  return b64(await hash.digest());
}

/** Ours, fed `chunks` one at a time. */
function ours(algorithm: CrcAlgorithm, ...chunks: Uint8Array[]): string {
  const crc = createCrc(algorithm);
  for (const chunk of chunks) crc.update(chunk);
  return crc.digest();
}

/** `bytes` cut at `cuts` (positions, any order, clamped). */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const end of [...at, bytes.length]) {
    parts.push(bytes.subarray(start, end));
    start = end;
  }
  return parts;
}

/** A copy of `bytes` at byte offset `offset` of a larger buffer: views that start off a 4-byte boundary. */
function shifted(bytes: Uint8Array, offset: number): Uint8Array {
  const buffer = new Uint8Array(bytes.length + offset + 3).fill(0xa5);
  buffer.set(bytes, offset);
  return buffer.subarray(offset, offset + bytes.length);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isPresignError(error) ? error.code : `not a PresignError: ${String(error)}`;
  }
  return undefined;
}

async function rejection(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isPresignError(error) ? error.code : `not a PresignError: ${String(error)}`;
  }
  return undefined;
}

/** A Blob-like whose stream hands out `chunks` as given (a File's stream decides its own chunks). */
function chunkedBlob(chunks: Uint8Array[]): Blob {
  const size = chunks.reduce((n, c) => n + c.length, 0);
  return {
    size,
    type: '',
    stream() {
      let n = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (n < chunks.length) controller.enqueue(chunks[n++]!);
          else controller.close();
        },
      });
    },
    arrayBuffer: () => new Blob(chunks as BlobPart[]).arrayBuffer(),
  } as unknown as Blob;
}

/** A Blob whose bytes must not be read: proves a refusal comes first. */
function untouchableBlob(): Blob & { reads: number } {
  const blob = {
    reads: 0,
    size: 10,
    type: '',
    stream() {
      blob.reads++;
      return new Blob(['0123456789']).stream();
    },
    arrayBuffer() {
      blob.reads++;
      return new Blob(['0123456789']).arrayBuffer();
    },
  };
  return blob as unknown as Blob & { reads: number };
}

// --- An independent zero-run operator: the register after L zero bytes, as a GF(2) matrix power ---

/** A linear map on `width`-bit registers, as the images of its unit vectors (column j = image of bit j). */
type Matrix = bigint[];

const apply = (m: Matrix, v: bigint): bigint => {
  let out = 0n;
  for (let j = 0; v !== 0n; j++, v >>= 1n) if (v & 1n) out ^= m[j]!;
  return out;
};
const compose = (outer: Matrix, inner: Matrix): Matrix => inner.map((column) => apply(outer, column));

/** What one zero byte does to a register: eight shifts of the reflected CRC. */
function zeroByte(algorithm: CrcAlgorithm): Matrix {
  const width = WIDTH[algorithm];
  return Array.from({ length: width }, (_, j) => {
    let r = 1n << BigInt(j);
    for (let bit = 0; bit < 8; bit++) r = r & 1n ? (r >> 1n) ^ POLY[algorithm] : r >> 1n;
    return r;
  });
}

/** The register after `length` zero bytes went into register `register`, by squaring the one-byte matrix. */
function afterZeros(algorithm: CrcAlgorithm, register: bigint, length: number): bigint {
  let power = zeroByte(algorithm);
  let out = register;
  for (let n = BigInt(length); n !== 0n; n >>= 1n) {
    if (n & 1n) out = apply(power, out);
    power = compose(power, power);
  }
  return out;
}

const ones = (algorithm: CrcAlgorithm) => (1n << BigInt(WIDTH[algorithm])) - 1n;

function toB64(algorithm: CrcAlgorithm, value: bigint): string {
  const bytes = new Uint8Array(WIDTH[algorithm] / 8);
  for (let i = bytes.length - 1; i >= 0; i--, value >>= 8n) bytes[i] = Number(value & 0xffn);
  return b64(bytes);
}
const fromB64 = (text: string): bigint => BigInt(`0x${Buffer.from(text, 'base64').toString('hex')}`);

/** The CRC of `length` zero bytes (the register starts at all ones and ends XORed with them). */
const crcOfZeros = (algorithm: CrcAlgorithm, length: number): string =>
  toB64(algorithm, afterZeros(algorithm, ones(algorithm), length) ^ ones(algorithm));

/** The CRC of A followed by `length` zero bytes, from crc(A) alone. */
const crcThenZeros = (algorithm: CrcAlgorithm, crcA: string, length: number): string =>
  toB64(algorithm, afterZeros(algorithm, fromB64(crcA) ^ ones(algorithm), length) ^ ones(algorithm));

const randomCrc = (algorithm: CrcAlgorithm) =>
  fc.uint8Array({ minLength: WIDTH[algorithm] / 8, maxLength: WIDTH[algorithm] / 8 }).map(b64);

describe('createCrc against the oracles', () => {
  it('gives the published check values of "123456789"', () => {
    const check = new TextEncoder().encode('123456789');
    const hex = (algorithm: CrcAlgorithm) => Buffer.from(ours(algorithm, check), 'base64').toString('hex');
    expect(hex('CRC32')).toBe('cbf43926');
    expect(hex('CRC32C')).toBe('e3069283');
    expect(hex('CRC64NVME')).toBe('ae8b14860a799888');
  });

  it.each(CRCS)('%s: every length from 0 to 200, at every offset from a 4-byte boundary', async (algorithm) => {
    const source = Uint8Array.from({ length: 200 }, (_, i) => (i * 181 + 7) & 0xff);
    for (let length = 0; length <= 200; length++) {
      const expected = await oracle(algorithm, source.subarray(0, length));
      for (let offset = 0; offset < 4; offset++) {
        expect(ours(algorithm, shifted(source.subarray(0, length), offset)), `${length} at +${offset}`).toBe(expected);
      }
    }
  });

  it.each(CRCS)('%s: empty input, and one byte of each value', async (algorithm) => {
    expect(ours(algorithm)).toBe(await oracle(algorithm));
    expect(ours(algorithm, new Uint8Array(0))).toBe(await oracle(algorithm, new Uint8Array(0)));
    for (let byte = 0; byte < 256; byte++) {
      expect(ours(algorithm, Uint8Array.of(byte))).toBe(await oracle(algorithm, Uint8Array.of(byte)));
    }
  });

  it.each(CRCS)('%s: random buffers at random offsets, whatever the chunking', async (algorithm) => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat(3),
        async (bytes, cuts, offset) => {
          const expected = await oracle(algorithm, bytes);
          expect(ours(algorithm, bytes)).toBe(expected);
          expect(ours(algorithm, ...cut(shifted(bytes, offset), cuts))).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each(CRCS)('%s: a 3 MiB buffer in uneven chunks, and digest() read midway does not end it', async (algorithm) => {
    const bytes = Uint8Array.from({ length: 3 * 2 ** 20 + 13 }, (_, i) => (i * 2654435761) >>> 24);
    const crc = createCrc(algorithm);
    const chunks = cut(bytes, [1, 70, 4099, 65_537, 1_000_001, 2_000_003]);
    for (const chunk of chunks.slice(0, 3)) crc.update(chunk);
    expect(crc.digest()).toBe(await oracle(algorithm, ...chunks.slice(0, 3)));
    for (const chunk of chunks.slice(3)) crc.update(chunk);
    expect(crc.digest()).toBe(await oracle(algorithm, bytes));
  });

  it('keeps each algorithm apart (the tests would see a swapped table)', async () => {
    const bytes = new TextEncoder().encode('the same bytes, three CRCs');
    const digests = CRCS.map((algorithm) => ours(algorithm, bytes));
    expect(new Set(digests).size).toBe(3);
    expect(digests[0]).not.toBe(await oracle('CRC32C', bytes));
  });
});

describe('checksumOf', () => {
  const bytes = Uint8Array.from({ length: 300_007 }, (_, i) => (i * 7919) >>> 3);

  it.each(CRCS)('%s of a Blob (read through its stream), a Uint8Array and a UTF-8 string', async (algorithm) => {
    const expected = await oracle(algorithm, bytes);
    expect(await checksumOf(new Blob([bytes]), algorithm)).toBe(expected);
    expect(await checksumOf(new Blob([bytes.subarray(0, 5), bytes.subarray(5)]), algorithm)).toBe(expected);
    expect(await checksumOf(chunkedBlob(cut(bytes, [1, 2, 3, 64, 65, 99_999])), algorithm)).toBe(expected);
    expect(await checksumOf(bytes, algorithm)).toBe(expected);
    expect(await checksumOf(new Blob([]), algorithm)).toBe(await oracle(algorithm));
    const text = 'naïve café, 東京, emoji 🪣, and a lone surrogate \ud800 sent as U+FFFD';
    expect(await checksumOf(text, algorithm)).toBe(await oracle(algorithm, new TextEncoder().encode(text)));
    expect(await checksumOf('', algorithm)).toBe(await oracle(algorithm));
  });

  it.each([
    ['SHA1', 'sha1'],
    ['SHA256', 'sha256'],
  ] as const)('%s of a Blob, a Uint8Array and a string matches node:crypto', async (algorithm, node) => {
    const digest = (data: Uint8Array | string) => createHash(node).update(data).digest('base64');
    expect(await checksumOf(new Blob([bytes]), algorithm)).toBe(digest(bytes));
    expect(await checksumOf(bytes, algorithm)).toBe(digest(bytes));
    expect(await checksumOf('héllo', algorithm)).toBe(digest('héllo'));
    expect(await checksumOf(new Uint8Array(0), algorithm)).toBe(digest(''));
  });

  it('is what checksums.of, .create and .combine are', () => {
    expect(checksums.create).toBe(createCrc);
    expect(checksums.of).toBe(checksumOf);
    expect(checksums.combine).toBe(combineCrc);
  });

  it('refuses an unknown algorithm with ERR_INVALID_CHECKSUM before reading', async () => {
    for (const algorithm of ['MD5', 'crc32', 'SHA-256', '', 'toString', '__proto__', undefined, 42, null]) {
      const blob = untouchableBlob();
      expect(await rejection(checksumOf(blob, algorithm as never)), String(algorithm)).toBe('ERR_INVALID_CHECKSUM');
      expect(blob.reads).toBe(0);
      expect(codeOf(() => createCrc(algorithm as never))).toBe('ERR_INVALID_CHECKSUM');
      expect(codeOf(() => combineCrc(algorithm as never, []))).toBe('ERR_INVALID_CHECKSUM');
    }
    expect(codeOf(() => createCrc('SHA256' as never))).toBe('ERR_INVALID_CHECKSUM');
  });

  it('refuses a body that is not a Blob, a Uint8Array or a string with ERR_INVALID_BODY', async () => {
    for (const body of [undefined, null, 42, {}, [1, 2], new ArrayBuffer(4), new Uint16Array(2), { stream: 1 }]) {
      expect(await rejection(checksumOf(body as never, 'CRC32')), String(body)).toBe('ERR_INVALID_BODY');
      expect(await rejection(checksumOf(body as never, 'SHA256'))).toBe('ERR_INVALID_BODY');
    }
    const crc = createCrc('CRC32C');
    expect(codeOf(() => crc.update('text' as never))).toBe('ERR_INVALID_BODY');
    expect(codeOf(() => crc.update(new ArrayBuffer(2) as never))).toBe('ERR_INVALID_BODY');
  });

  it('rejects with ERR_ABORTED before reading when the signal has aborted, for CRCs and SHAs', async () => {
    const controller = new AbortController();
    controller.abort(new Error('the user left'));
    for (const algorithm of ['CRC64NVME', 'SHA256'] as const) {
      const blob = untouchableBlob();
      const error = await checksumOf(blob, algorithm, { signal: controller.signal }).catch((e: unknown) => e);
      expect(isPresignError(error, 'ERR_ABORTED')).toBe(true);
      expect((error as Error).cause).toBe(controller.signal.reason);
      expect(blob.reads).toBe(0);
    }
  });

  /** A signal that counts the listeners on it (added minus removed). */
  function countedSignal(): { controller: AbortController; listeners: () => number } {
    const controller = new AbortController();
    const { signal } = controller;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    return { controller, listeners: () => listeners };
  }

  it('stops reading a stream when the signal aborts mid-way, and leaves no listener on the signal', async () => {
    const { controller, listeners } = countedSignal();
    let cancelled = false;
    let pulls = 0;
    const blob = {
      size: 1e9,
      type: '',
      arrayBuffer: () => Promise.reject(new Error('not this way')),
      stream: () =>
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls++;
            // Two chunks, then a read that never comes: only the abort ends it.
            if (pulls <= 2) controller.enqueue(new Uint8Array(100));
            else return new Promise(() => {});
          },
          cancel() {
            cancelled = true;
          },
        }),
    } as unknown as Blob;
    const pending = checksumOf(blob, 'CRC32', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulls).toBeGreaterThanOrEqual(2);
    controller.abort();
    expect(await rejection(pending)).toBe('ERR_ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe(true);
    expect(listeners()).toBe(0);
  });

  it('leaves no listener on the signal when it completes', async () => {
    const { controller, listeners } = countedSignal();
    const chunks = cut(bytes, [10, 20, 30_000]);
    expect(await checksumOf(chunkedBlob(chunks), 'CRC32C', { signal: controller.signal })).toBe(
      await oracle('CRC32C', bytes),
    );
    expect(await checksumOf(new Blob([bytes]), 'SHA256', { signal: controller.signal })).toBe(
      createHash('sha256').update(bytes).digest('base64'),
    );
    expect(listeners()).toBe(0);
  });

  it('refuses a SHA without WebCrypto with ERR_INVALID_CHECKSUM that says why', async () => {
    const crypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      const error = await checksumOf('x', 'SHA256').catch((e: unknown) => e);
      expect(isPresignError(error, 'ERR_INVALID_CHECKSUM')).toBe(true);
      expect((error as Error).message).toMatch(/secure contexts/);
      expect(await checksumOf('123456789', 'CRC32')).toBe(b64(Uint8Array.of(0xcb, 0xf4, 0x39, 0x26)));
    } finally {
      Object.defineProperty(globalThis, 'crypto', crypto);
    }
  });
});

describe('combineCrc', () => {
  it.each(CRCS)('%s: the CRC of random splits from the parts, equal to the oracle on the whole', async (algorithm) => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (bytes, cuts) => {
          const parts = cut(bytes, cuts).map((part) => ({ checksum: ours(algorithm, part), size: part.length }));
          expect(combineCrc(algorithm, parts)).toBe(await oracle(algorithm, bytes));
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each(CRCS)('%s: no parts is the CRC of no bytes; one part is itself', async (algorithm) => {
    expect(combineCrc(algorithm, [])).toBe(await oracle(algorithm));
    const one = ours(algorithm, Uint8Array.of(1, 2, 3));
    expect(combineCrc(algorithm, [{ checksum: one, size: 3 }])).toBe(one);
    expect(
      combineCrc(algorithm, [
        { checksum: ours(algorithm), size: 0 },
        { checksum: one, size: 3 },
      ]),
    ).toBe(one);
  });

  it.each(CRCS)('%s: the zero-run operator of this test agrees with the oracle on short runs', async (algorithm) => {
    for (const length of [0, 1, 2, 3, 7, 8, 15, 16, 17, 100, 1000, 65_537, 1_000_003]) {
      expect(crcOfZeros(algorithm, length), `${length}`).toBe(await oracle(algorithm, new Uint8Array(length)));
    }
    const a = Uint8Array.of(9, 8, 7, 6, 5);
    expect(crcThenZeros(algorithm, ours(algorithm, a), 4099)).toBe(await oracle(algorithm, a, new Uint8Array(4099)));
  });

  it.each(CRCS)('%s: A then a zero run past 4 GiB (up to 5 TiB), against the zero-run operator', (algorithm) => {
    fc.assert(
      fc.property(
        randomCrc(algorithm),
        fc.integer({ min: 1, max: 5 * TiB }),
        fc.oneof(fc.integer({ min: 2 ** 32 - 5, max: 2 ** 32 + 5 }), fc.integer({ min: 2 ** 32, max: 5 * TiB - 1 })),
        (crcA, sizeA, zeros) => {
          const parts = [
            { checksum: crcA, size: sizeA },
            { checksum: crcOfZeros(algorithm, zeros), size: zeros },
          ];
          expect(combineCrc(algorithm, parts)).toBe(crcThenZeros(algorithm, crcA, zeros));
        },
      ),
      { numRuns: 30 },
    );
  });

  it.each(CRCS)('%s: a length of 2^32 + k is not a length of k (no 32-bit truncation)', (algorithm) => {
    const a = ours(algorithm, new TextEncoder().encode('part one'));
    for (const k of [0, 1, 5, 1000]) {
      for (const high of [2 ** 32, 2 ** 33, 2 ** 40]) {
        const zeros = crcOfZeros(algorithm, high + k);
        const long = combineCrc(algorithm, [
          { checksum: a, size: 8 },
          { checksum: zeros, size: high + k },
        ]);
        // What a combination that kept the low 32 bits of the length would give: crc(A) moved by k bytes.
        const truncated = toB64(algorithm, afterZeros(algorithm, fromB64(a), k) ^ fromB64(zeros));
        expect(long).toBe(crcThenZeros(algorithm, a, high + k));
        expect(long, `2^${Math.log2(high)} + ${k}`).not.toBe(truncated);
      }
    }
  });

  it.each(CRCS)('%s: associative with sizes past 2^32: (a b) c = a (b c) = a b c', (algorithm) => {
    const size = fc.integer({ min: 1, max: TiB });
    const part = fc.record({ checksum: randomCrc(algorithm), size });
    fc.assert(
      fc.property(part, part, part, (a, b, c) => {
        const left = combineCrc(algorithm, [{ checksum: combineCrc(algorithm, [a, b]), size: a.size + b.size }, c]);
        const right = combineCrc(algorithm, [a, { checksum: combineCrc(algorithm, [b, c]), size: b.size + c.size }]);
        expect(left).toBe(right);
        expect(combineCrc(algorithm, [a, b, c])).toBe(left);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a checksum that is not the base64 CRC of the part, or a size that is not a length', () => {
    const good = ours('CRC32', Uint8Array.of(1));
    const wide = ours('CRC64NVME', Uint8Array.of(1));
    for (const checksum of [wide, '', 'AAAA', 'AAAAAB==', 'AAAAAA=', '!!!!!!==', ` ${good}`, 42, undefined, null]) {
      expect(
        codeOf(() => combineCrc('CRC32', [{ checksum: checksum as never, size: 1 }])),
        String(checksum),
      ).toBe('ERR_INVALID_CHECKSUM');
    }
    expect(codeOf(() => combineCrc('CRC64NVME', [{ checksum: good, size: 1 }]))).toBe('ERR_INVALID_CHECKSUM');
    // An empty part has the CRC of no bytes, and nothing else.
    expect(codeOf(() => combineCrc('CRC32', [{ checksum: good, size: 0 }]))).toBe('ERR_INVALID_CHECKSUM');
    for (const size of [-1, 1.5, Number.NaN, Infinity, 5 * TiB + 1, '5', undefined, 2 ** 53]) {
      expect(
        codeOf(() => combineCrc('CRC32', [{ checksum: good, size: size as never }])),
        String(size),
      ).toBe('ERR_INVALID_OPTION');
    }
    expect(codeOf(() => combineCrc('CRC32', 'parts' as never))).toBe('ERR_INVALID_OPTION');
    expect(codeOf(() => combineCrc('CRC32', [null as never]))).toBe('ERR_INVALID_OPTION');
    expect(combineCrc('CRC32', [{ checksum: good, size: 5 * TiB }])).toBe(good);
  });
});
