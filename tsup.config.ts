import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'consumer/index': 'src/consumer/index.ts',
    'consumer/multipart': 'src/consumer/multipart/index.ts',
    'consumer/post': 'src/consumer/post/index.ts',
    'consumer/checksum': 'src/consumer/checksum/index.ts',
    'consumer/upload': 'src/consumer/upload/index.ts',
    server: 'src/server/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps: they would point at sources the package does not ship (and were most of it).
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  // The subpath entries share one copy of the consumer core (and of PresignError).
  splitting: true,
  treeshake: true,
  external: ['@aws-sdk/client-s3', /^node:/],
  // Keep `node:crypto` as written: Deno, Bun and Workers' nodejs_compat resolve built-ins by that name.
  removeNodeProtocol: false,
});
