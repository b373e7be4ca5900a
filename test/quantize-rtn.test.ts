// The group-wise integer grid (src/compress/quantize/grid.ts, quantized-weights.ts) and
// round-to-nearest: properties of every output (codes in range, the dequantization formula,
// exact zeros, stored scales exactly representable, the half-step error bound), hand-derived
// golden ties, hybrid never worse than either pure grid, and RTN equal to the independent float64
// reference (test/reference/quantize.ts) on random matrices.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QuantizedWeights, quantizeRtn, type QuantMode, type ScaleDtype } from '../src/index.js';
import { floatToHalf, halfToFloat } from '../src/formats/half.js';
import { codeOf } from './helpers/errors.js';
import { randomFloats } from './reference/linear.js';
import { f16Value, rtnReference } from './reference/quantize.js';

const grid = suite('quantization grid');
const rtn = suite('quantizeRtn');
const SEED = 20261123;

const MODES: QuantMode[] = ['symmetric', 'asymmetric', 'hybrid'];
const DTYPES: ScaleDtype[] = ['f32', 'f16'];

/** A random case: shape, a group size dividing `in`, a grid, weights with occasional exact zeros and outliers. */
const rtnCase = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), groups: fc.integer({ min: 1, max: 4 }), groupSize: fc.integer({ min: 1, max: 9 }), bits: fc.integer({ min: 2, max: 8 }), mode: fc.constantFrom(...MODES), scaleDtype: fc.constantFrom(...DTYPES) })
  .chain((c) =>
    fc.record({
      ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, fc.constant(v)])),
      w: fc.array(fc.oneof(fc.float({ min: -3, max: 3, noNaN: true }), fc.constant(0), fc.float({ min: Math.fround(-1e-6), max: Math.fround(1e-6), noNaN: true }), fc.float({ min: -300, max: 300, noNaN: true })), {
        minLength: c.rows * c.groups * c.groupSize,
        maxLength: c.rows * c.groups * c.groupSize,
      }),
    }),
  ) as fc.Arbitrary<{ rows: number; groups: number; groupSize: number; bits: number; mode: QuantMode; scaleDtype: ScaleDtype; w: number[] }>;

grid('every output: codes and zeros in range, w = f32(s·(q − z)), stored scales exact in their dtype, 0 stays 0, error ≤ half a step', () => {
  fc.assert(
    fc.property(rtnCase, ({ rows, groups, groupSize, bits, mode, scaleDtype, w }) => {
      const cols = groups * groupSize;
      const weights = Float32Array.from(w);
      const q = quantizeRtn(weights, [rows, cols], { bits, groupSize, mode, scaleDtype }).format;
      const maxq = 2 ** bits - 1;
      const mid = 2 ** (bits - 1);
      assert.ok(q.codes.every((c) => c <= maxq));
      assert.is(q.zeros === undefined, mode === 'symmetric');
      assert.is(q.symmetric === undefined, mode !== 'hybrid');
      q.zeros?.forEach((z, i) => assert.ok(z <= maxq && (q.symmetric?.[i] !== 1 || z === mid)));
      for (const s of q.scales) {
        assert.ok(s > 0 && Number.isFinite(s));
        assert.is(scaleDtype === 'f16' ? halfToFloat(floatToHalf(s)) : Math.fround(s), s);
        if (scaleDtype === 'f16') assert.is(f16Value(s), s);
      }
      const dense = q.dequantize();
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < cols; k++) {
          const i = r * cols + k;
          const g = r * groups + Math.floor(k / groupSize);
          const z = q.zeros ? q.zeros[g] : mid;
          assert.ok(Object.is(dense[i], Math.fround(q.scales[g] * (q.codes[i] - z))), `[${r}, ${k}]`);
          if (weights[i] === 0) assert.is(dense[i], 0);
          // Half a step, plus the range lost when the scale was rounded down (≤ maxq · one ulp of the scale).
          const s = q.scales[g];
          const ulp = 2 ** (scaleDtype === 'f16' ? Math.max(Math.floor(Math.log2(s)), -14) - 10 : Math.max(Math.floor(Math.log2(s)), -126) - 23);
          assert.ok(Math.abs(dense[i] - weights[i]) <= s * 0.5 * (1 + 1e-6) + maxq * ulp, `[${r}, ${k}]: ${weights[i]} → ${dense[i]}`);
        }
      }
    }),
    { seed: SEED, numRuns: 400 },
  );
});

grid('golden ties round half to even (torch.round), symmetric code 2^(b−1) is 0, symmetric clamps at 2^(b−1) − 1', () => {
  // Asymmetric 4-bit f32, range [0, 15]: s = 15/15 = 1, z = 0, so code = round_even(w).
  const asym = quantizeRtn(Float32Array.of(0, 15, 0.5, 1.5, 2.5, 3.5, 14.5, 7.25), [1, 8], { bits: 4, groupSize: 8, mode: 'asymmetric', scaleDtype: 'f32' }).format;
  assert.equal([...asym.scales, ...asym.zeros!], [1, 0]);
  assert.equal([...asym.codes], [0, 15, 0, 2, 2, 4, 14, 7]);
  // Symmetric 4-bit f32, max|w| = 7.5: s = 2·7.5/15 = 1, z = 8; 7.5 → 8 + 8 clamps to 15 (value 7).
  const sym = quantizeRtn(Float32Array.of(-7.5, 7.5, 0.5, 1.5, -2.5, 0), [1, 6], { bits: 4, groupSize: 6, mode: 'symmetric', scaleDtype: 'f32' }).format;
  assert.equal([...sym.scales], [1]);
  assert.equal([...sym.codes], [0, 15, 8, 10, 6, 8]);
  assert.equal([...sym.dequantize()], [-8, 7, 0, 2, -2, 0]);
  // Asymmetric 2-bit f32, range [−1, 2]: s = 1, z = round_even(1) = 1; 0.5 → 0 + 1, −0.5 → −0 + 1, 1.5 → 2 + 1.
  const two = quantizeRtn(Float32Array.of(-1, 2, 0.5, -0.5, 1.5), [1, 5], { bits: 2, groupSize: 5, scaleDtype: 'f32' }).format;
  assert.equal([...two.codes], [0, 3, 1, 1, 3]);
  // f16 scales: range [0, 0.1] over 15 steps. By hand: 0.1/15 = 0.0066667 = 1.70667·2⁻⁸, fraction
  // 0.70667·1024 = 723.6 → 724 = 0x2D4, exponent 15 − 8 = 7: bits 0x1ED4 (s = 0.0066681); 0.1/s = 14.997 → 15.
  const half = quantizeRtn(Float32Array.of(0, 0.1), [1, 2], { bits: 4, groupSize: 2 }).format;
  assert.is(half.scales[0], halfToFloat(0x1ed4));
  assert.is(half.scaleDtype, 'f16');
  assert.is(half.codes[1], 15);
});

grid('all-zero and tiny groups: [−1, 1] range, no zero or infinite scales, everything decodes to 0 or saturates', () => {
  for (const mode of MODES) {
    for (const scaleDtype of DTYPES) {
      const zeros = quantizeRtn(new Float32Array(8), [2, 4], { bits: 3, groupSize: 2, mode, scaleDtype }).format;
      assert.ok(zeros.scales.every((s) => s === Math.fround(2 / 7) || s === f16Value(2 / 7)), `${mode} ${scaleDtype}`);
      assert.equal([...zeros.dequantize()], new Array(8).fill(0));
      const tiny = quantizeRtn(Float32Array.of(1e-30, -3e-31), [1, 2], { bits: 4, groupSize: 2, mode, scaleDtype }).format;
      assert.ok(tiny.scales[0] > 0, `${mode} ${scaleDtype}`);
      if (scaleDtype === 'f16') assert.is(tiny.scales[0], 2 ** -24);
      const huge = quantizeRtn(Float32Array.of(3e38, -3e38), [1, 2], { bits: 2, groupSize: 2, mode, scaleDtype }).format;
      assert.ok(Number.isFinite(huge.scales[0]));
      assert.ok(huge.dequantize().every(Number.isFinite));
    }
  }
});

grid('hybrid: each group takes the grid with the smaller squared error (ties symmetric), so it is never worse than either', () => {
  let chosen = [0, 0];
  for (let seed = 1; seed <= 6; seed++) {
    const rows = 8, cols = 64, groupSize = 8;
    // Mix centred and one-sided groups so both grids win sometimes.
    const w = randomFloats(rows * cols, seed).map((v, i) => (Math.floor(i / groupSize) % 3 === 0 ? Math.abs(v) + 0.3 : v));
    const run = (mode: QuantMode) => quantizeRtn(w, [rows, cols], { bits: 3, groupSize, mode }).format;
    const [hyb, sym, asym] = [run('hybrid'), run('symmetric'), run('asymmetric')];
    const sse = (d: Float32Array, g: number) => d.subarray(g * groupSize, (g + 1) * groupSize).reduce((a, v, i) => a + (v - w[g * groupSize + i]) ** 2, 0);
    const [dh, ds, da] = [hyb.dequantize(), sym.dequantize(), asym.dequantize()];
    for (let g = 0; g < rows * (cols / groupSize); g++) {
      const useSym = hyb.symmetric![g] === 1;
      chosen[useSym ? 0 : 1]++;
      assert.is(useSym, sse(ds, g) <= sse(da, g), `group ${g}`);
      assert.is(sse(dh, g), Math.min(sse(ds, g), sse(da, g)));
      assert.is(hyb.scales[g], useSym ? sym.scales[g] : asym.scales[g]);
      if (!useSym) assert.is(hyb.zeros![g], asym.zeros![g]);
    }
  }
  assert.ok(chosen[0] > 0 && chosen[1] > 0, `both grids chosen: ${chosen}`);
});

grid('per-tensor = one row, one group: a single scale from the whole matrix', () => {
  const w = randomFloats(5 * 12, 7);
  const t = quantizeRtn(w, [1, 60], { groupSize: 60, mode: 'symmetric', scaleDtype: 'f32' });
  const amax = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  assert.equal([...t.format.scales], [Math.fround((2 * amax) / 15)]);
  assert.equal(t.format.codes.length, 60);
});

grid('QuantizedWeights.validate: inconsistent arrays → E_FORMAT', () => {
  const base = quantizeRtn(randomFloats(2 * 8, 3), [2, 8], { bits: 3, groupSize: 4, mode: 'hybrid' }).format;
  const make = (patch: Partial<Record<string, unknown>>) => codeOf(() => new QuantizedWeights({ ...base, ...patch } as never));
  assert.is(make({}), 'no error');
  assert.is(make({ codes: Uint8Array.of(...base.codes.subarray(1), 8) }), 'E_FORMAT'); // 8 > 2³ − 1
  assert.is(make({ codes: base.codes.subarray(1) }), 'E_FORMAT');
  assert.is(make({ codes: Array.from(base.codes) }), 'E_FORMAT');
  assert.is(make({ scales: Float32Array.of(0.1, ...base.scales.subarray(1)) }), 'E_FORMAT'); // 0.1 is no f16 value
  assert.is(make({ scales: Float32Array.of(0, ...base.scales.subarray(1)) }), 'E_FORMAT');
  assert.is(make({ scales: Float32Array.of(0.1, ...base.scales.subarray(1)), scaleDtype: 'f32' }), 'no error');
  assert.is(make({ zeros: undefined }), 'E_FORMAT');
  assert.is(make({ symmetric: undefined }), 'E_FORMAT');
  assert.is(make({ mode: 'asymmetric' }), 'E_FORMAT'); // flags outside hybrid
  assert.is(make({ symmetric: Uint8Array.of(1, 1, 1, 1), zeros: Uint8Array.of(4, 4, 4, 3) }), 'E_FORMAT'); // symmetric zero must be 4
  assert.is(make({ symmetric: Uint8Array.of(2, 0, 0, 0) }), 'E_FORMAT');
  assert.is(make({ groupSize: 3 }), 'E_FORMAT');
  assert.is(make({ bits: 9 }), 'E_FORMAT');
  assert.is(make({ bits: undefined }), 'E_FORMAT');
  assert.is(make({ gIdx: Int32Array.of(0, 1, 0, 1, 0, 1, 0, 1) }), 'no error');
  assert.is(make({ gIdx: Int32Array.of(0, 1, 0, 1, 0, 1, 0, 0) }), 'E_FORMAT'); // group 0 holds 5
  assert.is(make({ gIdx: Int32Array.of(0, 1, 0, 1, 0, 1, 0, 2) }), 'E_FORMAT');
  // gIdx decides which group's scale a column uses.
  const scattered = new QuantizedWeights({ ...base, gIdx: Int32Array.of(1, 1, 1, 1, 0, 0, 0, 0) });
  const d = scattered.dequantize();
  for (let k = 0; k < 8; k++) {
    const p = base.params(0, k < 4 ? 1 : 0);
    assert.is(d[k], Math.fround(p.scale * (base.codes[k] - p.zero)));
  }
});

rtn('equals the float64 reference: codes, scales, zeros, values, errors', () => {
  fc.assert(
    fc.property(rtnCase, ({ rows, groups, groupSize, bits, mode, scaleDtype, w }) => {
      const cols = groups * groupSize;
      const weights = Float32Array.from(w);
      const x = randomFloats(3 * cols, rows + cols);
      const result = quantizeRtn(weights, [rows, cols], { bits, groupSize, mode, scaleDtype, calibration: x });
      const ref = rtnReference(weights, rows, cols, { bits, groupSize, mode, scaleDtype });
      assert.equal([...result.format.codes], ref.codes);
      for (let r = 0; r < rows; r++) {
        for (let g = 0; g < groups; g++) {
          const p = result.format.params(r, g);
          const want = ref.params[r][g];
          assert.equal([p.scale, p.zero], [want.scale, want.zero], `row ${r} group ${g}`);
          if (mode === 'hybrid') assert.is(p.symmetric, want.symmetric);
        }
      }
      assert.equal(Array.from(result.format.dequantize()), Array.from(ref.dequantized));
      let num = 0, den = 0;
      weights.forEach((v, i) => ((num += (v - ref.dequantized[i]) ** 2), (den += v * v)));
      assert.ok(Math.abs(result.weightError - (den ? Math.sqrt(num / den) : Math.sqrt(num))) <= 1e-12);
      assert.type(result.outputError, 'number');
    }),
    { seed: SEED + 1, numRuns: 300 },
  );
});

rtn('output error on calibration = ‖X(W − Ŵ)ᵀ‖ / ‖XWᵀ‖; absent without calibration', () => {
  const rows = 4, cols = 16, batch = 5;
  const w = randomFloats(rows * cols, 51);
  const x = randomFloats(batch * cols, 52);
  const result = quantizeRtn(w, [rows, cols], { bits: 2, groupSize: 8, calibration: x });
  const d = result.format.dequantize();
  let num = 0, den = 0;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < rows; o++) {
      let y = 0, yq = 0;
      for (let k = 0; k < cols; k++) {
        y += x[b * cols + k] * w[o * cols + k];
        yq += x[b * cols + k] * d[o * cols + k];
      }
      num += (y - yq) ** 2;
      den += y * y;
    }
  }
  assert.ok(Math.abs(result.outputError! - Math.sqrt(num / den)) < 1e-12);
  assert.ok(result.outputError! > 0.01);
  assert.is(quantizeRtn(w, [rows, cols], { groupSize: 8 }).outputError, undefined);
});

rtn('bad arguments → typed errors before any work', () => {
  const w = randomFloats(2 * 8, 9);
  const code = (options: unknown, shape: [number, number] = [2, 8], weights: ArrayLike<number> = w) => codeOf(() => quantizeRtn(weights, shape, options as never));
  assert.is(code({ groupSize: 8 }), 'no error');
  assert.is(code(undefined), 'E_SHAPE'); // default groupSize 128 does not divide 8
  assert.is(code({ groupSize: 3 }), 'E_SHAPE');
  assert.is(code({ groupSize: 0 }), 'E_RANGE');
  assert.is(code({ groupSize: 2.5 }), 'E_DTYPE');
  assert.is(code({ groupSize: 8, bits: 0 }), 'E_RANGE');
  assert.is(code({ groupSize: 8, bits: 9 }), 'E_RANGE');
  assert.is(code({ groupSize: 8, bits: 4.5 }), 'E_DTYPE');
  assert.is(code({ groupSize: 8, bits: 1 }), 'no error'); // asymmetric 1-bit: {0, s} or {−s, 0}
  assert.is(code({ groupSize: 8, bits: 1, mode: 'symmetric' }), 'E_UNSUPPORTED');
  assert.is(code({ groupSize: 8, bits: 1, mode: 'hybrid' }), 'E_UNSUPPORTED');
  assert.is(code({ groupSize: 8, mode: 'sym' }), 'E_RANGE');
  assert.is(code({ groupSize: 8, scaleDtype: 'bf16' }), 'E_RANGE');
  assert.is(code({ groupSize: 8 }, [2, 7]), 'E_SHAPE');
  assert.is(code({ groupSize: 8 }, [2, 8], Float32Array.of(...w.subarray(1), NaN)), 'E_RANGE');
  assert.is(code({ groupSize: 8, calibration: new Float32Array(7) }), 'E_SHAPE');
  assert.is(code({ groupSize: 8, calibration: [1, 2] }), 'E_DTYPE');
  assert.is(code({ groupSize: 8, calibration: Float32Array.of(...new Array(7).fill(0), Infinity) }), 'E_RANGE');
});

grid.run();
rtn.run();
