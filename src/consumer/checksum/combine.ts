/**
 * The CRC of a concatenation from the CRCs of its parts and their lengths, without their bytes: the
 * method of zlib's `crc32_combine`, for any reflected CRC whose initial value and final XOR are equal
 * (all ones for the three S3 takes), so the finished values combine as they are:
 * `crc(A || B) = crc(A) * x^(8 * |B|) + crc(B)` in GF(2)[x] modulo the polynomial.
 *
 * Polynomials are BigInts of `width` bits in reflected order (the top bit is x^0): this runs once a part,
 * never a byte, so it is written for clarity. `x^(8n)` is the product of the powers `x^(2^k)` for the
 * bits of `8n`, squared up once and kept, so a 5 TiB offset (2^45 bytes) costs ~46 multiplications.
 */

/** A reflected CRC's field: its width in bits and its reflected polynomial. */
export interface CrcField {
  width: number;
  poly: bigint;
}

/** `x^(2^k)` modulo each field's polynomial, k = 0, 1, ..., grown on demand. */
const powersByField = new WeakMap<CrcField, bigint[]>();

/** `a * b` modulo the polynomial (both reflected). */
export function multiply(field: CrcField, a: bigint, b: bigint): bigint {
  let product = 0n;
  // From x^0 (the top bit of `a`) down; `b` is multiplied by x at each step.
  for (let bit = 1n << BigInt(field.width - 1); bit !== 0n && a !== 0n; bit >>= 1n) {
    if (a & bit) {
      product ^= b;
      a ^= bit;
    }
    b = b & 1n ? (b >> 1n) ^ field.poly : b >> 1n;
  }
  return product;
}

/** `x^(8 * bytes)` modulo the polynomial: what moving a CRC past `bytes` zero bytes multiplies it by. */
export function shiftFor(field: CrcField, bytes: number): bigint {
  let powers = powersByField.get(field);
  if (!powers) {
    powers = [1n << BigInt(field.width - 2)]; // x^1
    powersByField.set(field, powers);
  }
  let result = 1n << BigInt(field.width - 1); // x^0
  // 8 * bytes in binary: three zero bits, then the bits of `bytes`, so powers from x^8 (k = 3) on.
  let k = 3;
  for (let n = BigInt(bytes); n !== 0n; n >>= 1n, k++) {
    while (powers.length <= k) {
      const last = powers[powers.length - 1]!;
      powers.push(multiply(field, last, last));
    }
    if (n & 1n) result = multiply(field, powers[k]!, result);
  }
  return result;
}

/** The CRC of `A || B` from `crc(A)`, `crc(B)` and the length of B in bytes. */
export function combinePair(field: CrcField, crcA: bigint, crcB: bigint, lengthB: number): bigint {
  return multiply(field, shiftFor(field, lengthB), crcA) ^ crcB;
}
