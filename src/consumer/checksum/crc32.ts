/**
 * CRC-32 (ISO-HDLC, zlib's) and CRC-32C (Castagnoli, iSCSI's): both reflected, initial value and final
 * XOR all ones, differing only in the polynomial. Slicing-by-16 (16 tables of 256 entries, one lookup
 * a byte, 16 bytes a step), the tables built on first use of each polynomial, so importing costs nothing.
 *
 * The running value `crc` is the register before the final XOR, as an int32 (JavaScript's bit operators
 * work on 32-bit integers; `>>> 0` makes it unsigned only at the end).
 */
import { littleEndianWords } from './words.js';

/** The reflected polynomials (bit 31 is x^0). */
export const CRC32_POLY = 0xedb88320;
export const CRC32C_POLY = 0x82f63b78;

const SLICES = 16;
const tables = new Map<number, Int32Array>();

/**
 * `table[k * 256 + n]` is the register after byte `n` went in followed by `k` zero bytes, from a zero
 * register: so the 16 bytes of a step are looked up in 16 tables at once, the first byte in the 15th.
 */
export function crc32Table(poly: number): Int32Array {
  let table = tables.get(poly);
  if (table) return table;
  table = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c;
  }
  for (let i = 256; i < SLICES * 256; i++) {
    const previous = table[i - 256]!;
    table[i] = (previous >>> 8) ^ table[previous & 0xff]!;
  }
  tables.set(poly, table);
  return table;
}

/** The register `crc` after `bytes` went in. */
export function crc32Update(table: Int32Array, crc: number, bytes: Uint8Array): number {
  const length = bytes.length;
  let i = 0;
  const words = littleEndianWords(bytes);
  if (words) {
    // Byte by byte up to the first 4-byte boundary of the buffer, then 16 bytes (4 words) a step.
    const { view, first } = words;
    for (; i < first; i++) crc = (crc >>> 8) ^ table[(crc ^ bytes[i]!) & 0xff]!;
    const steps = (length - first) >>> 4;
    for (let w = 0; w < steps * 4; w += 4) {
      const a = crc ^ view[w]!;
      const b = view[w + 1]!;
      const c = view[w + 2]!;
      const d = view[w + 3]!;
      crc =
        table[0xf00 | (a & 0xff)]! ^
        table[0xe00 | ((a >>> 8) & 0xff)]! ^
        table[0xd00 | ((a >>> 16) & 0xff)]! ^
        table[0xc00 | (a >>> 24)]! ^
        table[0xb00 | (b & 0xff)]! ^
        table[0xa00 | ((b >>> 8) & 0xff)]! ^
        table[0x900 | ((b >>> 16) & 0xff)]! ^
        table[0x800 | (b >>> 24)]! ^
        table[0x700 | (c & 0xff)]! ^
        table[0x600 | ((c >>> 8) & 0xff)]! ^
        table[0x500 | ((c >>> 16) & 0xff)]! ^
        table[0x400 | (c >>> 24)]! ^
        table[0x300 | (d & 0xff)]! ^
        table[0x200 | ((d >>> 8) & 0xff)]! ^
        table[0x100 | ((d >>> 16) & 0xff)]! ^
        table[d >>> 24]!;
    }
    i = first + steps * 16;
  }
  // The tail, a short chunk, or a big-endian platform: one byte at a time.
  for (; i < length; i++) crc = (crc >>> 8) ^ table[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}
