// CRC32, CRC32C and CRC64NVME of s3-presign/consumer/checksum (dist/consumer/checksum.js) against the
// AWS oracles (@aws-crypto/crc32, @aws-crypto/crc32c, @aws-sdk/crc64-nvme), in Node and in Chromium (the
// browser test/helpers/browser.ts finds), in one run: MB/s medians of interleaved rounds over the same
// bytes in the same chunks, the ratio to each oracle and PASS/MISS for issue 13's goal (>= 1.5x).
// Run with `npm run bench:checksum` (builds first), or `node bench/checksum.mjs` against the current
// dist/. Options: --size=64 (MiB), --chunk=1024 (KiB), --rounds=7, --no-browser. Exits 0 either way.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AwsCrc32 } from '@aws-crypto/crc32';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { build } from 'esbuild';
import { createCrc } from '../dist/consumer/checksum.js';
import { race } from './checksum-race.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOAL = 1.5;
const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const settings = {
  size: option('size', 64) * 2 ** 20,
  chunk: option('chunk', 1024) * 2 ** 10,
  rounds: option('rounds', 7),
};

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function print(where, results) {
  console.log(
    `\n${where}: ${settings.size / 2 ** 20} MiB in ${settings.chunk / 2 ** 10} KiB chunks, medians of ${settings.rounds} interleaved rounds`,
  );
  console.log('algorithm   ours MB/s   oracle MB/s   ratio   goal >= 1.5x   oracle');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(10)} ${r.ours.toFixed(0).padStart(10)} ${r.oracle.toFixed(0).padStart(13)} ${`${r.ratio.toFixed(2)}x`.padStart(7)}   ${(r.ratio >= GOAL ? 'PASS' : 'MISS').padEnd(12)}   ${r.oracleName}`,
    );
  }
}

/** The contenders in Node: ours from dist/, the oracles as installed. */
const NODE = {
  CRC32: { ours: () => createCrc('CRC32'), oracle: () => new AwsCrc32(), oracleName: '@aws-crypto/crc32' },
  CRC32C: { ours: () => createCrc('CRC32C'), oracle: () => new AwsCrc32c(), oracleName: '@aws-crypto/crc32c' },
  CRC64NVME: { ours: () => createCrc('CRC64NVME'), oracle: () => new Crc64Nvme(), oracleName: '@aws-sdk/crc64-nvme' },
};

/** The same race in a Chromium page: ours and the oracles bundled for the browser with esbuild. */
const PAGE_ENTRY = `
import { AwsCrc32 } from '@aws-crypto/crc32';
import { AwsCrc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { createCrc } from './dist/consumer/checksum.js';
import { race } from './bench/checksum-race.mjs';
window.runRace = (settings) => race({
  CRC32: { ours: () => createCrc('CRC32'), oracle: () => new AwsCrc32(), oracleName: '@aws-crypto/crc32' },
  CRC32C: { ours: () => createCrc('CRC32C'), oracle: () => new AwsCrc32c(), oracleName: '@aws-crypto/crc32c' },
  CRC64NVME: { ours: () => createCrc('CRC64NVME'), oracle: () => new Crc64Nvme(), oracleName: '@aws-sdk/crc64-nvme' },
}, settings);
`;

async function inChromium() {
  // test/helpers/browser.ts, compiled for Node; its `inject` (vitest's) is not used here.
  const helperDir = `${ROOT}.tmp/bench-checksum`;
  mkdirSync(helperDir, { recursive: true });
  await build({
    entryPoints: [`${ROOT}test/helpers/browser.ts`],
    outfile: `${helperDir}/browser.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    plugins: [
      {
        name: 'no-vitest',
        setup(b) {
          b.onResolve({ filter: /^vitest$/ }, () => ({ path: 'vitest', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const inject = () => undefined;' }));
        },
      },
    ],
    logLevel: 'silent',
  });
  const { findBrowser, launchBrowser, describeBrowser } = await import(`${helperDir}/browser.mjs`);
  const page = await build({
    stdin: { contents: PAGE_ENTRY, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const found = await findBrowser();
  console.log(`\n${describeBrowser(found).replace('browser tests: ', '')}`);
  const browser = await launchBrowser(found);
  try {
    const tab = browser.context.pages()[0] ?? (await browser.context.newPage());
    await tab.setContent('<!doctype html><title>checksum bench</title>');
    await tab.addScriptTag({ type: 'module', content: page.outputFiles[0].text });
    await tab.waitForFunction(() => 'runRace' in window);
    return await tab.evaluate((s) => window.runRace(s), settings);
  } finally {
    await browser.close();
  }
}

console.log(`load average before: ${load()} (2 cores shared: read the ratios, not the MB/s)`);
try {
  print(`Node ${process.version}`, await race(NODE, settings));
} catch (error) {
  console.log(`Node race failed: ${error instanceof Error ? error.message : error}`);
}
if (!process.argv.includes('--no-browser')) {
  try {
    print('Chromium', await inChromium());
  } catch (error) {
    console.log(`Chromium race failed: ${error instanceof Error ? error.message : error}`);
  }
}
console.log(`\nload average after: ${load()}`);
process.exitCode = 0;
