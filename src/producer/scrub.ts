/**
 * Errors the producer passes on, made safe to log: what comes from outside the library (an SDK
 * client's failure, a credential provider's, a URL parser's) becomes a copy that keeps the facts
 * people debug with (name, message, stack, `code`, the SDK's `$metadata`) and drops the rest (the
 * SDK's `$response`, which holds the signed request with its `Authorization` and
 * `x-amz-security-token` headers; a provider's own fields; a parser's `input`). Every string kept is
 * scrubbed of the secrets the presigner knows, of URL signatures, credentials and tokens, of userinfo,
 * of `name=value` pairs whose name says secret, and of text shaped like an AWS secret key or token.
 */
import { PresignError, redactUrl } from '../errors.js';

const REDACTED = 'REDACTED';
/** Own fields of a foreign error kept on its copy (primitives only; strings scrubbed). */
const KEPT_FIELDS = ['code', 'Code', '$fault', 'errno', 'syscall', 'statusCode'] as const;
/** The SDK's `$metadata`: what AWS support asks for, no secret in it. */
const KEPT_METADATA = ['httpStatusCode', 'requestId', 'extendedRequestId', 'cfId', 'attempts', 'totalRetryDelay'];
/** PresignError fields that may quote foreign text. */
const PRESIGN_TEXT_FIELDS = ['message', 'stack', 'hint', 's3Message'] as const;
const MAX_DEPTH = 4;

// `scheme://user:password@host`.
const USERINFO = /(\/\/)[^\s/?#@"']*@/g;
// `Authorization: AWS4-HMAC-SHA256 Credential=..., Signature=...`, `x-amz-security-token: ...`,
// `"secretAccessKey":"..."`, `password=...`: a name that says secret, then `:` or `=`, then a value.
const NAMED_SECRET =
  /((?:secret|token|password|passwd|signature|credential|authorization)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',;&)}\]]+/gi;
// An AWS secret access key is 40 base64 characters; session tokens are hundreds.
const KEY_SHAPED = /(?<![A-Za-z0-9+/])(?:[A-Za-z0-9+/]{40}|[A-Za-z0-9+/=%]{100,})(?![A-Za-z0-9+/])/g;

/** `text` without the `secrets` (raw or URL-encoded) and without anything shaped like a secret. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return redactUrl(out)
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(NAMED_SECRET, `$1${REDACTED}`)
    .replace(KEY_SHAPED, REDACTED);
}

/**
 * `value` (anything thrown or rejected with) made safe to pass on: a `PresignError` keeps its
 * identity with its text fields scrubbed and its cause replaced by a safe copy; any other error
 * becomes a plain `Error` copy (same `name`) of its safe facts and its cause chain, to
 * {@link MAX_DEPTH} levels; a string is scrubbed; a non-error object becomes an `Error` that names
 * its type only.
 */
export function scrubError(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return undefined;
  if (PresignError.is(value)) {
    const fields = value as unknown as Record<string, unknown>;
    for (const name of PRESIGN_TEXT_FIELDS) {
      const text = fields[name];
      if (typeof text === 'string') {
        const safe = scrubText(text, secrets);
        if (safe !== text) Object.defineProperty(value, name, { value: safe });
      }
    }
    if ('cause' in value) Object.defineProperty(value, 'cause', { value: scrubError(value.cause, secrets, depth + 1) });
    return value;
  }
  const foreign = value as Record<string, unknown>;
  const isError = value instanceof Error || typeof foreign.message === 'string';
  const copy = new Error(
    isError ? scrubText(String(foreign.message), secrets) : `A non-error ${describe(value)} was thrown`,
  );
  if (typeof foreign.name === 'string') copy.name = scrubText(foreign.name, secrets);
  if (isError && typeof foreign.stack === 'string') copy.stack = scrubText(foreign.stack, secrets);
  const target = copy as unknown as Record<string, unknown>;
  for (const name of KEPT_FIELDS) {
    const field = foreign[name];
    if (typeof field === 'string') target[name] = scrubText(field, secrets);
    else if (typeof field === 'number' || typeof field === 'boolean') target[name] = field;
  }
  const metadata = foreign.$metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    const kept: Record<string, string | number> = {};
    for (const name of KEPT_METADATA) {
      const field = (metadata as Record<string, unknown>)[name];
      if (typeof field === 'string') kept[name] = scrubText(field, secrets);
      else if (typeof field === 'number') kept[name] = field;
    }
    target.$metadata = kept;
  }
  if (isError && foreign.cause !== undefined) {
    Object.defineProperty(copy, 'cause', {
      value: scrubError(foreign.cause, secrets, depth + 1),
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function describe(value: object): string {
  return Array.isArray(value) ? 'array' : typeof value === 'function' ? 'function' : 'object';
}
