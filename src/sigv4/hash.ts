/**
 * The hashing SigV4 needs, on `node:crypto`: the build for Node, Bun and Deno (the package's `node`
 * export condition). `hash.portable.ts` is the same interface in plain JavaScript, for browsers,
 * Workers and edge runtimes; the portable build swaps it in (tsup.portable.config.ts). Keys are
 * bytes, messages strings; the string to sign and the key-derivation inputs are ASCII.
 */
import * as crypto from 'node:crypto';

// `crypto.hash` (Node >= 20.12) hashes in one call, without a Hash object and its stream machinery.
export const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

// HMAC-SHA256 from its definition (RFC 2104), H((K ^ opad) || H((K ^ ipad) || m)), over buffers
// preallocated per signing key with the padded key written once: no Hmac object and no key set-up
// per URL. The string to sign is ASCII, so latin1 writes it byte for byte.
interface HmacPads {
  inner: Buffer;
  outer: Buffer;
}
const pads = new WeakMap<Uint8Array, HmacPads>();
const BLOCK = 64;
const MAX_MESSAGE = 448;

export function hmacHex(key: Uint8Array, message: string): string {
  if (typeof crypto.hash !== 'function' || message.length > MAX_MESSAGE || key.length > BLOCK) {
    return crypto.createHmac('sha256', key).update(message).digest('hex');
  }
  let p = pads.get(key);
  if (p === undefined) {
    p = { inner: Buffer.alloc(BLOCK + MAX_MESSAGE), outer: Buffer.alloc(BLOCK + 32) };
    for (let i = 0; i < BLOCK; i++) {
      const k = i < key.length ? (key[i] as number) : 0;
      p.inner[i] = k ^ 0x36;
      p.outer[i] = k ^ 0x5c;
    }
    pads.set(key, p);
  }
  const length = p.inner.write(message, BLOCK, 'latin1');
  crypto.hash('sha256', p.inner.subarray(0, BLOCK + length), 'buffer').copy(p.outer, BLOCK);
  return crypto.hash('sha256', p.outer, 'hex');
}

/** HMAC-SHA256 of `message` (UTF-8) under `key`, as bytes: a step of the signing-key derivation. */
export function hmac(key: Uint8Array | string, message: string): Uint8Array {
  return crypto.createHmac('sha256', key).update(message).digest();
}

/** SHA-256 of `text` (UTF-8), base64: a cache id that never holds the text itself. */
export function sha256Base64(text: string): string {
  return crypto.createHash('sha256').update(text).digest('base64');
}
