/**
 * An independent SigV4 verifier for presigned descriptors, written from the AWS specification and
 * nothing else: it must not import the signer (src/sigv4/*), so a mistake in the signer cannot hide
 * behind the same mistake here.
 *
 * It reads a descriptor the way S3 reads the request that a client sends from it: the URL as a
 * WHATWG URL parser (fetch, browsers, Node) passes it on, the path and query decoded and encoded
 * again by the rules of the canonical request, the headers canonicalised, then the string to sign
 * and the signing key derived and the signature compared.
 * - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * - https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical request)
 * - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html (POST)
 */
import { createHash, createHmac } from 'node:crypto';

export interface VerifierKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  region: string;
}

export interface DescriptorLike {
  method: string;
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** `undefined` when the descriptor verifies, else why not. */
export type Verdict = string | undefined;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_EXPIRES = 604_800;
const STANDARD = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRINTABLE = /^[\t\x20-\x7e]*$/;

/**
 * URI-encode as the spec says: every byte of the UTF-8 form but `A-Z a-z 0-9 - _ . ~` as `%XY`
 * with upper-case hex; `/` kept only when `keepSlash` (object key paths in S3).
 */
export function specEncode(text: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Strict percent-decoding: `%` must start a valid escape, and the bytes must be UTF-8. */
function specDecode(text: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = text.charCodeAt(i);
      if (code > 0x7e || code < 0x20) return undefined; // a parsed URL carries ASCII only
      bytes.push(code);
    }
  }
  const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoded.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

export function specSigningKey(secret: string, day: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/** `YYYYMMDDTHHMMSSZ` to epoch ms, or undefined if it is not a real instant in that form. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The canonical header value: trimmed, runs of spaces folded to one. */
function canonicalValue(value: string): string {
  return value.trim().replace(/[\t ]+/g, ' ');
}

/** Verifies a presigned query-string descriptor against `key`; `undefined` when it holds. */
export function verifyDescriptor(descriptor: DescriptorLike, key: VerifierKey): Verdict {
  let url: URL;
  try {
    url = new URL(descriptor.url);
  } catch {
    return 'the url does not parse';
  }
  if (url.href !== descriptor.url) return `a URL parser rewrites the url to ${url.href}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not an http(s) url';
  if (url.username !== '' || url.password !== '' || url.hash !== '') return 'userinfo or fragment in the url';

  // Query: every pair decoded, then encoded again; the standard parameters once each.
  const raw = url.search.slice(1);
  if (raw === '') return 'no query';
  const params = new Map<string, string>();
  const canonicalPairs: Array<[string, string]> = [];
  for (const pair of raw.split('&')) {
    if (pair.includes('+')) return `a raw "+" in the query (${pair}): S3 may read it as a space`;
    const at = pair.indexOf('=');
    const rawName = at < 0 ? pair : pair.slice(0, at);
    const rawValue = at < 0 ? '' : pair.slice(at + 1);
    const name = specDecode(rawName);
    const value = specDecode(rawValue);
    if (name === undefined || value === undefined) return `a query pair that is not percent-encoded UTF-8: ${pair}`;
    if (STANDARD.has(name)) {
      if (params.has(name)) return `${name} is given twice`;
      params.set(name, value);
    } else if (/^x-amz-(algorithm|credential|date|expires|signedheaders|signature|security-token)$/i.test(name)) {
      return `${name} differs from the standard name only by case`;
    }
    if (name !== 'X-Amz-Signature') canonicalPairs.push([specEncode(name, false), specEncode(value, false)]);
  }
  const algorithm = params.get('X-Amz-Algorithm');
  const credential = params.get('X-Amz-Credential');
  const amzDate = params.get('X-Amz-Date');
  const expires = params.get('X-Amz-Expires');
  const signedHeaders = params.get('X-Amz-SignedHeaders');
  const signature = params.get('X-Amz-Signature');
  if (algorithm !== ALGORITHM) return `X-Amz-Algorithm is ${algorithm}`;
  if (credential === undefined || amzDate === undefined || expires === undefined)
    return 'a standard parameter is missing';
  if (signedHeaders === undefined || signature === undefined) return 'a standard parameter is missing';
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'X-Amz-Signature is not 64 lower-case hex digits';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) return `X-Amz-Date ${amzDate} is not YYYYMMDDTHHMMSSZ of a real instant`;
  if (!/^[1-9]\d{0,5}$/.test(expires) || Number(expires) > MAX_EXPIRES)
    return `X-Amz-Expires ${expires} is out of range`;
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${key.region}/s3/aws4_request`;
  if (credential !== `${key.accessKeyId}/${scope}`) return `X-Amz-Credential ${credential} is not for ${scope}`;
  if (params.get('X-Amz-Security-Token') !== key.sessionToken) return 'X-Amz-Security-Token is not the session token';
  if (descriptor.expiresAt !== isoSeconds(signedAt + Number(expires) * 1000)) {
    return `expiresAt ${descriptor.expiresAt} is not X-Amz-Date + X-Amz-Expires`;
  }

  // Headers: exactly the descriptor's, plus host; names tokens, values that can travel.
  const names = Object.keys(descriptor.headers);
  for (const name of names) {
    if (name !== name.toLowerCase() || !TOKEN.test(name))
      return `header name ${JSON.stringify(name)} is not a lower-case token`;
    if (name === 'host') return 'the descriptor lists host, which the client sets from the url';
    const value = descriptor.headers[name];
    if (typeof value !== 'string' || !PRINTABLE.test(value)) return `header ${name} has a value that cannot travel`;
  }
  const expected = [...names, 'host'].sort();
  if (signedHeaders !== expected.join(';')) return `X-Amz-SignedHeaders ${signedHeaders} is not ${expected.join(';')}`;
  const canonicalHeaders = expected
    .map((name) => `${name}:${name === 'host' ? url.host : canonicalValue(descriptor.headers[name] as string)}\n`)
    .join('');

  // Path: each segment decoded and encoded again, `/` kept; S3 neither normalises nor double-encodes.
  const segments = url.pathname.split('/').map(specDecode);
  if (segments.some((segment) => segment === undefined)) return 'the path is not percent-encoded UTF-8';
  const canonicalPath = (segments as string[]).map((segment) => specEncode(segment, false)).join('/') || '/';

  canonicalPairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const canonicalQuery = canonicalPairs.map(([name, value]) => `${name}=${value}`).join('&');
  const canonicalRequest = [
    descriptor.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const computed = createHmac('sha256', specSigningKey(key.secretAccessKey, day, key.region))
    .update(stringToSign, 'utf8')
    .digest('hex');
  return computed === signature ? undefined : `signature mismatch; canonical request:\n${canonicalRequest}`;
}

export interface PostLike {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/** Verifies a presigned POST: the policy's signature, scope, date and expiry, and its conditions. */
export function verifyPost(post: PostLike, key: VerifierKey): Verdict {
  const f = post.fields;
  const policy = f.policy;
  const signature = f['x-amz-signature'];
  const date = f['x-amz-date'];
  if (policy === undefined || signature === undefined || date === undefined) return 'a signer field is missing';
  if (f['x-amz-algorithm'] !== ALGORITHM) return 'x-amz-algorithm is wrong';
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined) return `x-amz-date ${date} is malformed`;
  const scope = `${date.slice(0, 8)}/${key.region}/s3/aws4_request`;
  if (f['x-amz-credential'] !== `${key.accessKeyId}/${scope}`) return 'x-amz-credential is not for the scope';
  if (f['x-amz-security-token'] !== key.sessionToken) return 'x-amz-security-token is not the session token';
  const computed = createHmac('sha256', specSigningKey(key.secretAccessKey, date.slice(0, 8), key.region))
    .update(policy, 'utf8')
    .digest('hex');
  if (computed !== signature) return 'policy signature mismatch';
  let document: { expiration?: unknown; conditions?: unknown };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    return 'the policy is not base64 JSON';
  }
  if (document.expiration !== post.expiresAt) return 'the policy expiration is not expiresAt';
  if (!Array.isArray(document.conditions)) return 'the policy has no conditions';
  // Every field sent but the exempt ones must be named by a condition, or S3 refuses the form.
  const named = new Set<string>();
  for (const c of document.conditions) {
    if (Array.isArray(c) && typeof c[1] === 'string') named.add(c[1].slice(1).toLowerCase());
    else if (typeof c === 'object' && c !== null && !Array.isArray(c))
      for (const k of Object.keys(c)) named.add(k.toLowerCase());
  }
  for (const name of Object.keys(f)) {
    const lower = name.toLowerCase();
    if (lower === 'policy' || lower === 'x-amz-signature' || lower.startsWith('x-ignore-')) continue;
    if (!named.has(lower)) return `the field ${name} has no condition`;
  }
  return undefined;
}
