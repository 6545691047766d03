/**
 * The flows as a Worker, for workerd: any request runs them and answers the report. The SDK is a
 * module of its own in the worker's config (its browser build, as wrangler would bundle it), found by
 * name both by this import and by the presigner's run-time import.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { FlowInput } from './contract.js';
import { runFlows } from './flows.js';

/** Baked into the bundle by the matrix test (esbuild `define`). */
declare const MATRIX_INPUT: FlowInput;

export default {
  async fetch(): Promise<Response> {
    return Response.json(await runFlows(MATRIX_INPUT, { S3Client }));
  },
};
