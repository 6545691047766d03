import { TERMINATOR } from './constants.js';
import { hmac, sha256Base64 } from './hash.js';

/**
 * Signing keys are derived once per secret, day, region and service, then reused: four HMACs saved
 * on every URL. The cache is bounded, and keyed by a SHA-256 of the inputs, never the raw secret.
 */
const MAX_ENTRIES = 64;
const cache = new Map<string, Uint8Array>();

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Uint8Array {
  const id = sha256Base64(`${secretAccessKey}\n${date}\n${region}\n${service}`);
  let key = cache.get(id);
  if (key === undefined) {
    const kDate = hmac(`AWS4${secretAccessKey}`, date);
    const kRegion = hmac(kDate, region);
    const kService = hmac(kRegion, service);
    key = hmac(kService, TERMINATOR);
    if (cache.size >= MAX_ENTRIES) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(id, key);
  }
  return key;
}

/** For tests: how many keys are held. */
export function signingKeyCacheSize(): number {
  return cache.size;
}
