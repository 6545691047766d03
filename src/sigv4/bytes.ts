/**
 * Bytes as text, with Web APIs only (`TextEncoder`, `btoa`), so the producer runs where there is no
 * `Buffer`: browsers, Workers without `nodejs_compat`, edge runtimes.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += HEX[byte];
  return text;
}

export function base64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, which have a limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** `text` as UTF-8, in base64 (a POST policy, an SSE-KMS encryption context). */
export const utf8Base64 = (text: string): string => base64(new TextEncoder().encode(text));
