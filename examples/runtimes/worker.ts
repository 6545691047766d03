// Cloudflare Workers (wrangler.toml: `main = "worker.ts"`; no `nodejs_compat` needed: the package's
// `workerd`/`worker`/`browser` export conditions give the portable build, with no `node:crypto`).
// Secrets: `wrangler secret put S3_ACCESS_KEY_ID` and `S3_SECRET_ACCESS_KEY`.
import { presignRoute } from './presign-route.js';

interface Env {
  S3_ENDPOINT: string; // e.g. https://ACCOUNT.r2.cloudflarestorage.com for R2 (region 'auto')
  S3_REGION: string;
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}

let route: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    route ??= presignRoute({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    });
    return route(request);
  },
};
