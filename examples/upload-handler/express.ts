// Express: `uploads.node` is (req, res, next) middleware; a body express.json() parsed first is fine.
import express from 'express';
import type { UploadHandler } from '../../src/server/index.js';

export function expressApp(uploads: UploadHandler): express.Express {
  const app = express();
  app.post('/api/upload', express.json(), uploads.node);
  return app;
}
