/**
 * CRC-64/NVME (S3's CRC64NVME): reflected, polynomial 0x9A6C9329AC4BC9B5, initial value and final XOR
 * all ones; the check value of "123456789" is 0xAE8B14860A799888. The 64-bit register is two int32
 * halves, `lo` (the bits that meet the next bytes first) and `hi`, so the hot loop never touches BigInt.
 * Slicing-by-16 like crc32.ts, with tables of 64-bit entries built on first use.
 */
import { littleEndianWords } from './words.js';

/** The reflected polynomial as its two halves (bit 31 of `hi` is x^0, bit 0 of `lo` is x^63). */
export const CRC64_POLY_HI = 0x9a6c9329;
export const CRC64_POLY_LO = 0xac4bc9b5 | 0;

const SLICES = 16;

/**
 * The 16 slicing tables, as the low and the high halves of their 64-bit entries: `lo[k * 256 + n]` and
 * `hi[k * 256 + n]` are the register after byte `n` went in followed by `k` zero bytes, from a zero
 * register. Two arrays indexed alike rather than one of pairs: V8 runs the loop below over 2x faster so.
 */
export interface Crc64Table {
  lo: Int32Array;
  hi: Int32Array;
}

let table: Crc64Table | undefined;

export function crc64Table(): Crc64Table {
  if (table) return table;
  const lo = new Int32Array(SLICES * 256);
  const hi = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = (l >>> 1) | (h << 31);
      h >>>= 1;
      if (carry) {
        l ^= CRC64_POLY_LO;
        h ^= CRC64_POLY_HI;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  for (let i = 256; i < SLICES * 256; i++) {
    const l = lo[i - 256]!;
    const h = hi[i - 256]!;
    lo[i] = ((l >>> 8) | (h << 24)) ^ lo[l & 0xff]!;
    hi[i] = (h >>> 8) ^ hi[l & 0xff]!;
  }
  table = { lo, hi };
  return table;
}

/** A 64-bit register as its halves. */
export interface Crc64Register {
  lo: number;
  hi: number;
}

/** Updates `register` with `bytes`. */
export function crc64Update(table: Crc64Table, register: Crc64Register, bytes: Uint8Array): void {
  const { lo: L, hi: H } = table;
  const length = bytes.length;
  let { lo, hi } = register;
  let i = 0;
  const words = littleEndianWords(bytes);
  if (words) {
    const { view, first } = words;
    for (; i < first; i++) {
      const x = (lo ^ bytes[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ L[x]!;
      hi = (hi >>> 8) ^ H[x]!;
    }
    const steps = (length - first) >>> 4;
    for (let w = 0; w < steps * 4; w += 4) {
      // Each byte of the 4 words indexes the table of its slice (byte 0 in slice 15, byte 15 in slice 0).
      const a = lo ^ view[w]!;
      const b = hi ^ view[w + 1]!;
      const c = view[w + 2]!;
      const d = view[w + 3]!;
      const a0 = 0xf00 | (a & 0xff);
      const a1 = 0xe00 | ((a >>> 8) & 0xff);
      const a2 = 0xd00 | ((a >>> 16) & 0xff);
      const a3 = 0xc00 | (a >>> 24);
      const b0 = 0xb00 | (b & 0xff);
      const b1 = 0xa00 | ((b >>> 8) & 0xff);
      const b2 = 0x900 | ((b >>> 16) & 0xff);
      const b3 = 0x800 | (b >>> 24);
      const c0 = 0x700 | (c & 0xff);
      const c1 = 0x600 | ((c >>> 8) & 0xff);
      const c2 = 0x500 | ((c >>> 16) & 0xff);
      const c3 = 0x400 | (c >>> 24);
      const d0 = 0x300 | (d & 0xff);
      const d1 = 0x200 | ((d >>> 8) & 0xff);
      const d2 = 0x100 | ((d >>> 16) & 0xff);
      const d3 = d >>> 24;
      lo =
        L[a0]! ^
        L[a1]! ^
        L[a2]! ^
        L[a3]! ^
        L[b0]! ^
        L[b1]! ^
        L[b2]! ^
        L[b3]! ^
        L[c0]! ^
        L[c1]! ^
        L[c2]! ^
        L[c3]! ^
        L[d0]! ^
        L[d1]! ^
        L[d2]! ^
        L[d3]!;
      hi =
        H[a0]! ^
        H[a1]! ^
        H[a2]! ^
        H[a3]! ^
        H[b0]! ^
        H[b1]! ^
        H[b2]! ^
        H[b3]! ^
        H[c0]! ^
        H[c1]! ^
        H[c2]! ^
        H[c3]! ^
        H[d0]! ^
        H[d1]! ^
        H[d2]! ^
        H[d3]!;
    }
    i = first + steps * 16;
  }
  // The tail, a short chunk, or a big-endian platform: one byte at a time.
  for (; i < length; i++) {
    const x = (lo ^ bytes[i]!) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ L[x]!;
    hi = (hi >>> 8) ^ H[x]!;
  }
  register.lo = lo;
  register.hi = hi;
}
