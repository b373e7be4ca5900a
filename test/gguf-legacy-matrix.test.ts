// GgufMatrix over the float, legacy and codebook codecs: rows of consecutive blocks, fromDense/toDense,
// toBytes/fromBytes, and typed errors for bad input.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError } from '../src/index.js';
import { GgufMatrix, ggufCodec } from '../src/formats/gguf/matrix.js';
import { codeOf } from './helpers/errors.js';
import { halfValue } from './reference/gguf-blocks.js';

const SEED = 20261203;
const TYPES = ['F32', 'F16', 'BF16', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'Q8_1', 'IQ4_NL', 'MXFP4'] as const;
const ANCHOR = Float32Array.from({ length: 32 }, (_, j) => (j - 10) * 0.25);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Dyadic weights (exact in every float type's input). */
function weights(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s >>> 20) - 2048) / 1024;
  });
}

const matrix = suite('GgufMatrix with the legacy codecs');

matrix('rows are consecutive blocks: a [3, 64] Q4_0 matrix is six independently quantized blocks', () => {
  const w = new Float32Array(3 * 64);
  for (let b = 0; b < 6; b++) w.set(ANCHOR.map((v) => v * (b + 1)), 32 * b);
  const m = GgufMatrix.fromDense(w, [3, 64], 'Q4_0');
  assert.is(m.data.length, 6 * 18);
  // Scaling the anchor by 1…6 scales d by the same factor (exact in f16) and keeps the codes of §(b)3.
  for (let b = 0; b < 6; b++) {
    const block = m.data.subarray(18 * b, 18 * b + 18);
    assert.is(hex(block.subarray(2)), '6c5b5b5b4a4a3a393928282817170606', `block ${b}`);
    assert.is(halfValue(block[0] | (block[1] << 8)), -0.65625 * (b + 1), `block ${b} d`);
  }
  const dense = m.toDense();
  assert.ok(Object.is(dense[64 + 32 + 10], -0), 'row 1, second block, element 10 is −0.0');
});

matrix('fromDense → toDense / toBytes → fromBytes for every type; exact where the type can hold the weights', () => {
  const w = weights(4 * 96, 7);
  for (const type of TYPES) {
    const m = GgufMatrix.fromDense(w, [4, 96], type);
    const c = ggufCodec(type);
    assert.is(m.bitsPerWeight, (8 * c.info.blockBytes) / c.info.blockElems, type);
    assert.is(m.data.length, (4 * 96 * c.info.blockBytes) / c.info.blockElems);
    const dense = m.toDense();
    const again = GgufMatrix.fromBytes(m.toBytes());
    assert.is(again.type.name, type);
    assert.equal(again.shape, [4, 96]);
    assert.is(hex(again.data), hex(m.data));
    assert.equal(again.toDense(), dense);
    // The weights are k/1024 with |k| ≤ 2048: at most 11 significant bits, exact in F32 and F16 (not BF16).
    if (type === 'F32' || type === 'F16') assert.equal([...dense], [...w], type);
  }
  assert.is(GgufMatrix.fromDense(ANCHOR, [1, 32], 'Q5_1').toDense().every((v, i) => v === ANCHOR[i]), true);
  assert.equal([...new GgufMatrix('Q4_0', [0, 32], new Uint8Array(0)).toDense()], []);
});

matrix('bad input → BitsieveError with the right code', () => {
  const w = weights(64, 3);
  assert.is(codeOf(() => GgufMatrix.fromDense(w, [2, 32], 'Q4_0')), 'no error');
  assert.is(codeOf(() => GgufMatrix.fromDense(w, [4, 16], 'Q4_0')), 'E_SHAPE'); // 16 is not a whole block
  assert.is(codeOf(() => GgufMatrix.fromDense(w, [1, 32], 'Q8_0')), 'E_SHAPE'); // 64 weights for 32
  assert.is(codeOf(() => GgufMatrix.fromDense(Float64Array.from(w) as never, [2, 32], 'Q4_0')), 'E_SHAPE');
  const nan = w.slice();
  nan[5] = NaN;
  assert.is(codeOf(() => GgufMatrix.fromDense(nan, [2, 32], 'MXFP4')), 'E_RANGE');
  assert.is(codeOf(() => GgufMatrix.fromDense(w, [2, 32], 'IQ2_XXS')), 'E_UNSUPPORTED'); // known type, no codec here
  assert.is(codeOf(() => GgufMatrix.fromDense(w, [2, 32], 'Q4_2')), 'E_UNSUPPORTED'); // removed from ggml
  assert.is(codeOf(() => new GgufMatrix('IQ2_XXS', [1, 256], new Uint8Array(66)).toDense()), 'E_UNSUPPORTED');
  assert.is(codeOf(() => new GgufMatrix('Q4_1', [2, 32], new Uint8Array(39))), 'E_SHAPE');
  assert.is(codeOf(() => new GgufMatrix('MXFP4', [2, 32], new Uint8Array(34)).toDense()), 'no error');
  const bytes = GgufMatrix.fromDense(w, [2, 32], 'Q5_0').toBytes();
  assert.is(codeOf(() => GgufMatrix.fromBytes(bytes.subarray(0, bytes.length - 1))), 'E_CORRUPT');
});

matrix('fast-check: random shapes and types round-trip; one changed byte is either valid or a BitsieveError', () => {
  fc.assert(
    fc.property(fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 1e6 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (type, rows, blocks, seed, at, byte) => {
      const cols = 32 * blocks;
      const m = GgufMatrix.fromDense(weights(rows * cols, seed), [rows, cols], type);
      const bytes = m.toBytes();
      assert.equal(GgufMatrix.fromBytes(bytes).toDense(), m.toDense());
      const mutated = bytes.slice();
      mutated[at % mutated.length] = byte;
      try {
        const back = GgufMatrix.fromBytes(mutated);
        assert.is(back.toDense().length, back.shape[0] * back.shape[1]);
      } catch (e) {
        if (!(e instanceof BitsieveError)) throw e;
      }
      return true;
    }),
    { seed: SEED, numRuns: 300 },
  );
});

matrix.run();
