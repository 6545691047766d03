/**
 * Upload tokens: what a later call of the protocol must know (route, key, upload id, the authorised
 * id, declared size and type, the plan's part size, expiry), sealed with the app's secret by
 * HMAC-SHA256 so any replica holding the secret continues any upload and nothing is stored.
 *
 * Web Crypto (`crypto.subtle`) only, so the handler runs in Node >= 20, Bun, Deno and Workers alike.
 * The token is `v1.<base64url(JSON)>.<base64url(HMAC-SHA256(secret, "v1." + payload))>`; the MAC is
 * checked with `crypto.subtle.verify` (constant time) before the payload is parsed.
 */

/** What a token carries. Short names: it travels in every call of an upload. */
export interface TokenClaims {
  /** Route name. */
  route: string;
  /** Object key. */
  key: string;
  /** S3's upload id for a multipart upload, `''` for a single PUT. */
  uploadId: string;
  /** The id `authorize` returned when the upload was created. */
  authId: string;
  /** Declared bytes of the file. */
  size: number;
  /** Declared content type. */
  contentType: string;
  /** Bytes of every part but the last (multipart), 0 for a single PUT. */
  partSize: number;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  /** The checksum algorithm the route requires (`''` for none). */
  checksum: string;
}

const VERSION = 'v1';
const encoder = new TextEncoder();

/** The smallest secret accepted, in UTF-8 bytes (a SHA-256 block's worth of entropy is the aim). */
export const MIN_SECRET_BYTES = 32;

/** Imports the secret as an HMAC-SHA256 key once per handler. */
export function importSecret(secret: string | Uint8Array): Promise<CryptoKey> {
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : secret;
  return crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    // Only the canonical spelling: a token with other padding bits is another token.
    return toBase64Url(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Seals `claims` into a token. */
export async function sealToken(key: CryptoKey, claims: TokenClaims): Promise<string> {
  const body = toBase64Url(
    encoder.encode(
      JSON.stringify([
        claims.route,
        claims.key,
        claims.uploadId,
        claims.authId,
        claims.size,
        claims.contentType,
        claims.partSize,
        claims.expiresAt,
        claims.checksum,
      ]),
    ),
  );
  const signed = `${VERSION}.${body}`;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signed)));
  return `${signed}.${toBase64Url(mac)}`;
}

/** Why a token was refused (never told to the caller beyond "invalid" or "expired"). */
export type TokenFault = 'invalid' | 'expired';

/**
 * Opens a token: its claims when the MAC holds and it has not expired at `nowSeconds`, else the fault.
 * Nothing of the token is trusted before the MAC is checked.
 */
export async function openToken(key: CryptoKey, token: unknown, nowSeconds: number): Promise<TokenClaims | TokenFault> {
  if (typeof token !== 'string' || token.length > 8192) return 'invalid';
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return 'invalid';
  const [, body = '', macText = ''] = parts;
  const mac = fromBase64Url(macText);
  const payload = fromBase64Url(body);
  if (!mac || !payload || mac.length !== 32) return 'invalid';
  const valid = await crypto.subtle.verify('HMAC', key, mac, encoder.encode(`${VERSION}.${body}`));
  if (!valid) return 'invalid';
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return 'invalid';
  }
  if (!Array.isArray(fields) || fields.length !== 9) return 'invalid';
  const [route, objectKey, uploadId, authId, size, contentType, partSize, expiresAt, checksum] = fields as unknown[];
  if (
    typeof route !== 'string' ||
    typeof objectKey !== 'string' ||
    typeof uploadId !== 'string' ||
    typeof authId !== 'string' ||
    typeof contentType !== 'string' ||
    typeof checksum !== 'string' ||
    !Number.isSafeInteger(size) ||
    !Number.isSafeInteger(partSize) ||
    !Number.isSafeInteger(expiresAt)
  ) {
    return 'invalid';
  }
  if ((expiresAt as number) <= nowSeconds) return 'expired';
  return {
    route,
    key: objectKey,
    uploadId,
    authId,
    size: size as number,
    contentType,
    partSize: partSize as number,
    expiresAt: expiresAt as number,
    checksum,
  };
}
