/**
 * The runtime matrix: the same producer and consumer flows (test/runtimes/flows/flows.ts: presign
 * GET, PUT and POST, upload with progress, download, 12 MiB multipart with and without an SDK
 * client) against the real test server, in Node 20, 22 and 24, Bun, Deno, workerd with and without
 * nodejs_compat, the edge runtime and Chromium, every one a pinned dev dependency
 * (test/runtimes/hosts.ts). One test per runtime; a failure names the runtime, the flow and why.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../helpers/canary.js';
import { type RunningS3, startS3, TEST_BUCKET, TEST_REGION } from '../helpers/s3-server.js';
import { FLOW_NAMES, type FlowInput, type FlowName, keyOf } from './flows/contract.js';
import { createWorkspace, ROOT, RUNTIMES, type RuntimeRun, type Workspace } from './hosts.js';

/** What the bundles are made from: the package as built. */
const DIST_FILES = ['index.js', 'portable/index.js', 'consumer/index.js', 'consumer/multipart.js', 'consumer/post.js'];

/**
 * Flows that cannot pass in a runtime, with how they must fail instead (the code, and the reason's
 * words), and why. Each still runs: the day it passes, this test fails and the docs are due.
 */
const CANNOT: Record<string, Partial<Record<FlowName, { code: string; reason: RegExp }>>> = {
  // The presigner loads `@aws-sdk/client-s3` only when a client is given, by name at run time
  // (`import(name)`, so that no bundle carries the SDK). @edge-runtime/vm evaluates one script with
  // no module loader behind `import()` (Node's vm without `importModuleDynamically`), as an edge
  // function is one bundle: the client constructs (the SDK's browser build is inlined), but the
  // presigner cannot reach the SDK's commands and refuses before any request. Multipart there goes
  // without the SDK (`multipart`).
  edge: { 'multipart-sdk': { code: 'ERR_MISSING_CLIENT', reason: /@aws-sdk\/client-s3/ } },
  // Without nodejs_compat the SDK can only be its browser build (what wrangler bundles), whose XML
  // parser needs DOMParser, which workerd does not have: S3's answer to CreateMultipartUpload
  // cannot be read (aws/aws-sdk-js-v3#7375). With nodejs_compat, the SDK's Node build works.
  workerd: { 'multipart-sdk': { code: 'ERR_S3', reason: /DOMParser is not defined/ } },
};

let s3: RunningS3;
let workspace: Workspace;
const runs = new Map<string, RuntimeRun>();

async function builtOrBuild(): Promise<void> {
  const missing = await Promise.all(
    DIST_FILES.map((file) =>
      access(join(ROOT, 'dist', file)).then(
        () => undefined,
        () => file,
      ),
    ),
  );
  if (missing.some((file) => file !== undefined)) {
    // `npm test` builds before vitest; run alone, this file builds what it bundles rather than skip.
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: 170_000 });
  }
}

beforeAll(async () => {
  await builtOrBuild();
  s3 = await startS3();
  workspace = await createWorkspace();
}, 180_000);

afterAll(async () => {
  await workspace?.close();
  await s3?.close();
  const rows = [...runs.values()].map(
    (run) =>
      `${run.runtime.padEnd(22)} ${run.producerBuild.padEnd(9)} ${run.version ?? ''} ${FLOW_NAMES.map((flow) => {
        const result = run.results.find((r) => r.flow === flow);
        return `${flow} ${result ? (result.ok ? 'pass' : `FAIL ${result.code ?? ''}`) : 'none'} ${result?.ms ?? '-'}ms`;
      }).join(' | ')}`,
  );
  console.log(`runtime matrix:\n${rows.join('\n')}`);
});

/** What reached the server for a flow's key with `method`: its framing, for a failure's message. */
function wire(key: string, method: string): string {
  const sent = s3.requests.filter((r) => r.method === method && r.url.split('?')[0]!.endsWith(`/${key}`));
  return sent
    .map(
      (r) =>
        `content-length: ${r.headers['content-length'] ?? 'none'}, transfer-encoding: ${r.headers['transfer-encoding'] ?? 'none'}`,
    )
    .join('; ');
}

describe.concurrent('the flows, run in each runtime against the S3 server', () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime.id}: ${runtime.title}`, { timeout: 150_000 }, async () => {
      const input: FlowInput = {
        runtime: runtime.id,
        endpoint: s3.endpoint,
        region: TEST_REGION,
        bucket: TEST_BUCKET,
        credentials: { ...CANARY },
        prefix: `matrix/${runtime.id}/`,
      };
      const run = await runtime.run(workspace, input);
      runs.set(runtime.id, run);
      if (runtime.version) expect(run.version, `${runtime.id}'s version`).toMatch(runtime.version);
      // The export conditions gave the runtime the producer build its users get.
      expect(run.producerBuild, `${runtime.id}'s producer build`).toBe(runtime.producerBuild);

      const failures: string[] = [];
      for (const flow of FLOW_NAMES) {
        const result = run.results.find((r) => r.flow === flow);
        const cannot = CANNOT[runtime.id]?.[flow];
        if (!result) {
          failures.push(`${runtime.id} / ${flow}: no result (${run.log.slice(0, 2000)})`);
        } else if (cannot !== undefined) {
          if (result.ok || result.code !== cannot.code || !cannot.reason.test(result.reason ?? '')) {
            failures.push(
              `${runtime.id} / ${flow}: expected ${cannot.code} (${cannot.reason}), got ${result.ok ? 'a pass' : result.reason}`,
            );
          }
        } else if (!result.ok) {
          const sent = flow === 'presign-post' ? '' : wire(keyOf(input, flow), 'PUT');
          failures.push(`${runtime.id} / ${flow}: ${result.reason}${sent ? ` (PUTs sent: ${sent})` : ''}`);
        }
      }
      expect(failures).toEqual([]);

      // Progress never changes the wire: the upload with progress went with its length, unchunked.
      const progressKey = keyOf(input, 'upload-progress');
      expect(wire(progressKey, 'PUT'), `${runtime.id} / upload-progress`).toBe(
        'content-length: 1048576, transfer-encoding: none',
      );
    });
  }
});
