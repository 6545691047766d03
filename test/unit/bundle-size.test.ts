import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KB = 1024;

/**
 * Issue 3's budgets are 2.5 KB gzip for upload + download and 5 KB for the whole consumer entry
 * (aws4fetch 2.6 KB, @uppy/aws-s3 10.8 KB). Neither is met yet (measured 2026-11-29: 4.0 KB and, with
 * multipart and POST, 9.3 KB): these ceilings hold the sizes where they are, so that nothing grows
 * unnoticed while the gap is closed, and come down to the targets as it closes.
 */
const TARGET = { uploadDownload: 2.5 * KB, entry: 5 * KB };
const CEILING = { uploadDownload: 4.1 * KB, entry: 9.5 * KB };
/** What a browser bundle of the consumer must never contain. */
const FORBIDDEN = /^node:|(^|\/)src\/(producer|sigv4)\/|(^|\/)src\/index\.ts$/;

interface Bundle {
  gzipBytes: number;
  /** Every module that went in, and every import left outside. */
  modules: string[];
}

/** Bundles `source` as a browser app would (esbuild, minified, ESM), measures it gzipped. */
async function bundle(source: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
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
  const output = Object.values(result.metafile.outputs)[0]!;
  return {
    gzipBytes: gzipSync(result.outputFiles[0]!.contents, { level: 9 }).byteLength,
    modules: [...Object.keys(result.metafile.inputs), ...output.imports.map((i) => i.path)],
  };
}

function report(what: string, bytes: number, target: number): void {
  console.info(`${what}: ${(bytes / KB).toFixed(2)} KB gzip (target ${(target / KB).toFixed(1)} KB)`);
}

describe('the consumer bundled for the browser', () => {
  it('upload + download alone pull in nothing from node:* or the producer, and stay under their ceiling', async () => {
    const { gzipBytes, modules } = await bundle("export { upload, download } from './src/consumer/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
    report('upload + download', gzipBytes, TARGET.uploadDownload);
    expect(gzipBytes).toBeLessThanOrEqual(CEILING.uploadDownload);
  });

  it('the whole consumer entry pulls in nothing from node:* or the producer, and stays under its ceiling', async () => {
    const { gzipBytes, modules } = await bundle("export * from './src/consumer/index.ts';");
    expect(modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
    report('consumer entry', gzipBytes, TARGET.entry);
    expect(gzipBytes).toBeLessThanOrEqual(CEILING.entry);
  });

  it('would catch a node:* import or producer code (the check itself can fail)', async () => {
    const { modules } = await bundle(
      "import { createHash } from 'node:crypto'; export { createPresigner } from './src/index.ts'; export const h = createHash;",
    );
    const caught = modules.filter((m) => FORBIDDEN.test(m));
    expect(caught).toContain('node:crypto');
    expect(caught).toContain('src/index.ts');
    expect(caught.some((m) => m.startsWith('src/sigv4/'))).toBe(true);
  });
});
