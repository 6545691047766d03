/**
 * The little XML S3 speaks with this library, read and written in one place: escaping, entity
 * decoding, flat elements, S3's error body and the CompleteMultipartUpload body. Regular expressions,
 * not a parser: the consumer runs where DOMParser does not (Node, workers), every document read here is
 * flat, and only the elements named are read (never StringToSign, SignatureProvided and the like).
 * Web APIs only: the consumer imports this file.
 */

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
 * S3's XML error body, `<Error><Code/><Message/><RequestId/></Error>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html): the first of each, when not empty.
 */
export interface S3ErrorXml {
  code?: string;
  message?: string;
  requestId?: string;
}

export function parseS3ErrorXml(xml: string): S3ErrorXml {
  const out: S3ErrorXml = {};
  const code = xmlElement(xml, 'Code');
  const message = xmlElement(xml, 'Message');
  const requestId = xmlElement(xml, 'RequestId');
  if (code) out.code = code;
  if (message) out.message = message;
  if (requestId) out.requestId = requestId;
  return out;
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
