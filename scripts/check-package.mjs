// Checks the package as users get it: packs the tarball, lints it with publint --strict and
// @arethetypeswrong/cli, then imports and requires both entries from a scratch folder that has
// nothing but the unpacked tarball in node_modules, and builds a page with Parcel's defaults.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 's3-presign-pack-'));
const run = (cmd, args, cwd = root) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

try {
  const [{ filename, files }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch]));
  const tarball = join(scratch, filename);
  const paths = files.map((f) => f.path);
  const unexpected = paths.filter(
    (p) =>
      !/^(dist\/|(consumer|server)\/(.+\/)?package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(p),
  );
  if (unexpected.length > 0) throw new Error(`the tarball holds files users do not need: ${unexpected.join(', ')}`);
  console.log(`packed ${filename}: ${paths.length} files`);
  const maps = paths.filter((p) => p.endsWith('.map'));
  if (maps.length > 0) throw new Error(`the tarball ships source maps without their sources: ${maps.join(', ')}`);
  for (const path of paths.filter((p) => /\.c?js$/.test(p))) {
    const code = readFileSync(join(root, path), 'utf8');
    if (code.includes('sourceMappingURL')) throw new Error(`${path} points at a source map`);
    if (/^(?:import\s*["'][^"']*chunk-|require\(["'][^"']*chunk-)/m.test(code)) {
      throw new Error(`${path} has a bare import of a chunk (see scripts/strip-chunk-imports.mjs)`);
    }
    const bare = /(?:from\s*|require\()\s*["'](crypto|buffer|stream|util|fs|path|events)["']/.exec(code);
    if (bare) throw new Error(`${path} imports the built-in ${bare[1]} without its node: prefix`);
  }

  run('npx', ['publint', '--strict', tarball]);
  console.log('publint --strict: ok');
  run('npx', ['attw', '--pack', tarball]);
  console.log('attw: ok');

  const app = join(scratch, 'app');
  const pkgDir = join(app, 'node_modules', 's3-presign');
  mkdirSync(pkgDir, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  writeFileSync(join(app, 'package.json'), '{"name":"smoke","private":true}');
  const check = `
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const presigner = producer.createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' });
    presigner.presignGet({ key: 'k', signingDate: new Date('2026-01-01T00:00:00Z') }).then((r) => {
      if (!r.url.startsWith('https://examplebucket.s3.eu-west-1.amazonaws.com/k?')) throw new Error(r.url);
      if (typeof consumer.PresignError !== 'function' || typeof producer.PresignError !== 'function') throw new Error('no PresignError');
      if (typeof uploadMultipart !== 'function' || typeof submitPost !== 'function') throw new Error('no subpath entry');
      if (typeof uploadFile !== 'function' || typeof createUploadHandler !== 'function') throw new Error('no upload handler entry');
      if (typeof checksumOf !== 'function') throw new Error('no checksum entry');
      // One class for the whole package: the entries share it.
      if (consumer.PresignError !== producer.PresignError && MODE === 'import') throw new Error('two PresignError classes');
      console.log(MODE + ': ok');
    });`;
  writeFileSync(
    join(app, 'esm.mjs'),
    `import * as producer from 's3-presign'; import * as consumer from 's3-presign/consumer'; import { uploadMultipart } from 's3-presign/consumer/multipart'; import { submitPost } from 's3-presign/consumer/post'; import { uploadFile } from 's3-presign/consumer/upload'; import { checksumOf } from 's3-presign/consumer/checksum'; import { createUploadHandler } from 's3-presign/server'; const MODE = 'import';${check}`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `const producer = require('s3-presign'); const consumer = require('s3-presign/consumer'); const { uploadMultipart } = require('s3-presign/consumer/multipart'); const { submitPost } = require('s3-presign/consumer/post'); const { uploadFile } = require('s3-presign/consumer/upload'); const { checksumOf } = require('s3-presign/consumer/checksum'); const { createUploadHandler } = require('s3-presign/server'); const MODE = 'require';${check}`,
  );
  // ESM and CommonJS in one process: two classes (the dual-package hazard), one isPresignError.
  writeFileSync(
    join(app, 'mixed.mjs'),
    `import { createRequire } from 'node:module'; import * as esm from 's3-presign';
    const cjs = createRequire(import.meta.url)('s3-presign');
    try { cjs.createPresigner({}); throw new Error('no error'); } catch (error) {
      if (!esm.isPresignError(error)) throw error;
      if (!cjs.isPresignError(new esm.PresignError('ERR_S3', 'x'))) throw new Error('isPresignError misses the other build');
      console.log('import + require: ok');
    }`,
  );
  // A page built by Parcel with its defaults (it ignores `exports` unless the app opts in): the
  // subpath folders and the `browser` field lead it to the consumer and the portable producer.
  writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="page.js"></script>');
  writeFileSync(
    join(app, 'page.js'),
    `import { createPresigner } from 's3-presign'; import { parseDescriptor, isPresignError } from 's3-presign/consumer';
    import { uploadMultipart } from 's3-presign/consumer/multipart'; import { submitPost } from 's3-presign/consumer/post';
    import { uploadFile } from 's3-presign/consumer/upload'; import { combineCrc } from 's3-presign/consumer/checksum';
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' }).presignPut({ key: 'k', contentLength: 5 }).then((put) => {
      let refused = false;
      try { parseDescriptor('https://examplebucket.s3.eu-west-1.amazonaws.com/k'); } catch (error) { refused = isPresignError(error, 'ERR_INVALID_DESCRIPTOR'); }
      const entries = [uploadMultipart, submitPost, uploadFile, combineCrc].every((f) => typeof f === 'function');
      if (parseDescriptor(JSON.parse(JSON.stringify(put))).url !== put.url || !refused || !entries) throw new Error('the Parcel page failed');
      console.log('parcel page: ok');
    });`,
  );
  const built = run(
    join(root, 'node_modules/.bin/parcel'),
    ['build', 'index.html', '--no-cache', '--dist-dir', 'parcel-out', '--no-source-maps'],
    app,
  );
  // One script the page loads, and the chunks it loads with import() (the checksum code of
  // download and uploadFile): none may carry Node built-ins.
  const bundles = readdirSync(join(app, 'parcel-out')).filter((f) => f.endsWith('.js'));
  const html = readFileSync(join(app, 'parcel-out', 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\ssrc=["']?\/?([^"'\s>]+)/g)].map((m) => m[1]);
  const loaded = bundles.filter((f) => scripts.includes(f));
  if (loaded.length !== 1) throw new Error(`Parcel's page loads ${loaded.length} scripts (${html}): ${built}`);
  for (const bundle of bundles) {
    if (/node:|require\("crypto"\)|crypto-browserify/.test(readFileSync(join(app, 'parcel-out', bundle), 'utf8')))
      throw new Error(`the Parcel page carries Node built-ins (${bundle})`);
  }
  const page = readFileSync(join(app, 'parcel-out', loaded[0]), 'utf8');
  // The page's script, run with the Web APIs it needs (Node has them all): it presigns and parses.
  writeFileSync(join(app, 'parcel-page.mjs'), page);
  process.stdout.write(run('node', ['parcel-page.mjs'], app));
  process.stdout.write(run('node', ['mixed.mjs'], app));
  process.stdout.write(run('node', ['esm.mjs'], app));
  process.stdout.write(run('node', ['cjs.cjs'], app));
  console.log('package checks: ok');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log('package checks: FAILED');
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
