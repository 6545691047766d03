/**
 * Browser-style form upload from a presigned POST. The policy is decoded and every condition S3 would
 * check is checked here first, so a file S3 would refuse never goes on the wire.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import type { PresignedPost } from '../../contract/post.js';
import { Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_SIGNATURE } from '../../contract/query.js';
import { PresignError, type PresignErrorCode } from '../../errors.js';
import {
  FILENAME_PLACEHOLDER,
  fieldMatches,
  fieldValue,
  isExemptField,
  type ParsedCondition,
  POST_SIGNER_FIELDS,
  parseCondition,
} from '../../s3/post-policy.js';
import { xmlElement } from '../../s3/xml.js';
import { signerClock, toleranceOf } from '../clock.js';
import { checkSignature, isoMs, need, readUrl } from '../descriptor.js';
import { progressReporter } from '../progress.js';
import { withRetry } from '../retry.js';
import { responseError } from '../s3-error.js';
import { send } from '../transport.js';
import type { ParseDescriptorOptions, TransferOptions } from '../types.js';

/** Options of `submitPost`: the form's own fields, and what every transfer takes. */
export interface SubmitPostOptions extends TransferOptions {
  /**
   * The key to send, when the policy lets the page choose one (`starts-with $key`).
   * @default post.fields.key
   * @example `uploads/42/${crypto.randomUUID()}.png`
   */
  key?: string | undefined;
  /**
   * The `Content-Type` field, when the policy lets the page choose it.
   * @default post.fields['Content-Type'], else the file's own type when the policy has a Content-Type condition
   * @example 'image/png'
   */
  contentType?: string | undefined;
  /**
   * The file name sent with the file (S3 puts it where the key says `${filename}`).
   * @default the File's name, else 'blob'
   * @example 'avatar.png'
   */
  filename?: string | undefined;
  /**
   * More fields the policy asks the page for (e.g. a `starts-with $x-amz-meta-tag` condition).
   * @example { 'x-amz-meta-tag': 'holiday' }
   */
  fields?: Record<string, string> | undefined;
  /**
   * Gets a fresh presigned POST from your server when this one has expired or expires within
   * `clockTolerance`.
   * @example () => fetch('/api/presign-post').then((r) => r.json())
   */
  refresh?: (() => Promise<PresignedPost>) | undefined;
}

/** What `submitPost` resolves with once S3 has stored the file. */
export interface SubmitPostResult {
  /** S3's status: 204 by default, 200 or 201 per `success_action_status`, 303 for a redirect. */
  status: number;
  /** The object's ETag, quotes kept; needs `ExposeHeaders: ETag` in the bucket's CORS in browsers. */
  etag?: string | undefined;
  /** The object's URL (S3's `Location`), when S3 gives it and CORS exposes it. */
  location?: string | undefined;
  /** The key written, with `${filename}` replaced by the file name. */
  key: string;
}

/** A body S3 can take as the form's file. */
export type PostFile = Blob | ArrayBuffer | ArrayBufferView | string;

const CRLF = '\r\n';

interface Checked {
  post: PresignedPost;
  /** Fields to send, in order: the presigned ones, then the caller's. */
  fields: Map<string, { name: string; value: string }>;
  key: string;
  expiresAt: number;
  /** The signer's time now (see `serverTime`). */
  clock: () => number;
}

/** The signature fields a presigned POST carries, by their query names (one rule for both). */
const SIGNATURE_FIELDS = [Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_SIGNATURE];

function fail(code: PresignErrorCode, message: string, cause?: unknown): never {
  throw new PresignError(code, message, { cause });
}

function decodePolicy(policy: unknown): { expiration: number; conditions: ParsedCondition[] } {
  let json: { expiration?: unknown; conditions?: unknown } | undefined;
  try {
    const bytes = Uint8Array.from(atob(policy as string), (c) => c.charCodeAt(0));
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    fail('ERR_INVALID_POLICY', 'The policy field is not base64 JSON', cause);
  }
  const expiration = isoMs(json?.expiration);
  if (!(expiration > 0) || !Array.isArray(json?.conditions)) {
    fail('ERR_INVALID_POLICY', 'The policy needs an ISO 8601 expiration and a conditions array');
  }
  return { expiration, conditions: json.conditions.map(parseCondition) };
}

function codeOf(field: string): PresignErrorCode {
  return field === 'key'
    ? 'ERR_POLICY_KEY'
    : field === 'content-type'
      ? 'ERR_POLICY_CONTENT_TYPE'
      : 'ERR_POLICY_CONDITION';
}

/**
 * Everything S3 would refuse, refused here: shape (an http(s) URL, string fields, the signature fields
 * each once and well formed, `expiresAt` the policy's expiration), expiry on the signer's timeline,
 * each condition, fields no condition covers.
 */
function check(
  input: unknown,
  file: Blob,
  filename: string,
  options: SubmitPostOptions,
  clocks: ParseDescriptorOptions,
): Checked {
  const post = Object(input) as PresignedPost;
  const { fields } = post;
  need(post.method === 'POST', 'method');
  readUrl(post.url);
  need(fields && typeof fields === 'object' && Object.values(fields).every((v) => typeof v === 'string'), 'fields');
  const names = Object.keys(fields);
  // A field given twice in other letter cases: S3 would read one of them, not necessarily the signed one.
  need(new Set(names.map((n) => n.toLowerCase())).size === names.length, 'fields');
  const signedAt = checkSignature(
    (name) => names.filter((n) => n.toLowerCase() === name.toLowerCase()).map((n) => fields[n]!),
    SIGNATURE_FIELDS,
  );
  const policy = decodePolicy(fieldValue(fields, 'policy'));
  const { expiration: expiresAt } = policy;
  need(isoMs(post.expiresAt) === expiresAt, 'expiresAt');
  const clock = signerClock(post, signedAt, clocks);
  if (expiresAt <= clock() + toleranceOf(options)) {
    fail('ERR_EXPIRED', `The presigned POST expires at ${post.expiresAt}`);
  }

  const sent: Checked['fields'] = new Map();
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) sent.set(name.toLowerCase(), { name, value });
  };
  for (const name in fields) put(name, fields[name]);
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    const lower = name.toLowerCase();
    if (
      typeof value !== 'string' ||
      (isExemptField(lower) && !lower.startsWith('x-ignore-')) ||
      POST_SIGNER_FIELDS.includes(lower) ||
      lower === 'key' ||
      lower === 'content-type'
    ) {
      fail('ERR_INVALID_OPTION', `${name} is not for \`fields\``);
    }
    put(name, value);
  }
  put('key', options.key);
  const typed = policy.conditions.some((c) => 'field' in c && c.field === 'content-type');
  put('Content-Type', options.contentType ?? fieldValue(fields, 'content-type') ?? (typed ? file.type : undefined));

  // S3 takes the bucket from the URL, not from a field.
  const covered = new Set(['bucket']);
  for (const c of policy.conditions) {
    if (!('field' in c)) {
      if (file.size < c.min || file.size > c.max) {
        fail('ERR_POLICY_SIZE', `The file is ${file.size} bytes; the policy takes ${c.min} to ${c.max}`);
      }
    } else {
      covered.add(c.field);
      const value = sent.get(c.field)?.value;
      if (c.field !== 'bucket' && !fieldMatches(c, value)) {
        fail(
          codeOf(c.field),
          POST_SIGNER_FIELDS.includes(c.field)
            ? `The ${c.field} field was altered`
            : `The ${c.field} field is ${value === undefined ? 'missing' : JSON.stringify(value)}; the policy wants ${c.operator} ${JSON.stringify(c.value)}`,
        );
      }
    }
  }
  for (const [lower, { name }] of sent) {
    if (!covered.has(lower) && !isExemptField(lower)) fail(codeOf(lower), `The policy has no condition on ${name}`);
  }
  const key = sent.get('key')?.value ?? fail('ERR_POLICY_KEY', 'The form has no key');
  return { post, fields: sent, key: key.split(FILENAME_PLACEHOLDER).join(filename), expiresAt, clock };
}

/** `"name"` as browsers write it in multipart/form-data: quote, CR and LF percent-encoded. */
function quoted(text: string): string {
  return `"${text.replace(/["\r\n]/g, (c) => encodeURIComponent(c))}"`;
}

/** multipart/form-data as a Blob: the fields, then the file last as S3 requires; the file is not copied. */
function formBody(fields: Checked['fields'], file: Blob, filename: string) {
  const boundary = `----s3-presign-${crypto.getRandomValues(new Uint32Array(3)).join('-')}`;
  let text = '';
  for (const { name, value } of fields.values()) {
    text += `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoted(name)}${CRLF}${CRLF}${value}${CRLF}`;
  }
  const type = fields.get('content-type')?.value || file.type || 'application/octet-stream';
  text += `--${boundary}${CRLF}Content-Disposition: form-data; name="file"; filename=${quoted(filename)}${CRLF}Content-Type: ${type}${CRLF}${CRLF}`;
  const head = new TextEncoder().encode(text);
  return { body: new Blob([head, file, `${CRLF}--${boundary}--${CRLF}`]), boundary, head: head.byteLength };
}

/**
 * Uploads `file` with a presigned POST: a multipart/form-data body with the policy's fields first and
 * the file last. Before any request, refuses with its own code what S3 would refuse: a size outside
 * `content-length-range` (`ERR_POLICY_SIZE`), a content type (`ERR_POLICY_CONTENT_TYPE`) or key
 * (`ERR_POLICY_KEY`) breaking its condition, any other field breaking one or missing from the policy
 * (`ERR_POLICY_CONDITION`), an expired policy (`ERR_EXPIRED`).
 *
 * @example
 * const post = await (await fetch('/api/presign-post')).json();
 * const { key, etag } = await submitPost(post, input.files[0], { onProgress });
 */
export async function submitPost(
  post: PresignedPost,
  file: PostFile,
  options: SubmitPostOptions = {},
): Promise<SubmitPostResult> {
  const blob =
    file instanceof Blob
      ? file
      : typeof file === 'string' || ArrayBuffer.isView(file) || file instanceof ArrayBuffer
        ? new Blob([file as BlobPart])
        : fail('ERR_INVALID_BODY', 'submitPost takes a Blob, File, ArrayBuffer, typed array or string');
  const filename = options.filename ?? ((blob as File).name || 'blob');
  for (const option of [options.key, options.contentType, filename]) {
    if (option !== undefined && typeof option !== 'string')
      fail('ERR_INVALID_OPTION', 'key, contentType and filename are strings');
  }
  let checked: Checked;
  try {
    checked = check(post, blob, filename, options, options);
  } catch (error) {
    if ((error as PresignError).code !== 'ERR_EXPIRED' || !options.refresh) throw error;
    // `serverTime` tells of `post` only.
    checked = check(await options.refresh(), blob, filename, options, { now: options.now });
  }
  const { body, boundary, head } = formBody(checked.fields, blob, filename);
  const report = progressReporter(options.onProgress);
  const { url } = checked.post;
  // A success_action_redirect is answered with a 303: reported, not followed.
  const redirect = checked.fields.has('success_action_redirect');
  const fetcher = options.fetch ?? (redirect ? fetch : undefined);

  // The answer's body is read inside the attempt, while the caller's signal can still stop it.
  const { response, xml } = await withRetry(
    async ({ signal }) => {
      if (checked.expiresAt <= checked.clock())
        fail('ERR_EXPIRED', 'The presigned POST expired before the upload started');
      const res = await send({
        method: 'POST',
        url,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        size: body.size,
        onUploadProgress:
          options.onProgress && ((sent) => report(Math.min(Math.max(sent - head, 0), blob.size), blob.size)),
        signal,
        fetch: fetcher,
        redirectOk: redirect,
      });
      if (!res.ok && res.status !== 303 && res.type !== 'opaqueredirect') throw await responseError(res, 'POST', url);
      return { response: res, xml: res.status === 201 ? await res.text().catch(() => '') : '' };
    },
    { retry: options.retry, signal: options.signal },
  );
  report(blob.size, blob.size, true);

  const etag = response.headers.get('etag') ?? xmlElement(xml, 'ETag');
  const location = response.headers.get('location') ?? xmlElement(xml, 'Location');
  return {
    status: response.type === 'opaqueredirect' ? 303 : response.status,
    key: xmlElement(xml, 'Key') ?? checked.key,
    ...(etag ? { etag } : {}),
    ...(location ? { location } : {}),
  };
}
