// Removes the bare imports of shared chunks that esbuild's code splitting leaves in the built
// entries (`import '../chunk-X.js';`, `require("../chunk-X.cjs");`): it keeps them to preserve the
// order in which modules run, which does not matter here, since no module of the package has a side
// effect (package.json says `"sideEffects": false`). Left in, bundlers that honour that flag warn
// about each of them ("Ignoring this import because it was marked as having no side effects").
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BARE = /^(?:import\s*["'][^"']*chunk-[\w-]+\.js["'];|require\(["'][^"']*chunk-[\w-]+\.cjs["']\);)\n/gm;
const dist = new URL('../dist/', import.meta.url).pathname;
let stripped = 0;
for (const entry of readdirSync(dist, { recursive: true })) {
  const path = join(dist, String(entry));
  if (!/\.c?js$/.test(path)) continue;
  const code = readFileSync(path, 'utf8');
  const kept = code.replace(BARE, () => {
    stripped++;
    return '';
  });
  if (kept !== code) writeFileSync(path, kept);
}
console.log(`bare chunk imports removed: ${stripped}`);
