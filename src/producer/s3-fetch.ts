/**
 * The multipart control calls without an SDK client: each one a request signed by the presigner
 * itself (a presigned URL of 60 s, fetched with exactly its signed headers) and S3's XML answer
 * parsed, in the SDK's input and output shapes so that one `sendCommand` serves both paths.
 * Network errors, 429 and 5xx are retried (3 attempts, full jitter: the consumer's withRetry); S3's error
 * bodies become `ERR_S3` with the same fields as the SDK path, and no answer at all is `ERR_S3`
 * without a `status`, which the completion reads as "look at the object before anything else".
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html (and Complete,
 * Abort, ListParts, HeadObject)
 */

import { withRetry } from '../consumer/retry.js';
import type { PresignedMethod } from '../contract/request.js';
import { isPresignError, PresignError } from '../errors.js';
import {
  completeMultipartXml,
  completionChecksum,
  conditionFailure,
  isErrorXml,
  parseS3ErrorXml,
  xmlBlocks,
  xmlElement,
} from '../s3/xml.js';
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

/** The request of `operation` for the SDK-shaped `input`, with the headers every operation may take. */
function callOf(operation: SdkOperation, input: Record<string, unknown>): Call {
  const call = operationCall(operation, input);
  const owner = str(input.ExpectedBucketOwner);
  if (owner !== undefined) call.headers['x-amz-expected-bucket-owner'] = owner;
  return call;
}

/** The checksum fields of an SDK input or output (`ChecksumCRC64NVME`...), as [algorithm, value]. */
const checksumFields = (record: Record<string, unknown>) =>
  Object.entries(record).flatMap(([name, value]) =>
    /^Checksum(CRC|SHA)/.test(name) && typeof value === 'string'
      ? [[name.slice('Checksum'.length), value] as const]
      : [],
  );

function operationCall(operation: SdkOperation, input: Record<string, unknown>): Call {
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
      const type = str(input.ChecksumType);
      if (type !== undefined) headers['x-amz-checksum-type'] = type;
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
      const headers: Record<string, string> = {};
      for (const [algorithm, value] of checksumFields(input))
        headers[`x-amz-checksum-${algorithm.toLowerCase()}`] = value;
      const type = str(input.ChecksumType);
      if (type !== undefined) headers['x-amz-checksum-type'] = type;
      const ifNoneMatch = str(input.IfNoneMatch);
      if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
      const ifMatch = str(input.IfMatch);
      if (ifMatch !== undefined) headers['if-match'] = ifMatch;
      return { method: 'POST', query: upload, headers, body: completeMultipartXml(parts, parts[0]?.algorithm) };
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

/** S3's answer to `operation`, in the SDK's output shape. */
function outputOf(operation: SdkOperation, response: Response, xml: string): unknown {
  const version = response.headers.get('x-amz-version-id') ?? undefined;
  switch (operation) {
    case 'CreateMultipartUpload':
      return { UploadId: xmlElement(xml, 'UploadId') };
    case 'CompleteMultipartUpload': {
      const out: Record<string, unknown> = {
        ETag: xmlElement(xml, 'ETag'),
        Location: xmlElement(xml, 'Location'),
        VersionId: version,
        ChecksumType: xmlElement(xml, 'ChecksumType'),
      };
      const checksum = completionChecksum(xml);
      if (checksum) out[`Checksum${checksum.algorithm}`] = checksum.value;
      return out;
    }
    case 'AbortMultipartUpload':
      return {};
    case 'ListParts': {
      const algorithm = xmlElement(xml, 'ChecksumAlgorithm');
      const Parts = xmlBlocks(xml, 'Part').map((part) => {
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

/** What either path knows of a failed control call: S3's fields, where there was an answer. */
export interface S3Failure {
  code?: string | undefined;
  message?: string | undefined;
  /** Undefined when no answer arrived. */
  status?: number | undefined;
  requestId?: string | undefined;
}

/**
 * The `ERR_S3` of a failed control call, one shape for the SDK path and this one: its message names
 * the operation, code and status; S3's fields are on the error; `cause` is already scrubbed.
 */
export function s3Failure(operation: string, failure: S3Failure, cause?: unknown): PresignError {
  const { code, status } = failure;
  const details = [code, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
  const options: ConstructorParameters<typeof PresignError>[2] = { cause };
  if (code !== undefined) options.s3Code = code;
  if (failure.message !== undefined) options.s3Message = failure.message;
  if (status !== undefined) options.status = status;
  if (failure.requestId !== undefined) options.requestId = failure.requestId;
  const condition = conditionFailure(status, code);
  if (condition !== undefined) options.hint = condition.hint;
  return new PresignError(condition?.code ?? 'ERR_S3', `${operation} failed${details ? ` (${details})` : ''}`, options);
}

/** `operation` for the SDK-shaped `input`, sent as a request the presigner signs; the SDK-shaped output. */
export async function sendSigned<T>(
  signer: Signer,
  operation: SdkOperation,
  input: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<T> {
  const call = callOf(operation, input);
  try {
    return await withRetry(
      async (attempt) => {
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
          const init: RequestInit = {
            method: call.method,
            headers: request.headers,
            redirect: 'manual',
            signal: attempt.signal,
          };
          if (call.body !== undefined) init.body = call.body;
          response = await fetch(request.url, init);
          xml = call.method === 'HEAD' ? '' : await response.text();
        } catch (error) {
          throw new PresignError('ERR_NETWORK', `${operation} got no answer`, { cause: signer.scrub(error) });
        }
        // A 200 to CompleteMultipartUpload may carry an <Error>: S3 failed after it began answering.
        const failed = !response.ok || (operation === 'CompleteMultipartUpload' && isErrorXml(xml));
        if (!failed) return outputOf(operation, response, xml) as T;
        const fields = parseS3ErrorXml(xml);
        const status = response.ok ? 500 : response.status;
        throw s3Failure(operation, {
          code: fields.code ?? (status === 404 ? 'NotFound' : undefined),
          message: fields.message,
          status,
          requestId: fields.requestId ?? response.headers.get('x-amz-request-id') ?? undefined,
        });
      },
      { retry: ATTEMPTS - 1, signal },
    );
  } catch (error) {
    // No answer at all is ERR_S3 without a status, as on the SDK path (the completion then looks
    // at the object before anything else).
    if (!isPresignError(error, 'ERR_NETWORK')) throw error;
    throw s3Failure(operation, {}, error.cause);
  }
}
