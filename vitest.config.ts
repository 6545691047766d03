import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: the browser and the big-upload files would starve each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
