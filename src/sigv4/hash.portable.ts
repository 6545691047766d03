/**
 * The hashing SigV4 needs, in plain JavaScript (`@noble/hashes`, bundled into the portable build):
 * synchronous, so presigning stays one pass with no await per URL, and free of `node:*`, so it runs
 * in browsers, Cloudflare Workers without `nodejs_compat` and edge runtimes. The same interface as
 * `hash.ts`, which the Node build keeps for its speed.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64, hex } from './bytes.js';

const utf8 = new TextEncoder();
const bytes = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? utf8.encode(value) : value);

export const sha256Hex = (data: string): string => hex(sha256(utf8.encode(data)));

/** HMAC-SHA256 of `message` (UTF-8) under `key`, as bytes. */
export function hmac(key: Uint8Array | string, message: string): Uint8Array {
  return nobleHmac(sha256, bytes(key), utf8.encode(message));
}

export const hmacHex = (key: Uint8Array, message: string): string => hex(hmac(key, message));

/** SHA-256 of `text` (UTF-8), base64: a cache id that never holds the text itself. */
export const sha256Base64 = (text: string): string => base64(sha256(utf8.encode(text)));
