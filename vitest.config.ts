import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds the browser for test/browser/ once: test/helpers/browser.ts.
    globalSetup: ['test/helpers/browser-setup.ts'],
    // Records every PresignError of each file and fails the file when one holds a canary secret.
    setupFiles: ['test/helpers/canary-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: the browser and the big-upload files would starve each other.
    fileParallelism: true,
    maxWorkers: 2,
    // The SDK (an oracle and an optional peer here) warns on every worker that its 2027 releases
    // need Node 22; the project is pinned to releases that run on 20, so the warning is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
