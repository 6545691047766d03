/**
 * S3's XML error body, `<Error><Code/><Message/><RequestId/></Error>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). Read with regular expressions:
 * the consumer runs where DOMParser does not (Node, workers) and only needs three flat elements. The
 * other elements S3 may add (StringToSign, SignatureProvided, AWSAccessKeyId...) are never read.
 */
export interface S3ErrorXml {
  code?: string;
  message?: string;
  requestId?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m?.[1]?.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
}

export function parseS3ErrorXml(xml: string): S3ErrorXml {
  const out: S3ErrorXml = {};
  const code = element(xml, 'Code');
  const message = element(xml, 'Message');
  const requestId = element(xml, 'RequestId');
  if (code) out.code = code;
  if (message) out.message = message;
  if (requestId) out.requestId = requestId;
  return out;
}
