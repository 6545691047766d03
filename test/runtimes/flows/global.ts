/**
 * The flows as a global `runMatrix()` answering the report as JSON text, for a page (Chromium: an ES
 * module, the SDK mapped by an import map) and for the edge runtime (one script, the SDK inlined).
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { FlowInput } from './contract.js';
import { runFlows } from './flows.js';

/** Baked into the bundle by the matrix test (esbuild `define`). */
declare const MATRIX_INPUT: FlowInput;

(globalThis as { runMatrix?: () => Promise<string> }).runMatrix = async () =>
  JSON.stringify(await runFlows(MATRIX_INPUT, { S3Client }));
