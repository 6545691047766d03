import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium } from 'playwright-core';
import { inject } from 'vitest';

// The one place the browser tests get their Chromium from. In order:
//   1. CHROME_PATH, when set: that binary or a loud failure, never a silent fallback;
//   2. an installed Chromium or Chrome: /usr/bin/chromium, then chromium, chromium-browser, google-chrome,
//      google-chrome-stable on PATH;
//   3. the headless shell inside the pinned @sparticuz/chromium dev dependency, unpacked once into the temp
//      directory: what a machine with Node alone gets from `npm install`.
// S3_PRESIGN_BROWSER=bundled skips 2 (to prove 3 works on a machine that has 2), =installed skips 3.
// Each candidate must launch and evaluate a page before it is chosen. Nothing ever skips: no browser found
// fails the browser tests, in CI and anywhere else.

/** Forces a step: `auto` (the default) tries them all, `installed` and `bundled` only the one. */
export const BROWSER_MODE_VARIABLE = 'S3_PRESIGN_BROWSER';
const MODES = ['auto', 'installed', 'bundled'] as const;
type BrowserMode = (typeof MODES)[number];

/** Where a browser came from. */
export type BrowserSource = 'CHROME_PATH' | 'installed' | 'bundled';

/** A browser that launched and ran a page: what every browser test launches. Plain data (it crosses to workers). */
export interface FoundBrowser {
  source: BrowserSource;
  executablePath: string;
  args: string[];
  /** What the browser says it is, e.g. `147.0.7727.0`. */
  version: string;
  /** `@sparticuz/chromium@147.0.0` for the bundled one. */
  package?: string;
}

/** No traffic but the page's own: this machine's network is closed, and Chromium would keep knocking. */
const QUIET_ARGS = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** An installed browser's flags (DESIGN.md): no sandbox (the tests run as root), no GPU, quiet. */
const INSTALLED_ARGS = ['--no-sandbox', '--disable-gpu', ...QUIET_ARGS];

/**
 * @sparticuz/chromium's recommended flags include these, for scraping from a Lambda; they switch off the
 * same-origin policy the browser tests are there to meet (real CORS), so they are left out.
 */
const WEAKENING_ARGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
]);

const INSTALLED_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const run = promisify(execFile);

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim() !== '') ?? message;
}

/** /usr/bin/chromium, then each installed name on PATH, without repeats. */
function installedCandidates(path: string | undefined): string[] {
  const found = ['/usr/bin/chromium'];
  for (const name of INSTALLED_NAMES) {
    for (const dir of (path ?? '').split(delimiter)) {
      if (dir !== '') found.push(join(dir, name));
    }
  }
  return [...new Set(found)].filter(isExecutableFile);
}

/** Launches the candidate headless, evaluates `1 + 1` in a page and closes it: a browser that cannot is no browser. */
async function probe(candidate: Omit<FoundBrowser, 'version'>): Promise<FoundBrowser> {
  const browser = await chromium.launch({
    executablePath: candidate.executablePath,
    args: candidate.args,
    headless: true,
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage();
    const two = await page.evaluate('1 + 1');
    if (two !== 2) throw new Error(`evaluated 1 + 1 to ${String(two)}`);
    return { ...candidate, version: browser.version() };
  } finally {
    await browser.close();
  }
}

async function runsVersion(executablePath: string): Promise<boolean> {
  if (!isExecutableFile(executablePath)) return false;
  try {
    await run(executablePath, ['--version'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** The package.json of the package that `entry` belongs to: the nearest one above it that names it. */
async function packageOf(entry: string): Promise<{ version: string }> {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest && JSON.parse(manifest).name === '@sparticuz/chromium') return JSON.parse(manifest);
  }
  throw new Error(`no package.json above ${entry}`);
}

/**
 * The headless shell inside @sparticuz/chromium. Its `executablePath()` brotli-unpacks the binary (about
 * 200 MB) into `os.tmpdir()` and, on later calls, returns whatever file is at `<tmpdir>/chromium`, of any
 * version, even half-written. So it unpacks into a private staging folder that is then renamed into place
 * as a folder named by the pinned version: concurrent runs, a run killed mid-unpack and another project's
 * copy cannot hand us a broken or foreign binary.
 */
async function bundledCandidate(): Promise<Omit<FoundBrowser, 'version'>> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`it ships a Linux x64 binary, and this is ${process.platform} ${process.arch}: set CHROME_PATH`);
  }
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    throw new Error('it is not installed: run npm ci (it is a pinned dev dependency)');
  }
  const { version } = await packageOf(entry);
  const Chromium = (await import('@sparticuz/chromium')).default;
  // No WebGL in these tests: --disable-webgl instead of the SwiftShader GL flags.
  Chromium.setGraphicsMode = false;

  const tmp = tmpdir();
  const home = join(tmp, `s3-presign-chromium-${version}`);
  const executablePath = join(home, 'chromium');
  if (!(await runsVersion(executablePath))) {
    await rm(home, { recursive: true, force: true });
    const staging = await mkdtemp(join(tmp, `s3-presign-chromium-${version}-unpacking-`));
    const previous = process.env['TMPDIR'];
    process.env['TMPDIR'] = staging; // executablePath() unpacks into os.tmpdir(), which reads TMPDIR at each call
    let unpacked: string;
    try {
      unpacked = await Chromium.executablePath();
    } finally {
      if (previous === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = previous;
    }
    if (unpacked !== join(staging, 'chromium')) {
      throw new Error(`executablePath() unpacked to ${unpacked}, not into ${staging}`);
    }
    try {
      await rename(staging, home);
    } catch (error) {
      // Another run renamed its own copy into place first: use that one.
      await rm(staging, { recursive: true, force: true });
      if (!(await runsVersion(executablePath))) throw error;
    }
    if (!(await runsVersion(executablePath))) throw new Error(`${executablePath} does not run after unpacking`);
  }
  const args = [...Chromium.args.filter((arg) => !WEAKENING_ARGS.has(arg)), ...QUIET_ARGS];
  return { source: 'bundled', executablePath, args, package: `@sparticuz/chromium@${version}` };
}

/**
 * Finds the browser the tests run in, as the comment at the top says, or throws one error that names
 * every candidate tried and why it was refused.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  const mode = (env[BROWSER_MODE_VARIABLE] || 'auto') as BrowserMode;
  if (!MODES.includes(mode)) {
    throw new Error(`${BROWSER_MODE_VARIABLE}=${mode}: expected one of ${MODES.join(', ')}`);
  }
  const chromePath = env['CHROME_PATH'];
  if (chromePath) {
    if (mode !== 'auto') {
      throw new Error(`CHROME_PATH and ${BROWSER_MODE_VARIABLE}=${mode} are both set: set one of them`);
    }
    if (!isExecutableFile(chromePath)) {
      throw new Error(`CHROME_PATH=${chromePath} is not an executable file: point it at a Chromium or Chrome binary`);
    }
    try {
      return await probe({ source: 'CHROME_PATH', executablePath: chromePath, args: INSTALLED_ARGS });
    } catch (error) {
      throw new Error(`CHROME_PATH=${chromePath} does not launch: ${firstLine(error)}`);
    }
  }

  const refused: string[] = [];
  if (mode !== 'bundled') {
    const installed = installedCandidates(env['PATH']);
    if (installed.length === 0) {
      refused.push(`no installed browser: /usr/bin/chromium, or ${INSTALLED_NAMES.join(', ')} on PATH`);
    }
    for (const executablePath of installed) {
      try {
        return await probe({ source: 'installed', executablePath, args: INSTALLED_ARGS });
      } catch (error) {
        refused.push(`${executablePath} does not launch: ${firstLine(error)}`);
      }
    }
  }
  if (mode !== 'installed') {
    try {
      return await probe(await bundledCandidate());
    } catch (error) {
      refused.push(`@sparticuz/chromium: ${firstLine(error)}`);
    }
  }
  throw new Error(
    `No browser for the browser tests${env['CI'] ? ' in CI' : ''} (${BROWSER_MODE_VARIABLE}=${mode}):\n` +
      refused.map((reason) => `  - ${reason}\n`).join('') +
      'Run npm ci (it installs the pinned @sparticuz/chromium), or set CHROME_PATH to a Chromium or Chrome binary.',
  );
}

/** One line for the test output: which browser, from where. */
export function describeBrowser(browser: FoundBrowser): string {
  const from = browser.source === 'bundled' ? `bundled ${browser.package}` : browser.source;
  return `browser tests: Chromium ${browser.version} (${from}) at ${browser.executablePath}`;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** What test/helpers/browser-setup.ts found, once for the whole run, or why it found nothing. */
    browser: { found: FoundBrowser } | { error: string };
  }
}

export interface RunningBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches `browser` headless on a temporary profile. */
export async function launchBrowser(browser: FoundBrowser): Promise<RunningBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 's3-presign-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    args: browser.args,
    headless: true,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Launches the browser the run found (test/helpers/browser-setup.ts). No browser fails the test that
 * asked, with the finder's reasons: a browser suite that skips proves nothing.
 */
export async function launchChromium(): Promise<RunningBrowser> {
  const provided = inject('browser');
  if (provided === undefined) throw new Error('no browser was provided: run the tests through vitest.config.ts');
  if ('error' in provided) throw new Error(provided.error);
  return launchBrowser(provided.found);
}
