// Unit test of the internal s3/xml module (imported directly on purpose): its pure functions' edge
// cases are pinned here exactly; the public consumer reaches them only through a fetch
// (multipart-consumer.test.ts checks the completion body, consumer-transport.test.ts the error fields).
import { describe, expect, it } from 'vitest';
import { completeMultipartXml, parseS3ErrorXml } from '../../src/s3/xml.js';

const SHA = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';

describe('the CompleteMultipartUpload body', () => {
  it('builds the completion XML sorted, escaped, with checksums when the upload has them', () => {
    expect(
      completeMultipartXml(
        [
          { partNumber: 2, etag: '"b&<"', checksum: SHA },
          { partNumber: 1, etag: '"a"', checksum: SHA },
        ],
        'SHA256',
      ),
    ).toBe(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Part><PartNumber>1</PartNumber><ETag>"a"</ETag><ChecksumSHA256>${SHA}</ChecksumSHA256></Part>` +
        `<Part><PartNumber>2</PartNumber><ETag>"b&amp;&lt;"</ETag><ChecksumSHA256>${SHA}</ChecksumSHA256></Part>` +
        '</CompleteMultipartUpload>',
    );
  });
});

describe("S3's XML error body", () => {
  it('yields Code, Message and RequestId, entities decoded, nothing else', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &amp; so on</Message>
<AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign>
<SignatureProvided>deadbeef</SignatureProvided><RequestId>4442587FB7D0A2F9</RequestId></Error>`;
    expect(parseS3ErrorXml(xml)).toEqual({
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match & so on',
      requestId: '4442587FB7D0A2F9',
    });
  });

  it('yields nothing from an empty or non-XML body', () => {
    expect(parseS3ErrorXml('')).toEqual({});
    expect(parseS3ErrorXml('<html>Bad Gateway</html>')).toEqual({});
  });
});
