/**
 * Headers a presigned request must not carry, because no one could send them as signed: the Fetch
 * standard's forbidden request headers (a browser drops or replaces them, so the signature no longer
 * matches), and the hop-by-hop headers that a proxy may strip or rewrite on the way (RFC 9110 §7.6.1).
 * The producer refuses to sign them and the consumer refuses to send them, with one code naming the
 * header. `host` and `content-length` are on the Fetch list but are the library's own: `host` is
 * always signed from the URL, and `content-length` is sent by the runtime from the body, whose size
 * the consumer checks against the signed value first.
 * https://fetch.spec.whatwg.org/#forbidden-request-header
 */

/** Lower-case names that are never signed or sent. */
const UNSENDABLE = new Set([
  // Fetch: forbidden request headers (less host and content-length, see above).
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'access-control-request-private-network',
  'connection',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  // Fetch: forbidden when they name a forbidden method; no S3 request needs them.
  'x-http-method',
  'x-http-method-override',
  'x-method-override',
  // RFC 9110 hop-by-hop, not already above.
  'proxy-connection',
  'trailers',
]);

/** Why `name` (lower case) cannot be signed or sent, or `undefined` when it can. */
export function unsendableReason(name: string): string | undefined {
  if (name.startsWith('sec-') || name.startsWith('proxy-')) {
    return 'browsers and fetch set Sec-* and Proxy-* headers themselves';
  }
  if (UNSENDABLE.has(name)) {
    return 'it is a forbidden or hop-by-hop header: browsers and fetch drop or replace it, and proxies may strip it';
  }
  return undefined;
}
