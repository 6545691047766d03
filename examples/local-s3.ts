// An embedded S3-compatible server for the demo, the examples and the tests: nothing to install,
// no account, loopback only.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';

/** Credentials s3rver accepts out of the box. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const TEST_BUCKET = 'test-bucket';
export const TEST_REGION = 'us-east-1';

/** Every origin and method, and the ETag exposed: what a bucket behind a browser uploader needs. */
export const CORS_XML = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-amz-version-id</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface RunningS3 {
  endpoint: string;
  port: number;
  /** Requests that reached the server, for tests that prove nothing was sent. */
  requests: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined> }>;
  close(): Promise<void>;
}

/**
 * Starts @20minutes/s3rver 4.0.4 in process on 127.0.0.1, port 0, path-style, with CORS-enabled
 * buckets (`cors`, by default {@link CORS_XML}). It verifies SigV4 query signatures, signed headers
 * and expiry for real.
 */
export async function startS3(buckets: string[] = [TEST_BUCKET], cors: string = CORS_XML): Promise<RunningS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3-presign-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name, configs: [cors] })),
  });
  const requests: RunningS3['requests'] = [];
  const address = (await server.run()) as AddressInfo;
  server.httpServer.prependListener('request', (req) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
  });
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    async close() {
      // Keep-alive connections (a browser holds them open) would keep close() waiting for ever.
      const closing = server.close();
      server.httpServer.closeAllConnections();
      await closing;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
