import { createHash, createHmac } from 'node:crypto';
import { TERMINATOR } from './constants.js';

/**
 * Signing keys are derived once per secret, day, region and service, then reused: four HMACs saved
 * on every URL. The cache is bounded, and keyed by a SHA-256 of the inputs, never the raw secret.
 */
const MAX_ENTRIES = 64;
const cache = new Map<string, Buffer>();

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const id = createHash('sha256').update(`${secretAccessKey}\n${date}\n${region}\n${service}`).digest('base64');
  let key = cache.get(id);
  if (key === undefined) {
    const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    key = createHmac('sha256', kService).update(TERMINATOR).digest();
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
