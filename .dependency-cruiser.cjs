// The import rules of src/ (DESIGN.md, Layout): no cycles, type-only imports included, and the
// boundaries that keep the consumer browser-safe and small. `npm run check:deps` checks src/ with
// them; test/unit/dependency-rules.test.ts proves on a fixture that each rule can fail.
//
// Paths are relative to the directory cruised from (the repo root, or a fixture's root in the test).

/** Every kind of npm dependency dependency-cruiser tells apart. */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles among src/ modules, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'consumer-not-to-producer',
      severity: 'error',
      comment:
        'The consumer (browser-safe) never imports the producer, SigV4 signing, the producer entry or the server.',
      from: { path: '^src/consumer/' },
      to: { path: ['^src/producer/', '^src/sigv4/', '^src/index\\.ts$', '^src/server/'] },
    },
    {
      name: 'consumer-not-to-node',
      severity: 'error',
      comment: 'The consumer runs in browsers: no node:* or other Node.js built-in module.',
      from: { path: '^src/consumer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'consumer-not-to-npm',
      severity: 'error',
      comment: 'The consumer has zero runtime dependencies: no npm package at all, types included.',
      from: { path: '^src/consumer/' },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'consumer-entry-stays-small',
      severity: 'error',
      comment:
        's3-presign/consumer (upload, download) never reaches the multipart or POST subpaths, directly or not: pages that only upload and download never carry them.',
      from: { path: '^src/consumer/index\\.ts$' },
      to: { path: ['^src/consumer/multipart/', '^src/consumer/post/'], reachable: true },
    },
    {
      name: 'sdk-only-in-adapter',
      severity: 'error',
      comment: 'The AWS SDK is an optional peer: only the SDK adapter (src/producer/sdk.ts) imports it.',
      from: { pathNot: '^src/producer/sdk\\.ts$' },
      to: { path: '(^|/)node_modules/@aws-sdk/|^@aws-sdk/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing is dead code (or a missing export).',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '(^|/)tsconfig\\.json$'] },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too: `import type` cycles count.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // `import('...')` types and dynamic imports count as dependencies as well.
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
