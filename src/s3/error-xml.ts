/**
 * S3's XML error body, `<Error><Code/><Message/><RequestId/></Error>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). Read with a regular expression:
 * the consumer runs where DOMParser does not (Node, workers) and only needs three flat elements. The
 * other elements S3 may add (StringToSign, SignatureProvided, AWSAccessKeyId...) are never read.
 */
export interface S3ErrorXml {
  code?: string;
  message?: string;
  requestId?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseS3ErrorXml(xml: string): S3ErrorXml {
  const out: Record<string, string> = {};
  // The first of each, when not empty; `Code` -> `code`, `RequestId` -> `requestId`.
  for (const [, name, value] of xml.matchAll(/<(Code|Message|RequestId)>([^<]+)</g)) {
    out[name![0]!.toLowerCase() + name!.slice(1)] ??= value!.replace(
      /&(amp|lt|gt|quot|apos);/g,
      (_, e) => ENTITIES[e]!,
    );
  }
  return out;
}
