/**
 * How the runtime matrix bundles test/runtimes/flows/ for each runtime and runs it there. Every
 * runtime is a pinned dev dependency (package.json), found in node_modules: a missing one fails its
 * test. Bundles are made with esbuild from the built dist/, each with the export conditions its
 * runtime's tooling uses, so the runtime gets the producer build a user's app would get there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { type BuildOptions, build } from 'esbuild';
import { listenOnLoopback } from '../../examples/loopback.js';
import { launchChromium } from '../helpers/browser.js';
import { type FlowInput, type FlowReport, type FlowResult, RESULT_LINE } from './flows/contract.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FLOWS = join(ROOT, 'test/runtimes/flows');
const bin = (path: string) => join(ROOT, 'node_modules', path);

/** The producer build a bundle got: dist/index.js (node:crypto) or dist/portable/index.js. */
export type ProducerBuild = 'node' | 'portable';

/** What a runtime answered, and what it ran. */
export interface RuntimeRun extends FlowReport {
  producerBuild: ProducerBuild;
  /** The runtime's own output besides the results (stderr, a crash), for a failure's message. */
  log: string;
  /** What the runtime says it is. */
  version?: string;
}

/** Which build of `@aws-sdk/client-s3` a module carries: the browser one (fetch, DOMParser) or Node's. */
export type SdkBuild = 'browser' | 'node';

/** How each SDK build is bundled into one ES module. */
const SDK_BUILDS: Record<SdkBuild, BuildOptions> = {
  // What wrangler and a page's bundler make of it.
  browser: { platform: 'browser', conditions: ['workerd', 'worker', 'browser'] },
  // Node's (wrangler's WRANGLER_BUILD_PLATFORM=node): its built-ins stay imports, by bare name too
  // (`fs`, `http`), for nodejs_compat to provide; its CommonJS dependencies require() some, which an
  // ES module cannot without a `require` of its own.
  node: {
    platform: 'node',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire('/');" },
  },
};

/** Work files of one matrix run, in the repository (so a bundle's `@aws-sdk/client-s3` import resolves). */
export interface Workspace {
  dir: string;
  /** `@aws-sdk/client-s3` as one ES module (for workerd and Chromium), each build made once. */
  sdkModule(target: SdkBuild): Promise<string>;
  close(): Promise<void>;
}

export async function createWorkspace(): Promise<Workspace> {
  const tmp = join(ROOT, '.tmp');
  await mkdir(tmp, { recursive: true });
  const dir = await mkdtemp(join(tmp, 'runtimes-'));
  const made = new Map<SdkBuild, Promise<string>>();
  const make = (target: SdkBuild) =>
    build({
      stdin: { contents: "export * from '@aws-sdk/client-s3';", resolveDir: ROOT, loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      target: 'es2022',
      logLevel: 'silent',
      ...SDK_BUILDS[target],
    }).then((result) => result.outputFiles![0]!.text);
  return {
    dir,
    sdkModule(target) {
      if (!made.has(target)) made.set(target, make(target));
      return made.get(target)!;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

interface Bundle {
  code: string;
  producerBuild: ProducerBuild;
}

/** One of the flows' entries (cli.ts, worker.ts, global.ts) bundled with `options`, `input` baked in. */
async function bundleFlows(
  entry: 'cli' | 'worker' | 'global',
  input: FlowInput,
  options: Pick<BuildOptions, 'platform' | 'conditions' | 'format' | 'mainFields'> & { inlineSdk?: boolean },
): Promise<Bundle> {
  const { inlineSdk, ...rest } = options;
  const result = await build({
    entryPoints: [join(FLOWS, `${entry}.ts`)],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    target: 'es2022',
    metafile: true,
    // Not the flows' tsconfig: its paths name the sources for the type check; the bundle takes dist/.
    tsconfigRaw: {},
    define: { MATRIX_INPUT: JSON.stringify(input) },
    external: inlineSdk ? ['node:*'] : ['node:*', '@aws-sdk/client-s3'],
    logLevel: 'silent',
    ...rest,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const builds = (['node', 'portable'] as const).filter((b) =>
    inputs.includes(b === 'node' ? 'dist/index.js' : 'dist/portable/index.js'),
  );
  if (builds.length !== 1) throw new Error(`the ${entry} bundle holds producer builds [${builds.join(', ')}]`);
  return { code: result.outputFiles[0]!.text, producerBuild: builds[0]! };
}

async function mustExist(path: string, what: string): Promise<string> {
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    throw new Error(`${what} is missing at ${path}: run npm ci (it is a pinned dev dependency)`);
  }
}

interface Exit {
  stdout: string;
  stderr: string;
  status: string;
}

/** Runs a command to its end, or kills it (by its pid) after `timeoutMs`. */
function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const status =
        signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : signal ? `signal ${signal}` : `exit ${code}`;
      resolve({ stdout, stderr, status });
    });
  });
}

/** Whole-runtime limit: the flows' own deadlines end a hung flow first; this ends a hung runtime. */
const RUNTIME_TIMEOUT_MS = 120_000;

/** A command-line runtime's results, from the lines it printed. */
function resultsOf(exit: Exit): { results: FlowResult[]; log: string } {
  const results: FlowResult[] = [];
  const rest: string[] = [];
  for (const line of exit.stdout.split('\n')) {
    if (line.startsWith(RESULT_LINE)) results.push(JSON.parse(line.slice(RESULT_LINE.length)) as FlowResult);
    else if (line.trim() !== '') rest.push(line);
  }
  return { results, log: [`${exit.status}`, ...rest, exit.stderr.trim()].filter(Boolean).join('\n') };
}

/** Environment of a child runtime: no proxies (loopback only), no update checks, no SDK version warning. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NODE_OPTIONS']) delete env[name];
  return {
    ...env,
    NO_PROXY: '127.0.0.1',
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Node, Bun or Deno: the script bundle with Node's conditions (what each resolves `s3-presign` with). */
async function commandLine(
  workspace: Workspace,
  input: FlowInput,
  command: string,
  args: (file: string) => string[],
): Promise<RuntimeRun> {
  const bundle = await bundleFlows('cli', input, { platform: 'node', format: 'esm' });
  const file = join(workspace.dir, `${input.runtime}.mjs`);
  await writeFile(file, bundle.code);
  const exit = await runCommand(command, args(file), childEnv(), RUNTIME_TIMEOUT_MS);
  return { runtime: input.runtime, producerBuild: bundle.producerBuild, ...resultsOf(exit) };
}

/** A compatibility date before workerd resolved `node:*` without the `nodejs_compat` flag. */
const WORKERD_OLD_DATE = '2024-09-01';
/**
 * A recent compatibility date on which `nodejs_compat` is still a flag: from 2026-08-04 it is the
 * default (workerd says so when the flag is given), so the flag is what gives `node:*` here.
 */
const WORKERD_RECENT_DATE = '2026-08-01';

function workerdConfig(compatibilityDate: string, flags: string[]): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [
        (name = "worker.js", esModule = embed "worker.js"),
        (name = "@aws-sdk/client-s3", esModule = embed "sdk.js"),
      ],
      compatibilityDate = "${compatibilityDate}",
      compatibilityFlags = [${flags.map((f) => `"${f}"`).join(', ')}],
      globalOutbound = "loopback",
    )),
    # Outbound fetches reach loopback addresses and nothing else.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
`;
}

/** The port workerd reports on its control descriptor (fd 3) once its socket listens. */
function listenedPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const control = child.stdio[3] as Readable;
    let text = '';
    control.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (message.event === 'listen' && message.port) resolve(message.port);
      }
    });
    child.on('close', (code) => reject(new Error(`workerd exited (${code}) before listening`)));
  });
}

/**
 * workerd serving the worker bundle on a loopback port it picks, asked once for the report. With
 * `nodejs_compat` it is given the `node` build (conditions `workerd`, `worker`, `node`: `node:crypto`
 * through the flag); without it, on an old compatibility date, the portable one (`workerd`,
 * `worker`, `browser`: what wrangler bundles with).
 */
async function workerd(workspace: Workspace, input: FlowInput, nodejsCompat: boolean): Promise<RuntimeRun> {
  const command = await mustExist(bin('.bin/workerd'), 'workerd');
  const bundle = await bundleFlows('worker', input, {
    platform: 'neutral',
    format: 'esm',
    conditions: nodejsCompat ? ['workerd', 'worker', 'node'] : ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
  });
  const dir = await mkdtemp(join(workspace.dir, `${input.runtime}-`));
  await writeFile(join(dir, 'worker.js'), bundle.code);
  await writeFile(join(dir, 'sdk.js'), await workspace.sdkModule(nodejsCompat ? 'node' : 'browser'));
  await writeFile(
    join(dir, 'config.capnp'),
    nodejsCompat ? workerdConfig(WORKERD_RECENT_DATE, ['nodejs_compat']) : workerdConfig(WORKERD_OLD_DATE, []),
  );
  const child = spawn(command, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], {
    cwd: dir,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const closed = new Promise((resolve) => child.on('close', resolve));
  try {
    const port = await listenedPort(child).catch((error: Error) => {
      throw new Error(`${error.message}:\n${log}`);
    });
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(RUNTIME_TIMEOUT_MS) });
    const text = await response.text();
    if (!response.ok)
      return {
        runtime: input.runtime,
        producerBuild: bundle.producerBuild,
        results: [],
        log: `HTTP ${response.status}: ${text}\n${log}`,
      };
    const report = JSON.parse(text) as FlowReport;
    return { ...report, producerBuild: bundle.producerBuild, log, version: await versionOf(command) };
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}

/** @edge-runtime/vm in this process: one script (the SDK inlined), Web APIs only, no module loader. */
async function edge(input: FlowInput): Promise<RuntimeRun> {
  const bundle = await bundleFlows('global', input, {
    platform: 'browser',
    format: 'iife',
    conditions: ['edge-light', 'worker', 'browser'],
    inlineSdk: true,
  });
  const vm = new EdgeVM();
  vm.evaluate(bundle.code);
  const report = JSON.parse(await vm.evaluate<Promise<string>>('runMatrix()')) as FlowReport;
  const { version } = JSON.parse(await readFile(bin('@edge-runtime/vm/package.json'), 'utf8')) as { version: string };
  return { ...report, producerBuild: bundle.producerBuild, log: '', version: `@edge-runtime/vm ${version}` };
}

/**
 * Chromium (test/helpers/browser.ts) on a page served from its own loopback port, so every request
 * to the S3 server crosses origins (real CORS); the SDK is mapped by an import map, as a page would.
 */
async function chromium(workspace: Workspace, input: FlowInput): Promise<RuntimeRun> {
  const bundle = await bundleFlows('global', input, { platform: 'browser', format: 'esm' });
  const sdk = await workspace.sdkModule('browser');
  const page = `<!doctype html><meta charset="utf-8"><title>runtime matrix</title>
<script type="importmap">{ "imports": { "@aws-sdk/client-s3": "/sdk.js" } }</script>
<script type="module" src="/flows.js"></script>`;
  const files: Record<string, [string, string]> = {
    '/': ['text/html', page],
    '/flows.js': ['text/javascript', bundle.code],
    '/sdk.js': ['text/javascript', sdk],
  };
  const site = await listenOnLoopback(
    createServer((req, res) => {
      const file = files[req.url ?? ''];
      if (file) res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
      else res.writeHead(404).end();
    }),
  );
  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    const tab = await browser.context.newPage();
    tab.on('pageerror', (error) => errors.push(String(error)));
    await tab.goto(`${site.origin}/`);
    await tab.waitForFunction('typeof runMatrix === "function"');
    const report = JSON.parse((await tab.evaluate('runMatrix()')) as string) as FlowReport;
    const version = (await tab.evaluate('navigator.userAgent')) as string;
    return { ...report, producerBuild: bundle.producerBuild, log: errors.join('\n'), version };
  } finally {
    await browser.close();
    await site.close();
  }
}

/** One cell of the matrix's runtime axis. */
export interface Runtime {
  id: string;
  /** What it is, for the test's name. */
  title: string;
  /** The producer build its bundle must get. */
  producerBuild: ProducerBuild;
  /** What its version must look like, where the cell is a version (Node's). */
  version?: RegExp;
  run(workspace: Workspace, input: FlowInput): Promise<RuntimeRun>;
}

/** The first line a binary prints for `--version`. */
async function versionOf(command: string): Promise<string> {
  const exit = await runCommand(command, ['--version'], childEnv(), 30_000);
  return exit.stdout.trim().split('\n')[0] ?? '';
}

/**
 * Node 20: the Node that runs npm (`npm_node_execpath`) or this process, whichever is 20. Not simply
 * this process: the node22 and node24 dev dependencies each declare a `node` bin, so
 * node_modules/.bin/node (Node 22) comes first on the PATH of every npm script and npx, and vitest
 * itself may be running on it.
 */
async function node20(): Promise<string> {
  const candidates = [...new Set([process.env['npm_node_execpath'], process.execPath])].filter(
    (path): path is string => path !== undefined && path !== '',
  );
  for (const path of candidates) if ((await versionOf(path)).startsWith('v20.')) return path;
  throw new Error(`no Node 20 among ${candidates.join(', ')} (this process is Node ${process.versions.node})`);
}

const command = (
  id: string,
  title: string,
  binary: () => Promise<string>,
  args: (file: string) => string[],
  version?: RegExp,
): Runtime => ({
  id,
  title,
  producerBuild: 'node',
  ...(version ? { version } : {}),
  async run(workspace, input) {
    const path = await binary();
    return { ...(await commandLine(workspace, input, path, args)), version: await versionOf(path) };
  },
});

export const RUNTIMES: Runtime[] = [
  command('node20', 'Node 20 (the one that runs npm)', node20, (file) => [file], /^v20\./),
  command(
    'node22',
    'Node 22 (node22)',
    () => mustExist(bin('node22/bin/node'), 'Node 22'),
    (file) => [file],
    /^v22\./,
  ),
  command(
    'node24',
    'Node 24 (node24)',
    () => mustExist(bin('node24/bin/node'), 'Node 24'),
    (file) => [file],
    /^v24\./,
  ),
  command(
    'bun',
    'Bun (bun)',
    () => mustExist(bin('.bin/bun'), 'bun'),
    (file) => ['run', file],
  ),
  command(
    'deno',
    'Deno (deno)',
    () => mustExist(bin('.bin/deno'), 'deno'),
    (file) => [
      'run',
      '--quiet',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      `--allow-read=${ROOT}`,
      '--allow-env',
      '--allow-sys',
      file,
    ],
  ),
  {
    id: 'workerd-nodejs-compat',
    title: `workerd with nodejs_compat (compatibility date ${WORKERD_RECENT_DATE})`,
    producerBuild: 'node',
    run: (workspace, input) => workerd(workspace, input, true),
  },
  {
    id: 'workerd',
    title: `workerd without nodejs_compat (compatibility date ${WORKERD_OLD_DATE})`,
    producerBuild: 'portable',
    run: (workspace, input) => workerd(workspace, input, false),
  },
  {
    id: 'edge',
    title: 'the edge runtime (@edge-runtime/vm)',
    producerBuild: 'portable',
    run: (_, input) => edge(input),
  },
  { id: 'chromium', title: 'Chromium', producerBuild: 'portable', run: chromium },
];
