import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

/**
 * The portable producer: `s3-presign` for browsers, Cloudflare Workers (without `nodejs_compat`),
 * Vercel Edge and any runtime without `node:crypto`, selected by the package's export conditions
 * (`node` gets dist/index.*, everything else dist/portable/index.*). The same source; only the
 * hashing differs: src/sigv4/hash.ts is replaced by hash.portable.ts, which brings `@noble/hashes`.
 * Built after tsup.config.ts (which cleans dist/), with the types of dist/index.d.ts.
 */
const PORTABLE_HASH = fileURLToPath(new URL('src/sigv4/hash.portable.ts', import.meta.url));

export default defineConfig({
  entry: { 'portable/index': 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: false,
  clean: false,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  treeshake: true,
  external: ['@aws-sdk/client-s3'],
  // Bundled: the hashing is part of what this build is, and its size is checked with it.
  noExternal: ['@noble/hashes'],
  esbuildPlugins: [
    {
      name: 'portable-hash',
      setup(build) {
        build.onResolve({ filter: /^\.\/hash\.js$/ }, (args) =>
          args.importer.endsWith('/src/sigv4/presign.ts') || args.importer.endsWith('/src/sigv4/signing-key.ts')
            ? { path: PORTABLE_HASH }
            : undefined,
        );
      },
    },
  ],
});
