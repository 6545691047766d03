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

/**
 * Lower-case names that are never signed or sent, as one pattern (the consumer ships it to browsers):
 * the Fetch standard's forbidden request headers, less host and content-length (see above), and
 * `Sec-*` and `Proxy-*`; the `X-HTTP-Method`, `X-HTTP-Method-Override` and `X-Method-Override`
 * headers, forbidden when they name a forbidden method (no S3 request needs them); and the RFC 9110
 * hop-by-hop headers not already among them (`trailers`, `proxy-connection`).
 */
const UNSENDABLE =
  /^(accept-(charset|encoding)|access-control-request-(headers|method|private-network)|connection|cookie2?|date|dnt|expect|keep-alive|origin|referer|set-cookie|te|trailers?|transfer-encoding|upgrade|via|x-(http-method(-override)?|method-override)|(proxy|sec)-.*)$/;

/** Why `name` (lower case) cannot be signed or sent, or `undefined` when it can. */
export function unsendableReason(name: string): string | undefined {
  return UNSENDABLE.test(name) ? 'a forbidden or hop-by-hop header: fetch drops it, proxies may strip it' : undefined;
}
