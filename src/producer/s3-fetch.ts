/**
 * The multipart control calls without an SDK client: each one a request signed by the presigner
 * itself (a presigned URL of 60 s, fetched with exactly its signed headers) and S3's XML answer
 * parsed, in the SDK's input and output shapes so that one `sendCommand` serves both paths.
 * Network errors, 429 and 5xx are retried (3 attempts, full jitter), as the SDK does; S3's error
 * bodies become `ERR_S3` with the same fields as the SDK path, and no answer at all is `ERR_S3`
 * without a `status`, which the completion reads as "look at the object before anything else".
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html (and Complete,
 * Abort, ListParts, HeadObject)
 */
import type { PresignedMethod } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { completeMultipartXml, isErrorXml, parseS3ErrorXml, xmlElement } from '../s3/xml.js';
import { uriEncode } from '../sigv4/encode.js';
import { CREATE_FIELDS } from './multipart/create-fields.js';
import type { Signer } from './signing.js';

/** The multipart control calls, by their S3 (and SDK command) names. */
export type SdkOperation =
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'HeadObject';

const ATTEMPTS = 3;
const LIFETIME = 60;

interface Call {
  method: PresignedMethod;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The request of `operation` for the SDK-shaped `input`. */
function callOf(operation: SdkOperation, input: Record<string, unknown>): Call {
  const uploadId = str(input.UploadId);
  const upload: Array<[string, string]> = uploadId === undefined ? [] : [['uploadId', uriEncode(uploadId)]];
  switch (operation) {
    case 'CreateMultipartUpload': {
      const headers: Record<string, string> = {};
      for (const [header, field] of CREATE_FIELDS) {
        const value = str(input[field]);
        if (value !== undefined) headers[header] = value;
      }
      if (input.Expires instanceof Date) headers.expires = input.Expires.toUTCString();
      if (typeof input.BucketKeyEnabled === 'boolean') {
        headers['x-amz-server-side-encryption-bucket-key-enabled'] = String(input.BucketKeyEnabled);
      }
      for (const [name, value] of Object.entries((input.Metadata ?? {}) as Record<string, string>)) {
        headers[`x-amz-meta-${name}`] = value;
      }
      const algorithm = str(input.ChecksumAlgorithm);
      if (algorithm !== undefined) headers['x-amz-checksum-algorithm'] = algorithm;
      return { method: 'POST', query: [['uploads', '']], headers };
    }
    case 'CompleteMultipartUpload': {
      const parts = ((input.MultipartUpload as { Parts?: Array<Record<string, unknown>> })?.Parts ?? []).map((p) => {
        const checksum = Object.keys(p).find((name) => name.startsWith('Checksum'));
        return {
          partNumber: p.PartNumber as number,
          etag: p.ETag as string,
          checksum: checksum === undefined ? undefined : (p[checksum] as string),
          algorithm: checksum?.slice('Checksum'.length),
        };
      });
      return {
        method: 'POST',
        query: upload,
        headers: {},
        body: completeMultipartXml(parts, parts[0]?.algorithm),
      };
    }
    case 'AbortMultipartUpload':
      return { method: 'DELETE', query: upload, headers: {} };
    case 'ListParts': {
      const marker = input.PartNumberMarker;
      return {
        method: 'GET',
        query: marker === undefined ? upload : [...upload, ['part-number-marker', uriEncode(String(marker))]],
        headers: {},
      };
    }
    case 'HeadObject':
      return { method: 'HEAD', query: [], headers: {} };
  }
}

/** Every `<name>…</name>` block of `xml`. */
const blocks = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!);

/** S3's answer to `operation`, in the SDK's output shape. */
function outputOf(operation: SdkOperation, response: Response, xml: string): unknown {
  const version = response.headers.get('x-amz-version-id') ?? undefined;
  switch (operation) {
    case 'CreateMultipartUpload':
      return { UploadId: xmlElement(xml, 'UploadId') };
    case 'CompleteMultipartUpload':
      return { ETag: xmlElement(xml, 'ETag'), Location: xmlElement(xml, 'Location'), VersionId: version };
    case 'AbortMultipartUpload':
      return {};
    case 'ListParts': {
      const algorithm = xmlElement(xml, 'ChecksumAlgorithm');
      const Parts = blocks(xml, 'Part').map((part) => {
        const out: Record<string, unknown> = {
          PartNumber: Number(xmlElement(part, 'PartNumber')),
          ETag: xmlElement(part, 'ETag'),
          Size: Number(xmlElement(part, 'Size') ?? 0),
        };
        const modified = xmlElement(part, 'LastModified');
        if (modified !== undefined) out.LastModified = new Date(modified);
        if (algorithm !== undefined) out[`Checksum${algorithm}`] = xmlElement(part, `Checksum${algorithm}`);
        return out;
      });
      return {
        Parts,
        IsTruncated: xmlElement(xml, 'IsTruncated') === 'true',
        NextPartNumberMarker: xmlElement(xml, 'NextPartNumberMarker'),
        ChecksumAlgorithm: algorithm,
      };
    }
    case 'HeadObject':
      return { ETag: response.headers.get('etag') ?? undefined, VersionId: version };
  }
}

/** `ERR_S3` from S3's answer (`status` given) or from no answer at all (`status` undefined). */
function s3Error(
  operation: string,
  status: number | undefined,
  xml: string,
  requestId: string | null,
  cause?: unknown,
) {
  const fields = parseS3ErrorXml(xml);
  const code = fields.code ?? (status === 404 ? 'NotFound' : undefined);
  const details = [code, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
  const options: ConstructorParameters<typeof PresignError>[2] = { cause };
  if (code !== undefined) options.s3Code = code;
  if (fields.message !== undefined) options.s3Message = fields.message;
  if (status !== undefined) options.status = status;
  const id = fields.requestId ?? requestId ?? undefined;
  if (id !== undefined) options.requestId = id;
  return new PresignError('ERR_S3', `${operation} failed${details ? ` (${details})` : ''}`, options);
}

const retryable = (status: number | undefined) => status === undefined || status === 429 || status >= 500;

/** `operation` for the SDK-shaped `input`, sent as a request the presigner signs; the SDK-shaped output. */
export async function sendSigned<T>(
  signer: Signer,
  operation: SdkOperation,
  input: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<T> {
  const call = callOf(operation, input);
  const aborted = () => signal?.aborted === true;
  let last: PresignError | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (aborted()) throw new PresignError('ERR_ABORTED', `${operation} was aborted`, { cause: signal?.reason });
    // Signed anew each attempt: a retry never carries an old signature.
    const request = await signer.sign({
      method: call.method,
      bucket: str(input.Bucket),
      key: str(input.Key),
      query: call.query,
      headers: call.headers,
      expiresIn: LIFETIME,
      signingDate: undefined,
    });
    let response: Response;
    let xml: string;
    try {
      const init: RequestInit = { method: call.method, headers: request.headers, redirect: 'manual' };
      if (call.body !== undefined) init.body = call.body;
      if (signal !== undefined) init.signal = signal;
      response = await fetch(request.url, init);
      xml = call.method === 'HEAD' ? '' : await response.text();
    } catch (error) {
      if (aborted()) throw new PresignError('ERR_ABORTED', `${operation} was aborted`, { cause: signal?.reason });
      last = s3Error(operation, undefined, '', null, signer.scrub(error));
      await pause(attempt);
      continue;
    }
    // A 200 to CompleteMultipartUpload may carry an <Error>: S3 failed after it began answering.
    const failed = !response.ok || (operation === 'CompleteMultipartUpload' && isErrorXml(xml));
    if (!failed) return outputOf(operation, response, xml) as T;
    const status = response.ok ? 500 : response.status;
    last = s3Error(operation, status, xml, response.headers.get('x-amz-request-id'));
    if (!retryable(status)) throw last;
    await pause(attempt);
  }
  throw last as PresignError;
}

/** Full jitter before attempt `attempt + 1`: random(0, 100 ms × 2^attempt). */
const pause = (attempt: number) =>
  attempt < ATTEMPTS ? new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt)) : undefined;
