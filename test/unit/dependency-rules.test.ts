import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

// The same rules `npm run check:deps` applies to src/, run through dependency-cruiser's API: on a
// fixture that breaks each rule once (so the check is known to be able to fail), and on src/.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/dependency-rules', import.meta.url));

interface Violation {
  rule: string;
  from: string;
  to: string;
}

async function violations(baseDir: string, override: ICruiseOptions = {}): Promise<Violation[]> {
  const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  const tsConfig = extractTSConfig(`${ROOT}tsconfig.json`);
  const { output } = await cruise(['src'], { ...options, ...override, baseDir }, {}, { tsConfig });
  const result = output as ICruiseResult;
  return (result.summary.violations ?? []).map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('fail on a fixture that breaks each of them', async () => {
    const found = await violations(FIXTURE);
    const rules = new Set(found.map((v) => v.rule));

    // A two-file cycle whose one direction (a -> b) is a type-only import.
    expect(found).toContainEqual({ rule: 'no-circular', from: 'src/cycle-a.ts', to: 'src/cycle-b.ts' });
    // A consumer module importing a Node.js built-in (reported without its `node:` prefix), and
    // producer-side signing code.
    expect(found).toContainEqual({ rule: 'consumer-not-to-node', from: 'src/consumer/hash.ts', to: 'crypto' });
    expect(found).toContainEqual({
      rule: 'consumer-not-to-producer',
      from: 'src/consumer/hash.ts',
      to: 'src/sigv4/sign.ts',
    });
    // The consumer entry reaching the multipart subpath through another module.
    expect(found).toContainEqual(
      expect.objectContaining({ rule: 'consumer-entry-stays-small', from: 'src/consumer/index.ts' }),
    );
    // A consumer module importing an npm package (types only: the consumer has no dependency at all).
    expect(found).toContainEqual(
      expect.objectContaining({ rule: 'consumer-not-to-npm', from: 'src/consumer/relay.ts' }),
    );
    // The SDK imported outside its adapter.
    expect(found).toContainEqual(
      expect.objectContaining({ rule: 'sdk-only-in-adapter', from: 'src/producer/client.ts' }),
    );
    // An import that resolves to nothing, and a module nothing imports that imports nothing.
    expect(found).toContainEqual({ rule: 'not-to-unresolvable', from: 'src/producer/client.ts', to: './missing.js' });
    expect(found).toContainEqual({ rule: 'no-orphans', from: 'src/orphan.ts', to: 'src/orphan.ts' });
    expect([...rules].sort()).toEqual([
      'consumer-entry-stays-small',
      'consumer-not-to-node',
      'consumer-not-to-npm',
      'consumer-not-to-producer',
      'no-circular',
      'no-orphans',
      'not-to-unresolvable',
      'sdk-only-in-adapter',
    ]);
  });

  it('see the cycle only because type-only imports count (tsPreCompilationDeps)', async () => {
    const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
    expect(options.tsPreCompilationDeps).toBe(true);
    const withoutTypes = await violations(FIXTURE, { tsPreCompilationDeps: false });
    expect(withoutTypes.map((v) => v.rule)).not.toContain('no-circular');
  });

  it('pass on src/', async () => {
    expect(await violations(ROOT)).toEqual([]);
  });
});
