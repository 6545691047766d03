/**
 * What the matrix test hands the flows and what they answer: plain JSON, so it crosses into every
 * runtime (baked into the bundle) and back out (stdout, an HTTP response, a page, a VM).
 */

/** The flows, in the order they run. */
export const FLOW_NAMES = [
  'presign-put',
  'presign-get',
  'presign-post',
  'upload-progress',
  'download',
  'multipart',
  'multipart-sdk',
] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

/** Where and as whom the flows talk to the test server. */
export interface FlowInput {
  /** The runtime's name, for the report. */
  runtime: string;
  endpoint: string;
  region: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Every key a runtime writes starts with it (`matrix/<runtime>/`): runtimes run side by side. */
  prefix: string;
}

/** One flow's outcome. */
export interface FlowResult {
  flow: FlowName;
  ok: boolean;
  /** The `PresignError` code when the flow failed with one. */
  code?: string;
  /** Why it failed, for people. */
  reason?: string;
  ms: number;
}

/** What a runtime answers. */
export interface FlowReport {
  runtime: string;
  results: FlowResult[];
}

/** The keys each flow writes, so the test can find what reached the server. */
export const keyOf = (input: Pick<FlowInput, 'prefix'>, flow: FlowName): string => `${input.prefix}${flow}.bin`;

/** The line a command-line runtime prints each result on (stdout may carry other lines). */
export const RESULT_LINE = 'matrix-result ';
