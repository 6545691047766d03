/** Base64 of bytes, and back, with `btoa` and `atob` (every browser, Node >= 16, Deno, Bun, workerd). */

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The bytes of `text` if it is canonical base64 of exactly `length` bytes, else undefined. */
export function fromBase64(text: unknown, length: number): Uint8Array | undefined {
  if (typeof text !== 'string' || text.length !== Math.ceil(length / 3) * 4) return undefined;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  if (binary.length !== length) return undefined;
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  // atob forgives non-zero padding bits; one value has one spelling here.
  return toBase64(bytes) === text ? bytes : undefined;
}

/** The big-endian bytes of the unsigned `width`-bit value `value`. */
export function bigEndian(value: bigint, width: number): Uint8Array {
  const bytes = new Uint8Array(width / 8);
  for (let i = bytes.length - 1; i >= 0; i--, value >>= 8n) bytes[i] = Number(value & 0xffn);
  return bytes;
}

/** The unsigned value of big-endian `bytes`. */
export function fromBigEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}
