/**
 * The flows as a script, for Node, Bun and Deno: one line per result on stdout. `@aws-sdk/client-s3`
 * stays an import, resolved from node_modules as an app's would be (the bundle is written inside the
 * repository for that), so the client here and the one the presigner loads are the same module.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type FlowInput, RESULT_LINE } from './contract.js';
import { runFlows } from './flows.js';

/** Baked into the bundle by the matrix test (esbuild `define`). */
declare const MATRIX_INPUT: FlowInput;

await runFlows(MATRIX_INPUT, {
  S3Client,
  onResult: (result) => console.log(RESULT_LINE + JSON.stringify(result)),
});
