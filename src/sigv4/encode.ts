/**
 * RFC 3986 encoding as SigV4 requires it: every byte but the unreserved set `A-Z a-z 0-9 - . _ ~`
 * percent-encoded (upper-case hex) from its UTF-8 form. `encodeURIComponent` leaves `!'()*` alone,
 * so those are fixed up. https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const SUB_DELIMS = /[!'()*]/g;

function hexOf(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** Encodes one query name or value, or one path segment. Lone surrogates throw `URIError`. */
export function uriEncode(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(SUB_DELIMS, hexOf);
}

/** Encodes an object key for the URL path: each segment encoded, `/` kept, never double-encoded. */
export function encodeKeyPath(key: string): string {
  if (UNRESERVED_PATH.test(key)) return key;
  return encodeURIComponent(key).replace(SUB_DELIMS, hexOf).replace(/%2F/g, '/');
}
