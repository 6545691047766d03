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
let table: Int32Array | undefined;

/**
 * `table[(k * 256 + n) * 2]` and `[... + 1]` are the low and high halves of the register after byte `n`
 * went in followed by `k` zero bytes, from a zero register (the halves side by side: one cache line).
 */
export function crc64Table(): Int32Array {
  if (table) return table;
  const t = new Int32Array(SLICES * 256 * 2);
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi >>>= 1;
      if (carry) {
        lo ^= CRC64_POLY_LO;
        hi ^= CRC64_POLY_HI;
      }
    }
    t[n * 2] = lo;
    t[n * 2 + 1] = hi;
  }
  for (let i = 512; i < SLICES * 512; i += 2) {
    const lo = t[i - 512]!;
    const hi = t[i - 511]!;
    const low = (lo & 0xff) << 1;
    t[i] = ((lo >>> 8) | (hi << 24)) ^ t[low]!;
    t[i + 1] = (hi >>> 8) ^ t[low + 1]!;
  }
  table = t;
  return t;
}

/** A 64-bit register as its halves. */
export interface Crc64Register {
  lo: number;
  hi: number;
}

/** Updates `register` with `bytes`. */
export function crc64Update(t: Int32Array, register: Crc64Register, bytes: Uint8Array): void {
  const length = bytes.length;
  let { lo, hi } = register;
  let i = 0;
  const words = littleEndianWords(bytes);
  if (words) {
    const { view, first } = words;
    for (; i < first; i++) {
      const x = ((lo ^ bytes[i]!) & 0xff) << 1;
      lo = ((lo >>> 8) | (hi << 24)) ^ t[x]!;
      hi = (hi >>> 8) ^ t[x + 1]!;
    }
    const steps = (length - first) >>> 4;
    for (let w = 0; w < steps * 4; w += 4) {
      // The index of each byte of the 4 words, times 2, in the table of its slice (byte 0 in slice 15).
      const a = lo ^ view[w]!;
      const b = hi ^ view[w + 1]!;
      const c = view[w + 2]!;
      const d = view[w + 3]!;
      const a0 = 0x1e00 | ((a << 1) & 0x1fe);
      const a1 = 0x1c00 | ((a >>> 7) & 0x1fe);
      const a2 = 0x1a00 | ((a >>> 15) & 0x1fe);
      const a3 = 0x1800 | ((a >>> 23) & 0x1fe);
      const b0 = 0x1600 | ((b << 1) & 0x1fe);
      const b1 = 0x1400 | ((b >>> 7) & 0x1fe);
      const b2 = 0x1200 | ((b >>> 15) & 0x1fe);
      const b3 = 0x1000 | ((b >>> 23) & 0x1fe);
      const c0 = 0xe00 | ((c << 1) & 0x1fe);
      const c1 = 0xc00 | ((c >>> 7) & 0x1fe);
      const c2 = 0xa00 | ((c >>> 15) & 0x1fe);
      const c3 = 0x800 | ((c >>> 23) & 0x1fe);
      const d0 = 0x600 | ((d << 1) & 0x1fe);
      const d1 = 0x400 | ((d >>> 7) & 0x1fe);
      const d2 = 0x200 | ((d >>> 15) & 0x1fe);
      const d3 = (d >>> 23) & 0x1fe;
      lo =
        t[a0]! ^
        t[a1]! ^
        t[a2]! ^
        t[a3]! ^
        t[b0]! ^
        t[b1]! ^
        t[b2]! ^
        t[b3]! ^
        t[c0]! ^
        t[c1]! ^
        t[c2]! ^
        t[c3]! ^
        t[d0]! ^
        t[d1]! ^
        t[d2]! ^
        t[d3]!;
      hi =
        t[a0 + 1]! ^
        t[a1 + 1]! ^
        t[a2 + 1]! ^
        t[a3 + 1]! ^
        t[b0 + 1]! ^
        t[b1 + 1]! ^
        t[b2 + 1]! ^
        t[b3 + 1]! ^
        t[c0 + 1]! ^
        t[c1 + 1]! ^
        t[c2 + 1]! ^
        t[c3 + 1]! ^
        t[d0 + 1]! ^
        t[d1 + 1]! ^
        t[d2 + 1]! ^
        t[d3 + 1]!;
    }
    i = first + steps * 16;
  }
  for (; i < length; i++) {
    const x = ((lo ^ bytes[i]!) & 0xff) << 1;
    lo = ((lo >>> 8) | (hi << 24)) ^ t[x]!;
    hi = (hi >>> 8) ^ t[x + 1]!;
  }
  register.lo = lo;
  register.hi = hi;
}
