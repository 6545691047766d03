import {
  Q_ALGORITHM,
  Q_CREDENTIAL,
  Q_DATE,
  Q_EXPIRES,
  Q_SECURITY_TOKEN,
  Q_SIGNATURE,
  Q_SIGNED_HEADERS,
} from '../contract/query.js';
import { ALGORITHM, TERMINATOR, UNSIGNED_PAYLOAD } from './constants.js';
import { uriEncode } from './encode.js';
import { hmacHex, sha256Hex } from './hash.js';

export { hmacHex };

/** Everything SigV4 query signing needs, already validated and encoded where noted. */
export interface QuerySigningInput {
  method: string;
  /** `https://host[:port]`, no trailing slash. */
  origin: string;
  /** The `host` header value: host and port as the URL carries them. */
  host: string;
  /** The URL path, already encoded (RFC 3986, `/` kept). */
  encodedPath: string;
  /** Extra query parameters, already encoded as `[name, value]` pairs, in any order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Headers to sign besides host: lower-case names, canonical values. */
  headers: Readonly<Record<string, string>>;
  accessKeyId: string;
  sessionToken: string | undefined;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  region: string;
  service: string;
  expiresIn: number;
  signingKey: Uint8Array;
}

function byName(a: readonly [string, string], b: readonly [string, string]): number {
  // Byte order of the encoded names (all ASCII after encoding), then of the values.
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** The credential scope, `YYYYMMDD/region/service/aws4_request`, of query and POST signatures alike. */
export function credentialScope(amzDate: string, region: string, service: string): string {
  return `${amzDate.slice(0, 8)}/${region}/${service}/${TERMINATOR}`;
}

let lastCredential = { accessKeyId: '', scope: '', encoded: '' };

/** `X-Amz-Credential`, encoded; the same for every URL of a day, so the last one is kept. */
function credentialParam(accessKeyId: string, scope: string): string {
  const last = lastCredential;
  if (last.accessKeyId === accessKeyId && last.scope === scope) return last.encoded;
  const encoded = uriEncode(`${accessKeyId}/${scope}`);
  lastCredential = { accessKeyId, scope, encoded };
  return encoded;
}

function sortsLast(pair: readonly [string, string]): boolean {
  return pair[0] > 'Y';
}

/**
 * Builds the canonical request, signs it, and returns the URL with `X-Amz-Signature` appended.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export function signQuery(input: QuerySigningInput): string {
  const scope = credentialScope(input.amzDate, input.region, input.service);

  const headerNames = Object.keys(input.headers);
  let signedHeaders = 'host';
  let canonicalHeaders = `host:${input.host}\n`;
  if (headerNames.length > 0) {
    headerNames.push('host');
    headerNames.sort();
    signedHeaders = headerNames.join(';');
    canonicalHeaders = '';
    for (const name of headerNames) {
      canonicalHeaders += `${name}:${name === 'host' ? input.host : input.headers[name]}\n`;
    }
  }

  // The standard names are in byte order already. The operation's own parameters (partNumber,
  // uploadId, response-*, x-amz-meta-*) all sort after them when they start past 'X', which saves
  // sorting the whole list on the hot path; anything else is merged by a full sort.
  let queryString = `${Q_ALGORITHM}=${ALGORITHM}&${Q_CREDENTIAL}=${credentialParam(input.accessKeyId, scope)}&${Q_DATE}=${input.amzDate}&${Q_EXPIRES}=${input.expiresIn}`;
  if (input.sessionToken !== undefined) queryString += `&${Q_SECURITY_TOKEN}=${uriEncode(input.sessionToken)}`;
  queryString += `&${Q_SIGNED_HEADERS}=${headerNames.length === 0 ? 'host' : uriEncode(signedHeaders)}`;
  if (input.query.length > 0) {
    const extra = input.query.length > 1 ? [...input.query].sort(byName) : input.query;
    if (extra.every(sortsLast)) {
      for (const [name, value] of extra) queryString += `&${name}=${value}`;
    } else {
      const all = queryString.split('&').map((pair) => pair.split('=') as [string, string]);
      queryString = all
        .concat(extra as Array<[string, string]>)
        .sort(byName)
        .map(([name, value]) => `${name}=${value}`)
        .join('&');
    }
  }

  const canonicalRequest = `${input.method}\n${input.encodedPath}\n${queryString}\n${canonicalHeaders}\n${signedHeaders}\n${UNSIGNED_PAYLOAD}`;
  const stringToSign = `${ALGORITHM}\n${input.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = hmacHex(input.signingKey, stringToSign);
  return `${input.origin}${input.encodedPath}?${queryString}&${Q_SIGNATURE}=${signature}`;
}
