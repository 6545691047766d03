// Bun: `bun run bun.ts`. Bun gets the node:crypto build through the `node` export condition.
import { presignRoute } from './presign-route.js';

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Promise<Response> }): unknown;
};
const env = (name: string): string => process.env[name] ?? '';

Bun.serve({
  port: Number(env('PORT') || 8000),
  hostname: '127.0.0.1',
  fetch: presignRoute({
    endpoint: env('S3_ENDPOINT') || undefined,
    region: env('S3_REGION') || 'us-east-1',
    bucket: env('S3_BUCKET'),
    credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
  }),
});
