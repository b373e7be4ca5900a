// Binary, ternary and power-of-two linear layers and the XNOR-popcount layer, on every build, against the
// float64 references of test/reference/lowbit-linear.ts (which read the raw format arrays bit by bit):
// odd shapes (in not a multiple of 8 / 32 / 128, any out), batch 1 (GEMV) and > 1 (GEMM tiles of 4 and
// their 1–3 row tails), bias and ReLU, zero codes, the exact XNOR integer dots, the exact exponent-addition
// terms, resident size, and bad input.
import * as assert from 'uvu/assert';
import { BinaryWeights, PowerOfTwoWeights, TernaryWeights, type LinearOperator } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { U32, randomFloats } from './reference/linear.js';
import {
  binaryLinearReference,
  exponentAddTerm,
  pow2LinearReference,
  pow2Value,
  streamCode,
  ternaryLinearReference,
  xnorDots,
  xnorLinearReference,
  type LowbitForward,
} from './reference/lowbit-linear.js';

const SEED = 20261201;
/** [out, in]: in below, at and past multiples of 4, 8, 32, 128; out 1 … 13. */
const SHAPES: readonly (readonly [number, number])[] = [[1, 1], [3, 3], [2, 4], [5, 7], [4, 8], [3, 12], [7, 13], [6, 32], [9, 33], [5, 100], [13, 128], [4, 129], [3, 300], [2, 1031]];
const BATCHES = [1, 2, 3, 4, 5, 9];

const signsOf = (n: number, seed: number) => Array.from(randomFloats(n, seed), (v) => (v >= 0 ? 1 : -1));
const scalesOf = (n: number, seed: number) => Array.from(randomFloats(n, seed), (v) => Math.abs(v) + 0.125);
/** −1 / 0 / +1 with about a third zeros; row 0 all zero when `zeroRow`. */
function ternaryOf(rows: number, cols: number, seed: number, zeroRow: boolean): number[] {
  const t = Array.from(randomFloats(rows * cols, seed), (v) => (v < -1 / 3 ? -1 : v < 1 / 3 ? 0 : 1));
  if (zeroRow) t.fill(0, 0, cols);
  return t;
}

/** Σ_j |x[b, j]|·|w term| + |bias|: the scale of the float32 rounding error of one output. */
function magnitudes(out: number, cols: number, f: LowbitForward, absW: Float64Array): Float64Array {
  const m = new Float64Array(f.batch * out);
  for (let b = 0; b < f.batch; b++) {
    for (let o = 0; o < out; o++) {
      let s = f.bias ? Math.abs(f.bias[o]) : 0;
      for (let j = 0; j < cols; j++) s += Math.abs(f.x[b * cols + j]) * absW[o * cols + j];
      m[b * out + o] = s;
    }
  }
  return m;
}

/** Message for the first output outside (in + 2)·u·magnitude of the reference, or undefined. */
function compare(y: Float32Array, ref: Float64Array, mag: Float64Array, cols: number, label: string): string | undefined {
  if (y.length !== ref.length) return `${label}: length ${y.length}, expected ${ref.length}`;
  for (let i = 0; i < ref.length; i++) {
    const tol = (cols + 2) * U32 * mag[i] + 1e-30;
    if (!(Math.abs(y[i] - ref[i]) <= tol)) return `${label}: y[${i}] = ${y[i]}, reference ${ref[i]}, tolerance ${tol}`;
  }
  return undefined;
}

/** Runs `layer` over every batch size with and without bias / ReLU, comparing against `reference`. */
function checkAllBatches(make: (bias?: Float32Array, relu?: boolean) => LinearOperator, out: number, cols: number, seed: number,
  reference: (f: LowbitForward) => Float64Array, weight: (o: number, j: number) => number, label: string, batches = BATCHES): void {
  const absW = Float64Array.from({ length: out * cols }, (_, i) => Math.abs(weight(Math.floor(i / cols), i % cols)));
  for (const [withBias, relu] of [[false, false], [true, true], [true, false]] as const) {
    const bias = withBias ? randomFloats(out, seed + 5) : undefined;
    const layer = make(bias, relu);
    try {
      for (const batch of batches) {
        const x = randomFloats(batch * cols, seed + batch);
        const f: LowbitForward = { x, batch, bias, relu };
        const problem = compare(layer.forward(x, batch), reference(f), magnitudes(out, cols, f, absW), cols, `${label} batch ${batch} bias ${withBias} relu ${relu}`);
        assert.not.ok(problem, problem);
      }
    } finally {
      layer.dispose();
    }
  }
}

eachVariant('binary / ternary / power-of-two linear', (test) => {
  test('binary: accumulate-only GEMV and GEMM match the float64 reference (odd shapes, bias, ReLU)', ({ bs }) => {
    for (const [out, cols] of SHAPES) {
      const seed = SEED + out * 1000 + cols;
      const w = BinaryWeights.fromSigns([out, cols], signsOf(out * cols, seed), scalesOf(out, seed + 1));
      checkAllBatches((bias, relu) => bs.linear(w, { bias, activation: relu ? 'relu' : 'none' }), out, cols, seed,
        (f) => binaryLinearReference(w, f), (o) => w.alpha[o], `binary [${out}, ${cols}]`);
    }
  });

  test('binary: every term is ±x exactly (integer x, α = 1 → exact integer sums)', ({ bs }) => {
    // With small integer activations every partial sum is an integer below 2^24, so no addition rounds.
    const [out, cols] = [6, 203];
    const w = BinaryWeights.fromSigns([out, cols], signsOf(out * cols, SEED), new Array(out).fill(1));
    const x = Float32Array.from(randomFloats(3 * cols, SEED + 1), (v) => Math.round(v * 1000));
    const y = bs.linear(w).forward(x, 3);
    assert.equal([...y], [...binaryLinearReference(w, { x, batch: 3 })]);
  });

  test('ternary: GEMV and GEMM match the reference; an all-zero row gives +0 for any finite x', ({ bs }) => {
    for (const [out, cols] of SHAPES) {
      const seed = SEED + out * 1000 + cols + 7;
      const w = TernaryWeights.fromTernary([out, cols], ternaryOf(out, cols, seed, true), scalesOf(out, seed + 1));
      checkAllBatches((bias, relu) => bs.linear(w, { bias, activation: relu ? 'relu' : 'none' }), out, cols, seed,
        (f) => ternaryLinearReference(w, f), (o, j) => ((w.nonzero[o * Math.ceil(cols / 8) + (j >> 3)] >> (j & 7)) & 1 ? w.alpha[o] : 0), `ternary [${out}, ${cols}]`);
      const layer = bs.linear(w);
      const y = layer.forward(randomFloats(2 * cols, seed + 9), 2);
      assert.ok(Object.is(y[0], 0) && Object.is(y[out], 0), `ternary [${out}, ${cols}]: zero row gives ${y[0]}, ${y[out]}`);
      layer.dispose();
    }
  });

  test('power-of-two: GEMV and GEMM match the reference for every width, scope, and zero codes', ({ bs }) => {
    for (let bits = 2; bits <= 6; bits++) {
      for (const scope of ['row', 'tensor'] as const) {
        for (const [out, cols] of scope === 'row' ? SHAPES : SHAPES.slice(5, 10)) {
          const seed = SEED + bits * 100_000 + out * 1000 + cols;
          const z = 2 ** (bits - 1) - 1;
          // Codes over the whole range (a quarter forced to the zero code), never the invalid negative zero.
          const codes = Array.from(randomFloats(out * cols, seed), (v, i) => {
            const c = Math.floor(((v + 1) / 2) * 2 ** bits);
            return i % 4 === 1 || c === (z | (1 << (bits - 1))) ? z : c;
          });
          const e0 = Array.from({ length: scope === 'row' ? out : 1 }, (_, i) => ((seed + 3 * i) % 9) - 4);
          const w = PowerOfTwoWeights.fromCodes([out, cols], codes, { bits, scope, e0 });
          const weight = (o: number, j: number) => pow2Value(streamCode(w.codes, o, cols, bits, j), bits, w.e0Of(o));
          checkAllBatches((bias, relu) => bs.linear(w, { bias, activation: relu ? 'relu' : 'none' }), out, cols, seed,
            (f) => pow2LinearReference(w, f), weight, `pow2 b=${bits} ${scope} [${out}, ${cols}]`, [1, 2, 5]);
        }
      }
    }
  });

  test('power-of-two: each term is the exponent-addition model bit for bit (zeros, subnormals, inf, NaN)', ({ bs }) => {
    // One live column c among zero codes, e0 = 0: y = 0 + … + term + … + 0 = the term itself (an exact
    // zero result may come out as +0 where the model says −0). in = 8 runs the SIMD body, in = 7 its
    // 4-column tail and the scalar tail.
    const specials = [1, -1, 1.5, -3.25e-30, 2 ** -126, -(2 ** -125), 2 ** -120 * 1.75, 2 ** -149, -(2 ** -140), 0, -0, 3e38, -Infinity, Infinity, NaN, 2 ** -126 * 2 ** 5, 2 ** -126 * 2 ** 6];
    for (const bits of [3, 6]) {
      const z = 2 ** (bits - 1) - 1;
      for (const cols of [8, 7]) {
        for (const c of cols === 8 ? [0, 3, 6] : [1, 5]) { // SIMD lanes; the 4-column and scalar tails
          for (const k of new Set([0, 1, 2, z - 2, z - 1])) {
            for (const negative of [false, true]) {
              const codes = new Array(cols).fill(z);
              codes[c] = k | (negative ? 1 << (bits - 1) : 0);
              const layer = bs.linear(PowerOfTwoWeights.fromCodes([1, cols], codes, { bits, scope: 'tensor', e0: [0] }));
              for (const s of specials) {
                const x = new Float32Array(cols).fill(1e30); // anything: multiplied by zero codes
                x[c] = s;
                const y = layer.forward(x)[0];
                const want = exponentAddTerm(Math.fround(s), k, negative);
                const same = Number.isNaN(want) ? Number.isNaN(y) : y === want;
                assert.ok(same, `b=${bits} in=${cols} column ${c} k=${k} ${negative ? '−' : '+'}: x = ${s} gave ${y}, model ${want}`);
              }
              layer.dispose();
            }
          }
        }
      }
    }
  });

  test('XNOR: integer dots are exactly in − 2·popcount(w XOR x) (odd shapes, batches, x = 0 and −0 count as +1)', ({ bs }) => {
    for (const [out, cols] of [...SHAPES, [3, 2049], [2, 4096]] as const) {
      const seed = SEED + out * 1000 + cols + 13;
      const w = BinaryWeights.fromSigns([out, cols], signsOf(out * cols, seed), scalesOf(out, seed + 1));
      const layer = bs.xnorLinear(w);
      for (const batch of [...BATCHES, 33]) {
        const x = randomFloats(batch * cols, seed + batch);
        for (let i = 0; i < x.length; i += 7) x[i] = i % 2 ? 0 : -0;
        assert.equal([...layer.dots(x, batch)], [...xnorDots(w, x, batch)], `[${out}, ${cols}] batch ${batch}`);
      }
      layer.dispose();
    }
  });

  test('XNOR: forward = α·β·dot + bias (ReLU); ±1 activations with α = 1 give the dots exactly', ({ bs }) => {
    for (const [out, cols] of SHAPES) {
      const seed = SEED + out * 1000 + cols + 17;
      const w = BinaryWeights.fromSigns([out, cols], signsOf(out * cols, seed), scalesOf(out, seed + 1));
      const dots = (f: LowbitForward) => xnorDots(w, f.x, f.batch);
      for (const relu of [false, true]) {
        const bias = randomFloats(out, seed + 2);
        const layer = bs.xnorLinear(w, { bias, activation: relu ? 'relu' : 'none' });
        for (const batch of BATCHES) {
          const x = randomFloats(batch * cols, seed + batch);
          const f: LowbitForward = { x, batch, bias, relu };
          const d = dots(f);
          const ref = xnorLinearReference(w, f);
          const y = layer.forward(x, batch);
          for (let i = 0; i < ref.length; i++) {
            const o = i % out;
            const b = Math.floor(i / out);
            let beta = 0;
            for (let j = 0; j < cols; j++) beta += Math.abs(x[b * cols + j]);
            const mag = Math.abs(w.alpha[o] * (beta / cols) * d[i]) + Math.abs(bias[o]);
            const tol = (cols + 4) * U32 * mag + 1e-30;
            assert.ok(Math.abs(y[i] - ref[i]) <= tol, `[${out}, ${cols}] batch ${batch}: y[${i}] = ${y[i]}, reference ${ref[i]}`);
          }
        }
        layer.dispose();
      }
      const unit = BinaryWeights.fromSigns([out, cols], signsOf(out * cols, seed), new Array(out).fill(1));
      const x = Float32Array.from(signsOf(4 * cols, seed + 3));
      assert.equal([...bs.xnorLinear(unit).forward(x, 4)], [...xnorDots(unit, x, 4)]);
    }
  });

  test('resident bytes ≤ 1.05 × the format arrays (256 × 1024), heap returns to its level after dispose', ({ bs }) => {
    const [out, cols] = [256, 1024];
    const before = bs.heap.inUseBytes;
    const binary = BinaryWeights.fromSigns([out, cols], signsOf(out * cols, SEED), scalesOf(out, SEED));
    const ternary = TernaryWeights.fromTernary([out, cols], ternaryOf(out, cols, SEED, false), scalesOf(out, SEED));
    const pow2 = PowerOfTwoWeights.fromCodes([out, cols], new Array(out * cols).fill(1), { bits: 2, scope: 'row', e0: new Array(out).fill(0) });
    const cases: [LinearOperator, number][] = [
      [bs.linear(binary), binary.signs.byteLength + binary.alpha.byteLength],
      [bs.xnorLinear(binary), binary.signs.byteLength + binary.alpha.byteLength],
      [bs.linear(ternary), ternary.signs.byteLength + ternary.nonzero.byteLength + ternary.alpha.byteLength],
      [bs.linear(pow2), pow2.codes.byteLength + pow2.e0.byteLength],
    ];
    for (const [layer, packed] of cases) {
      assert.ok(layer.residentBytes <= 1.05 * packed, `${layer.constructor.name}: ${layer.residentBytes} resident bytes for ${packed} packed`);
      layer.dispose();
    }
    assert.is(bs.heap.inUseBytes, before);
  });

  test('bad input → BitsieveError, never a kernel call out of bounds', ({ bs }) => {
    const w = BinaryWeights.fromSigns([3, 10], signsOf(30, SEED), [1, 2, 3]);
    const layer = bs.linear(w);
    const xnor = bs.xnorLinear(w);
    assert.is(codeOf(() => layer.forward(new Float32Array(11))), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward(new Float32Array(20), 3)), 'E_SHAPE');
    assert.is(codeOf(() => xnor.forward(new Float32Array(9))), 'E_SHAPE');
    assert.is(codeOf(() => xnor.dots(new Float32Array(15))), 'E_SHAPE');
    assert.is(codeOf(() => xnor.dots(new Float32Array(20), 3)), 'E_SHAPE');
    assert.is(codeOf(() => xnor.dots([1, 2] as unknown as Float32Array)), 'E_DTYPE');
    assert.is(codeOf(() => bs.linear(w, { bias: [1, 2] })), 'E_SHAPE');
    assert.is(codeOf(() => bs.xnorLinear(w, { activation: 'gelu' as 'relu' })), 'E_RANGE');
    assert.is(codeOf(() => bs.xnorLinear(TernaryWeights.fromTernary([1, 2], [1, 0], [1]) as unknown as BinaryWeights)), 'E_DTYPE');
    // A plane edited after construction is re-validated before it is packed.
    const broken = BinaryWeights.fromSigns([1, 3], [1, 1, 1], [1]);
    broken.signs[0] = 0xff;
    assert.is(codeOf(() => bs.linear(broken)), 'E_FORMAT');
    const ternary = TernaryWeights.fromTernary([1, 3], [1, 0, -1], [1]);
    ternary.signs[0] |= 2; // sign bit on a zero weight
    assert.is(codeOf(() => bs.linear(ternary)), 'E_FORMAT');
    const pow2 = PowerOfTwoWeights.fromCodes([2, 3], [0, 1, 2, 3, 0, 1], { bits: 3, scope: 'row', e0: [0, 0] });
    pow2.e0[1] = -128;
    assert.is(codeOf(() => bs.linear(pow2)), 'E_RANGE');
    layer.dispose();
    xnor.dispose();
    assert.is(codeOf(() => layer.forward(new Float32Array(10))), 'E_DISPOSED');
    assert.is(codeOf(() => xnor.dots(new Float32Array(10))), 'E_DISPOSED');
  });

  test('empty shapes: in = 0 gives the bias, out = 0 an empty result', ({ bs }) => {
    const bias = [0.5, -2];
    for (const layer of [
      bs.linear(BinaryWeights.fromSigns([2, 0], [], [1, 1]), { bias }),
      bs.linear(TernaryWeights.fromTernary([2, 0], [], [1, 1]), { bias }),
      bs.linear(PowerOfTwoWeights.fromCodes([2, 0], [], { bits: 4, scope: 'row', e0: [0, 0] }), { bias }),
      bs.xnorLinear(BinaryWeights.fromSigns([2, 0], [], [1, 1]), { bias }),
    ]) {
      assert.equal([...layer.forward(new Float32Array(0), 3)], [0.5, -2, 0.5, -2, 0.5, -2], layer.constructor.name);
      layer.dispose();
    }
    assert.is(bs.linear(BinaryWeights.fromSigns([0, 5], [], [])).forward(new Float32Array(10), 2).length, 0);
  });
});
