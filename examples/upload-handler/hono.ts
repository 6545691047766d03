// Hono: the handler takes Hono's own Web Request (`c.req.raw`) and returns its Response.
import { Hono } from 'hono';
import type { UploadHandler } from '../../src/server/index.js';

export function honoApp(uploads: UploadHandler): Hono {
  const app = new Hono();
  app.post('/api/upload', (c) => uploads.fetch(c.req.raw));
  return app;
}
