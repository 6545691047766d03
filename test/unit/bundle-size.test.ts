import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KB = 1024;

/**
 * Budgets (gzip, bundled for the browser with esbuild, minified; aws4fetch is 2.6 KB, @uppy/aws-s3
 * 10.8 KB), as issue 9 set them when it chose readable code over the smallest: upload + download
 * 4.0 KB, the whole `s3-presign/consumer` entry 5 KB, `s3-presign/consumer/multipart` 7 KB, `/post`
 * 5.5 KB.
 *
 * None is met today, knowingly, and each budget below is the measured size, so any growth fails:
 * - Issue 10's fault handling (retried aborts, a lost completion looked for with the signed HEAD,
 *   NoSuchUpload as done, `leftOpen` on every error) took multipart from 6.95 KB to 7.28 KB.
 * - Issue 10's strict receipt (every SigV4 parameter once and well formed, a real X-Amz-Date on the
 *   credential's day, own-property headers with values that travel, unsendable names refused when
 *   sending, the signer's clock with `serverTime`, redirects refused, plans within S3's limits) added
 *   1.1 KB to every entry: upload + download 3.97 -> 5.08 KB, the entry 4.35 -> 5.44 KB, multipart
 *   7.28 -> 8.58 KB, post 4.76 -> 5.71 KB. Of that, the descriptor checks are 0.7 KB minified
 *   (src/consumer/descriptor.ts), the signer's clock 0.66 KB (clock.ts), the unsendable-header
 *   pattern 0.38 KB (s3/unsendable-headers.ts), redirects and header checks 0.5 KB.
 * - Issue 11's "progress never changes the wire" (a stream framed by length where the runtime can:
 *   workerd's FixedLengthStream, Node and Bun by the header; a stream refused elsewhere with
 *   ERR_STREAM_UNSUPPORTED; a Blob read through its own stream, cut into 64 KiB views) added 0.17 KB:
 *   upload + download 5.08 -> 5.25 KB, the entry 5.44 -> 5.62, multipart 8.57 -> 8.74, post 5.71 ->
 *   5.84, uploadFile 9.63 -> 9.80; retrying the handler's idempotent calls took uploadFile to 9.82.
 * - Issue 13 (integrity): the codes and hints of failed conditions (412, 409) added 0.14 KB to every
 *   entry; the checksum code itself is loaded by `import()` only when a download verifies or an upload
 *   has a checksum (the checks below prove no entry carries it up front), but the hooks that load it
 *   (download's verifier, the part CRCs and the whole-object CRC of multipart, uploadFile's sign-put)
 *   and the chunk glue of code splitting took upload + download 5.39 -> 5.64 KB, the entry 5.76 ->
 *   6.00, multipart 8.88 -> 9.49, post 5.99, uploadFile 9.97 -> 10.69 (9.33 and 10.54 once the part
 *   checksums went through the checksum module only). Sizes are now measured with
 *   splitting (what an app's bundler does with `import()`), one gzip over the chunks loaded up front.
 * Meeting issue 9's figures would mean dropping checks issue 10 requires; a trim that wins bytes back
 * lowers these.
 *
 * `s3-presign/consumer/upload` (uploadFile, issue 12) is DESIGN.md's 9 KB: it carries upload and the
 * whole multipart engine, and measured 8.36 KB (8,560 bytes) when it was written; with issue 10's
 * receipt checks it is 9.63 KB (not met, by the same 1.2 KB as the entries above), so the budget is
 * 9.7 KB.
 *
 * `s3-presign/consumer/checksum` (issue 13: CRC32, CRC32C and CRC64NVME by slicing-by-16, their
 * combination, SHA through WebCrypto) has no budget of DESIGN.md's; its target is its measured size.
 * It measured 2.84 KB (2,909 bytes) when written. It is an entry of its own so that the other entries
 * carry none of it: each is checked for it below.
 */
const TARGET = {
  uploadDownload: 5.65 * KB,
  entry: 6.02 * KB,
  multipart: 9.35 * KB,
  post: 6.0 * KB,
  uploadFile: 10.55 * KB,
  checksum: 2.85 * KB,
};
/** What a browser bundle of the consumer must never contain: `node:*`, the producer, the signer, the server. */
const FORBIDDEN = /^node:|(^|\/)src\/(producer|sigv4|server)\/|(^|\/)src\/index\.ts$/;
/** What the `s3-presign/consumer` entry must not carry either: the subpaths' own code. */
const SUBPATHS = /(^|\/)src\/(consumer\/multipart\/.*|consumer\/post\/.*|s3\/post-policy\.ts)$/;
/** What no entry but `s3-presign/consumer/checksum` carries: pages that use no checksum never load its tables' code. */
const CHECKSUM = /(^|\/)src\/consumer\/checksum\//;

interface Bundle {
  /** Gzip bytes of what the page loads up front: the entry's chunk and the chunks it imports statically. */
  gzipBytes: number;
  /** Every module that goes in up front, and every import left outside. */
  modules: string[];
  /** Modules only in chunks loaded by `import()` when a feature needs them (e.g. checksums). */
  lazy: string[];
}

/**
 * Bundles `source` as a browser app would (esbuild, minified, ESM, code splitting, so an `import()`
 * becomes a chunk of its own loaded when called), and measures what loads up front, gzipped.
 */
async function bundle(source: string): Promise<Bundle> {
  const result = await build({
    entryPoints: ['virtual:entry'],
    plugins: [
      {
        name: 'virtual-entry',
        setup(b) {
          b.onResolve({ filter: /^virtual:entry$/ }, () => ({ path: 'entry', namespace: 'virtual' }));
          b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({
            contents: source,
            resolveDir: ROOT,
            loader: 'ts',
          }));
        },
      },
    ],
    bundle: true,
    splitting: true,
    outdir: '/virtual-out',
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    // Kept outside rather than failing the build, so the test can name what was pulled in.
    external: ['node:*'],
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name]!.entryPoint !== undefined)!;
  const upFront = new Set<string>();
  const visit = (name: string) => {
    if (upFront.has(name)) return;
    upFront.add(name);
    for (const i of outputs[name]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  const inputsOf = (names: Iterable<string>) => [...names].flatMap((name) => Object.keys(outputs[name]!.inputs));
  const files = new Map(result.outputFiles.map((f) => [f.path.slice(f.path.indexOf('/virtual-out')).slice(1), f]));
  const bytesOf = (name: string) =>
    files.get(name)?.contents ?? files.get(`virtual-out/${name.split('/').pop()}`)?.contents;
  const modules = inputsOf(upFront);
  const external = [...upFront].flatMap((name) => outputs[name]!.imports.filter((i) => i.external).map((i) => i.path));
  const lazy = inputsOf(Object.keys(outputs).filter((name) => !upFront.has(name))).filter((m) => !modules.includes(m));
  // One gzip over the up-front chunks, as the budgets were measured before splitting (an app's
  // bundler merges the shared chunk with its own code).
  const gzipBytes = gzipSync(Buffer.concat([...upFront].map((name) => bytesOf(name) ?? new Uint8Array())), {
    level: 9,
  }).byteLength;
  return { gzipBytes, modules: [...modules, ...external], lazy };
}

function report(what: string, bytes: number, target: number): void {
  console.info(`${what}: ${(bytes / KB).toFixed(2)} KB gzip (target ${(target / KB).toFixed(1)} KB)`);
}

describe('the consumer bundled for the browser', () => {
  it(`upload + download alone pull in nothing from node:*, the producer or the subpaths, within ${TARGET.uploadDownload / KB} KB`, async () => {
    const { gzipBytes, modules } = await bundle("export { upload, download } from './src/consumer/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m) || SUBPATHS.test(m) || CHECKSUM.test(m))).toEqual([]);
    report('upload + download', gzipBytes, TARGET.uploadDownload);
    expect(gzipBytes).toBeLessThanOrEqual(TARGET.uploadDownload);
  });

  it(`the whole consumer entry pulls in nothing from node:*, the producer or the subpaths, within ${TARGET.entry / KB} KB`, async () => {
    const { gzipBytes, modules } = await bundle("export * from './src/consumer/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m) || SUBPATHS.test(m) || CHECKSUM.test(m))).toEqual([]);
    report('consumer entry', gzipBytes, TARGET.entry);
    expect(gzipBytes).toBeLessThanOrEqual(TARGET.entry);
  });

  it(`the consumer/multipart entry pulls in nothing from node:* or the producer, within ${TARGET.multipart / KB} KB`, async () => {
    const { gzipBytes, modules } = await bundle("export * from './src/consumer/multipart/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m) || CHECKSUM.test(m))).toEqual([]);
    report('consumer/multipart entry', gzipBytes, TARGET.multipart);
    expect(gzipBytes).toBeLessThanOrEqual(TARGET.multipart);
  });

  it(`the consumer/post entry pulls in nothing from node:* or the producer, within ${TARGET.post / KB} KB`, async () => {
    const { gzipBytes, modules } = await bundle("export * from './src/consumer/post/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m) || CHECKSUM.test(m))).toEqual([]);
    report('consumer/post entry', gzipBytes, TARGET.post);
    expect(gzipBytes).toBeLessThanOrEqual(TARGET.post);
  });

  it(`the consumer/upload entry (uploadFile) pulls in nothing from node:*, the producer or the server, within ${TARGET.uploadFile / KB} KB`, async () => {
    const { gzipBytes, modules } = await bundle("export * from './src/consumer/upload/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m) || CHECKSUM.test(m))).toEqual([]);
    report('consumer/upload entry', gzipBytes, TARGET.uploadFile);
    expect(gzipBytes).toBeLessThanOrEqual(TARGET.uploadFile);
  });

  it(`the consumer/checksum entry pulls in nothing from node:*, the producer or the other entries, within ${TARGET.checksum / KB} KB`, async () => {
    const { gzipBytes, modules } = await bundle("export * from './src/consumer/checksum/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m) || SUBPATHS.test(m) || /src\/consumer\/upload\//.test(m))).toEqual(
      [],
    );
    expect(modules.filter((m) => CHECKSUM.test(m))).toContain('src/consumer/checksum/crc64.ts');
    report('consumer/checksum entry', gzipBytes, TARGET.checksum);
    expect(gzipBytes).toBeLessThanOrEqual(TARGET.checksum);
  });

  it('would catch a node:* import, producer code or a subpath (the checks themselves can fail)', async () => {
    const { modules } = await bundle(
      "import { createHash } from 'node:crypto'; export { createPresigner } from './src/index.ts'; export const h = createHash;",
    );
    const caught = modules.filter((m) => FORBIDDEN.test(m));
    expect(caught).toContain('node:crypto');
    expect(caught).toContain('src/index.ts');
    expect(caught.some((m) => m.startsWith('src/sigv4/'))).toBe(true);
    const subpaths = (
      await bundle("export * from './src/consumer/multipart/index.ts'; export * from './src/consumer/post/index.ts';")
    ).modules;
    expect(subpaths.filter((m) => SUBPATHS.test(m))).toEqual(
      expect.arrayContaining([
        'src/consumer/multipart/index.ts',
        'src/consumer/post/index.ts',
        'src/s3/post-policy.ts',
      ]),
    );
    const withChecksum = (
      await bundle(
        "export { upload } from './src/consumer/index.ts'; export { createCrc } from './src/consumer/checksum/index.ts';",
      )
    ).modules;
    expect(withChecksum.filter((m) => CHECKSUM.test(m))).toEqual(
      expect.arrayContaining(['src/consumer/checksum/index.ts', 'src/consumer/checksum/crc32.ts']),
    );
  });
});
