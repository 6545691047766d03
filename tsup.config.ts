import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'consumer/index': 'src/consumer/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: false,
  treeshake: true,
  external: ['@aws-sdk/client-s3', /^node:/],
});
