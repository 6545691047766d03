/**
 * The little XML S3 speaks with this library, read and written in one place: escaping, entity
 * decoding, flat elements, S3's error body and the CompleteMultipartUpload body. Regular expressions,
 * not a parser: the consumer runs where DOMParser does not (Node, workers), every document read here is
 * flat, and only the elements named are read (never StringToSign, SignatureProvided and the like).
 * Web APIs only: the consumer imports this file.
 */

import { CHECKSUM_BYTES, type ChecksumAlgorithm } from './checksum-algorithms.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Text as XML element content: `&`, `<` and `>` escaped (quotes need no escape outside attributes,
 * and an ETag keeps its quotes as the SDK sends them).
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

/** XML character data as text: the five predefined entities and numeric references decoded. */
export function decodeXml(text: string): string {
  return text.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g, (match, name, dec, hex) => {
    if (name) return ENTITIES[name]!;
    const code = dec ? Number(dec) : Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

/** The decoded text of the first `<name>` element of `xml` that holds only text, if any. */
export function xmlElement(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return text === undefined ? undefined : decodeXml(text);
}

/**
 * The object's checksum a CompleteMultipartUpload answer reports (`<ChecksumCRC64NVME>`..., with
 * `<ChecksumType>`), if any.
 */
export function completionChecksum(
  xml: string,
): { algorithm: ChecksumAlgorithm; value: string; type: string | undefined } | undefined {
  for (const algorithm of Object.keys(CHECKSUM_BYTES) as ChecksumAlgorithm[]) {
    const value = xmlElement(xml, `Checksum${algorithm}`);
    if (value !== undefined) return { algorithm, value, type: xmlElement(xml, 'ChecksumType') };
  }
  return undefined;
}

/** The inner XML of every `<name>…</name>` element of `xml`, in order (the `<Part>`s of ListParts). */
export const xmlBlocks = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!);

/**
 * S3's XML error body, `<Error><Code/><Message/><RequestId/></Error>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html): the first of each, when not empty.
 */
export interface S3ErrorXml {
  code?: string;
  message?: string;
  requestId?: string;
  /**
   * `<Expires>`: the instant a presigned request stopped working, which S3 adds (with `<ServerTime>`)
   * to the `AccessDenied` it answers an expired one with.
   */
  expires?: string;
}

const ERROR_FIELDS = { code: 'Code', message: 'Message', requestId: 'RequestId', expires: 'Expires' } as const;

export function parseS3ErrorXml(xml: string): S3ErrorXml {
  const out: S3ErrorXml = {};
  for (const [field, element] of Object.entries(ERROR_FIELDS)) {
    const text = xmlElement(xml, element);
    if (text) out[field as keyof S3ErrorXml] = text;
  }
  return out;
}

/** S3's codes for a request signed with credentials that have expired. */
const STALE_CREDENTIAL_CODES = ['ExpiredToken', 'TokenRefreshRequired'];

/**
 * Whether S3 refused a request only because its signature or credentials are too old: the one refusal
 * a freshly signed request cures. Decided from the error's code and elements, never from its message.
 */
export const isStaleSignature = (error: S3ErrorXml): boolean =>
  STALE_CREDENTIAL_CODES.includes(error.code ?? '') || (error.code === 'AccessDenied' && error.expires !== undefined);

/**
 * The code of a failed condition, and what to do about it: 412 `PreconditionFailed` (an `If-Match`
 * or `If-None-Match` that did not hold: not worth retrying as it is) and 409
 * `ConditionalRequestConflict` (another conditional write to the key raced this one: retry when asked).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export function conditionFailure(
  status: number | undefined,
  code: string | undefined,
): { code: 'ERR_PRECONDITION_FAILED' | 'ERR_CONDITIONAL_CONFLICT'; hint: string } | undefined {
  if (status === 412) {
    return {
      code: 'ERR_PRECONDITION_FAILED',
      hint: 'the object exists or changed: read it again',
    };
  }
  if (code === 'ConditionalRequestConflict') {
    return {
      code: 'ERR_CONDITIONAL_CONFLICT',
      hint: 'a concurrent write: retry with retry.statusCodes [409]',
    };
  }
  return undefined;
}

/** Whether an S3 answer is an `<Error>` document (S3 may send one with a 200 to CompleteMultipartUpload). */
export const isErrorXml = (xml: string): boolean => /<Error>/.test(xml);

/** A part as CompleteMultipartUpload names it. */
export interface CompleteXmlPart {
  partNumber: number;
  etag: string;
  checksum?: string | undefined;
}

/**
 * The CompleteMultipartUpload body, parts sorted by part number as S3 requires, each with its checksum
 * when the upload has a checksum algorithm.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
export function completeMultipartXml(parts: readonly CompleteXmlPart[], checksumAlgorithm?: string): string {
  let xml = '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
  for (const part of [...parts].sort((a, b) => a.partNumber - b.partNumber)) {
    xml += `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag>`;
    if (checksumAlgorithm && part.checksum !== undefined) {
      xml += `<Checksum${checksumAlgorithm}>${escapeXml(part.checksum)}</Checksum${checksumAlgorithm}>`;
    }
    xml += '</Part>';
  }
  return `${xml}</CompleteMultipartUpload>`;
}
