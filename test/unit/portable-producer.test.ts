/**
 * Issue 11, item 1: one producer for every runtime. The package's `node` export condition gets
 * dist/index.* (hashing on node:crypto); every other runtime gets dist/portable/index.* (the same
 * source with src/sigv4/hash.portable.ts: plain JavaScript, no node:*). Both are built by `npm test`
 * before this file runs. The two must produce the same bytes for every input, and the portable one
 * must run where there is nothing of Node.
 */
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validKey } from '../helpers/producer-arbitraries.js';
import { type VerifierKey, verifyDescriptor } from '../helpers/sigv4-verifier.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Producer = typeof import('../../src/index.js');
/** A build in dist/ (made by `npm test` before vitest runs; missing, this file fails). */
const built = (path: string): Promise<Producer> => import(new URL(`../../dist/${path}`, import.meta.url).href);
const nodeBuild = await built('index.js');
const portableBuild = await built('portable/index.js');
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/%=',
};
const verifierKey: VerifierKey = { ...credentials, region: 'eu-west-1' };
const options = {
  region: 'eu-west-1',
  bucket: 'examplebucket',
  credentials,
  now: () => new Date('2026-12-04T12:00:00Z'),
};
const node = nodeBuild.createPresigner(options);
const portable = portableBuild.createPresigner(options);

/** Keys with non-ASCII characters, spaces and `+`, as well as the generated ones. */
const key = fc.oneof(validKey, fc.constantFrom('ünïcödé/ファイル.png', 'a b+c/d e.txt', '+/+ +.bin', '😀/é'));
const secret = fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' });

describe('the node and portable builds', () => {
  it('sign the same URLs, headers and POST fields for 2,000 generated inputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        key,
        fc.integer({ min: 1, max: 604_800 }),
        fc.constantFrom('GET', 'PUT', 'POST') as fc.Arbitrary<'GET' | 'PUT' | 'POST'>,
        async (k, expiresIn, kind) => {
          if (kind === 'GET') {
            const [a, b] = await Promise.all([node, portable].map((p) => p.presignGet({ key: k, expiresIn })));
            expect(b).toEqual(a);
            expect(verifyDescriptor(a!, verifierKey)).toBeUndefined();
          } else if (kind === 'PUT') {
            const put = { key: k, expiresIn, contentType: 'image/png', metadata: { owner: 'ann' } };
            const [a, b] = await Promise.all([node, portable].map((p) => p.presignPut(put)));
            expect(b).toEqual(a);
          } else {
            const post = { key: k, expiresIn, conditions: [['content-length-range', 0, 1024]] as const };
            const [a, b] = await Promise.all([node, portable].map((p) => p.presignPost(post as never)));
            expect(b).toEqual(a);
          }
        },
      ),
      { numRuns: 2_000, seed: 11_1 },
    );
  });

  it('derive the same signing keys from any secret (non-ASCII included)', async () => {
    await fc.assert(
      fc.asyncProperty(secret, async (secretAccessKey) => {
        const o = { ...options, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey } };
        const [a, b] = await Promise.all(
          [nodeBuild, portableBuild].map((m) => m.createPresigner(o).presignGet({ key: 'k' })),
        );
        expect(b).toEqual(a);
      }),
      { numRuns: 500, seed: 11_2 },
    );
  });
});

/** dist/portable/index.js bundled as a browser or worker app would be, as one script. */
async function portableScript(): Promise<{ code: string; imports: string[]; warnings: string[] }> {
  const result = await build({
    stdin: {
      contents: "export { createPresigner } from './dist/portable/index.js';",
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    globalName: 'S3Presign',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    // What a page or a worker without nodejs_compat lacks: a node:* import fails the build.
    logLevel: 'silent',
  });
  return {
    code: result.outputFiles[0]!.text,
    imports: Object.keys(result.metafile.inputs),
    warnings: result.warnings.map((w) => w.text),
  };
}

describe('the portable build', () => {
  it('bundles for the browser without a warning, with nothing of node:* or the SDK: no module but itself (@noble/hashes is inlined)', async () => {
    const { imports, warnings } = await portableScript();
    expect(warnings).toEqual([]);
    // Nothing of @aws-sdk/client-s3 either: it is loaded at run time, only when a client is given.
    expect(imports.filter((m) => m.startsWith('node:'))).toEqual([]);
    expect(imports.sort()).toEqual(['<stdin>', 'dist/portable/index.js']);
  });

  it('presigns in the edge runtime (@edge-runtime/vm: Web APIs only, no process, no Buffer) as Node does', async () => {
    const { code } = await portableScript();
    const vm = new EdgeVM();
    expect(vm.evaluate('typeof Buffer + typeof process')).toBe('undefinedundefined');
    vm.evaluate(code);
    const inEdge = await vm.evaluate(
      `S3Presign.createPresigner(${JSON.stringify({ ...options, now: undefined })}).presignPut({ key: 'é b+c.png', contentType: 'image/png', signingDate: new Date('2026-12-04T12:00:00Z') })`,
    );
    const inNode = await node.presignPut({
      key: 'é b+c.png',
      contentType: 'image/png',
      signingDate: new Date('2026-12-04T12:00:00Z'),
    });
    expect(JSON.parse(JSON.stringify(inEdge))).toEqual(inNode);
  });
});
