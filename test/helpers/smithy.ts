import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** node:crypto behind the `Checksum` interface @smithy/signature-v4 expects. */
class NodeSha256 {
  private hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

export interface OracleInput {
  method: string;
  hostname: string;
  /** Already-encoded path, as S3 serialisers hand it to the signer. */
  path: string;
  /** Raw (decoded) query values: the signer encodes them. */
  query: Record<string, string>;
  headers: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  signingDate: Date;
  expiresIn: number;
}

/**
 * AWS's own signer as the oracle: the headers stay headers (none hoisted), every one of them is
 * signed, and the payload is UNSIGNED-PAYLOAD without the X-Amz-Content-Sha256 parameter.
 */
export async function smithyPresign(input: OracleInput): Promise<URLSearchParams> {
  const signer = new SignatureV4({
    service: 's3',
    region: input.region,
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      ...(input.sessionToken === undefined ? {} : { sessionToken: input.sessionToken }),
    },
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const names = Object.keys(input.headers);
  const signed = await signer.presign(
    new HttpRequest({
      method: input.method,
      protocol: 'https:',
      hostname: input.hostname,
      path: input.path,
      query: input.query,
      headers: { host: input.hostname, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...input.headers },
    }),
    {
      signingDate: input.signingDate,
      expiresIn: input.expiresIn,
      unhoistableHeaders: new Set([...names, 'x-amz-content-sha256']),
      signableHeaders: new Set(names),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    },
  );
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(signed.query ?? {})) params.append(k, String(v));
  return params;
}
