// init(): every source kind, variant selection and forcing, and what happens with bad wasm.
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { init, detectFeatures, BitsieveError, Dense, VARIANTS, type Variant } from '../src/index.js';
import { buildBytes, buildUrl, runnableVariants } from './helpers/variants.js';

const loader = suite('init sources');
const code = (fn: () => unknown) =>
  Promise.resolve()
    .then(fn)
    .then(
      () => 'no error',
      (e: unknown) => (e instanceof BitsieveError ? e.code : `not a BitsieveError: ${e}`),
    );

async function works(bs: Awaited<ReturnType<typeof init>>) {
  const layer = bs.linear(Dense.from([1, 2, 3, 4, 5, 6], [2, 3]), { bias: [1, -1] });
  assert.equal(Array.from(layer.forward(new Float32Array([1, 1, 1]), 1)), [7, 14]);
  layer.dispose();
}

for (const variant of runnableVariants()) {
  const bytes = buildBytes(variant);
  const sources: [string, () => unknown][] = [
    ['URL', () => buildUrl(variant)],
    ['string', () => buildUrl(variant).href],
    ['ArrayBuffer', () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)],
    ['Uint8Array', () => new Uint8Array(bytes)],
    ['WebAssembly.Module', () => new WebAssembly.Module(bytes)],
    ['Response (application/wasm)', () => new Response(bytes, { headers: { 'content-type': 'application/wasm' } })],
    ['Response (wrong MIME type)', () => new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } })],
    ['Promise<Response>', () => Promise.resolve(new Response(bytes))],
  ];
  for (const [name, make] of sources) {
    loader(`${variant} from ${name}`, async () => {
      const bs = await init({ variant, wasm: make() as never });
      assert.is(bs.variant, variant);
      await works(bs);
    });
  }
  loader(`${variant} from a per-variant map`, async () => {
    const bs = await init({ variant, wasm: { [variant]: bytes } });
    assert.is(bs.variant, variant);
  });
  loader(`${variant} build has zero imports (runs in non-JS hosts)`, () => {
    assert.equal(WebAssembly.Module.imports(new WebAssembly.Module(bytes)), []);
  });
}

loader('without a variant, init() picks the best build the engine validates', async () => {
  const all = Object.fromEntries(VARIANTS.map((v) => [v, buildBytes(v)]));
  const bs = await init({ wasm: all });
  const f = detectFeatures();
  assert.is(bs.variant, f.relaxedSimd ? 'relaxed' : f.simd ? 'simd' : 'scalar');
  assert.equal(bs.features, f);
});

loader('a single source reports the build it actually is', async () => {
  const bs = await init({ wasm: buildBytes('scalar') });
  assert.is(bs.variant, 'scalar');
});

loader('forcing a build the engine cannot run → E_UNSUPPORTED', async () => {
  // Node 20 validates relaxed SIMD only behind a flag, so a child process without it is such an engine.
  const script = `import('./src/index.ts').then(({ init }) => init({ variant: 'relaxed' })).then(
    () => console.log('no error'), (e) => console.log(e.code))`;
  const child = spawnSync(process.execPath, ['--no-experimental-wasm-relaxed-simd', '--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.is(child.stdout.trim(), 'E_UNSUPPORTED', child.stderr);
  // In this process: every build the engine cannot run is refused the same way.
  const missing = VARIANTS.filter((v) => !runnableVariants().includes(v));
  for (const variant of missing) assert.is(await code(() => init({ variant })), 'E_UNSUPPORTED');
});

loader('forcing one build but supplying another → E_WASM', async () => {
  assert.is(await code(() => init({ variant: 'simd', wasm: buildBytes('scalar') })), 'E_WASM');
  assert.is(await code(() => init({ variant: 'scalar', wasm: { scalar: buildBytes('simd') } })), 'E_WASM');
});

loader('bad sources and options → typed errors', async () => {
  assert.is(await code(() => init({ wasm: new Uint8Array([0, 97, 115, 109, 9, 9]) })), 'E_WASM');
  assert.is(await code(() => init({ wasm: new Response('nope', { status: 404 }) })), 'E_WASM');
  assert.is(await code(() => init({ wasm: new URL('file:///does/not/exist.wasm') })), 'E_WASM');
  assert.is(await code(() => init({ wasm: 42 as never })), 'E_DTYPE');
  assert.is(await code(() => init({ variant: 'avx512' as Variant })), 'E_RANGE');
  assert.is(await code(() => init('simd' as never)), 'E_DTYPE');
  // A valid wasm module that is not a bitsieve build.
  const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  assert.is(await code(() => init({ wasm: empty })), 'E_WASM');
});

loader.run();
