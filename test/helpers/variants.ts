// One test body, every build: each suite runs once per variant this engine can execute.
// `npm test` passes --experimental-wasm-relaxed-simd so Node 20 runs all three.
import { readFileSync } from 'node:fs';
import { suite, type Test } from 'uvu';
import { init, detectFeatures, VARIANTS, type Bitsieve, type Variant } from '../../src/index.js';

export const buildUrl = (variant: Variant) => new URL(`../../build/bitsieve.${variant}.wasm`, import.meta.url);
export const buildBytes = (variant: Variant) => readFileSync(buildUrl(variant));

export function runnableVariants(): Variant[] {
  const f = detectFeatures();
  return VARIANTS.filter((v) => v === 'scalar' || (v === 'simd' && f.simd) || (v === 'relaxed' && f.relaxedSimd));
}

export function initVariant(variant: Variant): Promise<Bitsieve> {
  return init({ variant, wasm: { [variant]: buildUrl(variant) } });
}

export interface VariantContext {
  bs: Bitsieve;
  variant: Variant;
}

/** Defines the same suite for every runnable variant; `define` adds the tests. */
export function eachVariant(name: string, define: (test: Test<VariantContext>) => void): void {
  const skipped = VARIANTS.filter((v) => !runnableVariants().includes(v));
  if (skipped.length) console.log(`  (${name}: engine cannot run ${skipped.join(', ')}; skipped)`);
  for (const variant of runnableVariants()) {
    const test = suite<VariantContext>(`${name} [${variant}]`, { variant } as VariantContext);
    test.before(async (ctx) => {
      ctx.bs = await initVariant(variant);
    });
    define(test);
    test.run();
  }
}
