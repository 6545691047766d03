// Writes one folder per subpath export (`consumer/package.json`, `consumer/multipart/package.json`,
// `server/package.json`, ...) pointing at the built files, for the resolvers that ignore `exports`:
// Parcel's default build (it reads `exports` only when an app opts in with `packageExports`),
// TypeScript's `node10` resolution and older bundlers. `exports` stays what every other tool reads.
// The folders are generated with dist/ (and ignored by git like it); package.json's `files` ships them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const [subpath, conditions] of Object.entries(exports)) {
  if (subpath === '.' || subpath === './package.json') continue;
  const folder = join(root, subpath);
  const up = '../'.repeat(subpath.split('/').length - 1);
  const file = (path) => up + path.replace(/^\.\//, '');
  mkdirSync(folder, { recursive: true });
  const stub = {
    main: file(conditions.require.default),
    module: file(conditions.import.default),
    types: file(conditions.require.types),
    sideEffects: false,
  };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(stub, null, 2)}\n`);
}
