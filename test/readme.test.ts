// The README's example is part of the product: run it against the built package, check what it prints.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('README example runs against dist/ and prints what its comments say', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- example:start -->\s*```js\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  assert.ok(block, 'README has an example block');
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const code = block[1].replace(/from 'bitsieve'/, `from '${dist}'`);
  mkdirSync(new URL('../.tmp/', import.meta.url), { recursive: true });
  const file = new URL('../.tmp/readme-example.mjs', import.meta.url);
  writeFileSync(file, code);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  try {
    await import(pathToFileURL(file.pathname).href);
  } finally {
    console.log = log;
  }
  assert.match(lines[0], /^running the (relaxed|simd|scalar) build$/);
  assert.is(lines[1], JSON.stringify([1, 2, 5, 0, 0, 0]));
  assert.is(lines[2], 'E_SHAPE');
});

test.run();
