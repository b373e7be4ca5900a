// The README's example is part of the product: run it against the built package, check what it prints.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

/** Runs the README's `<!-- {marker}:start -->` js block against dist/ and returns what it logged. */
async function runBlock(marker: string): Promise<string[]> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = new RegExp(`<!-- ${marker}:start -->\\s*\`\`\`js\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${marker}:end -->`).exec(readme);
  assert.ok(block, `README has a ${marker} block`);
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const code = block[1].replace(/from 'bitsieve'/, `from '${dist}'`);
  mkdirSync(new URL('../.tmp/', import.meta.url), { recursive: true });
  const file = new URL(`../.tmp/readme-${marker}.mjs`, import.meta.url);
  writeFileSync(file, code);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  try {
    await import(pathToFileURL(file.pathname).href);
  } finally {
    console.log = log;
  }
  return lines;
}

test('README example runs against dist/ and prints what its comments say', async () => {
  const lines = await runBlock('example');
  assert.match(lines[0], /^running the (relaxed|simd|scalar) build$/);
  assert.is(lines[1], JSON.stringify([1, 2, 5, 0, 0, 0]));
  assert.is(lines[2], 'E_SHAPE');
});

test('README sparse example: 90 % CSR equals the pruned layer run dense; 2:4 costs 17 bits/weight', async () => {
  const lines = await runBlock('sparse-example');
  // 17 = 32-bit values for half the weights (16) + one 8-bit pattern code per 4 kept values, i.e. per 8 weights (1)
  assert.equal(lines, ['csr 0.90', 'true', 'nm 17']);
});

test('README low-bit example: binary, ternary and power-of-two layers equal their weights run dense; an XNOR dot equals its ±1 sum by hand', async () => {
  const lines = await runBlock('lowbit-example');
  // bits/weight at in = 256: 1 + 32/256, 2 + 32/256, 4 + 8/256 (one i8 e0 per row)
  assert.equal(lines, ['binary 1.125 true', 'ternary 2.125 true', 'pow2 4.03125 true', 'true']);
});


test('README GGUF example: a Q4_0 tensor read from a GGUF file runs resident at its block bytes; int4 the same way', async () => {
  assert.equal(await runBlock('gguf-example'), ['64 true', '64 16384']);
});

test('README SC example: an exact XNOR product of two Sobol streams; a 3-input SC neuron', async () => {
  assert.equal(await runBlock('sc-example'), ['-0.375', '0.40 0.43']);
});

test('README MAC example: identity encoder = exact dot; 2-bit example in both modes; differential tolerates stuck-on cells; BAM stats', async () => {
  // -16197 = 3·-2 - 7·5 + 100·1 - 128·127; 2 = -1·1 + -2·-2 + 1·-1; 13.80 % is the signed BAM(2, 6) mean relative error
  // (exhaustive, test/mac-approx.test.ts); -16320 = the approximate products summed by LOA (test/mac-approx-linear.test.ts).
  assert.equal(await runBlock('mac-example'), ['-16197', '2 2', 'two-column 0.225', 'differential 0.059', '13.80', '-16320']);
});

test.run();
