// Ternary weights: two bit planes against an element-wise formula, canonical zeros, round trips,
// validation, TWN (Δ = 0.7·mean|w|, α = mean of the kept |w|) on hand-computed rows and as a property,
// and the float64 forward reference of the accumulation-only kernel.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, TernaryWeights, quantizeTwn } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { ternaryLinearReference } from './reference/lowbit-linear.js';
import { linearReference, randomFloats } from './reference/linear.js';

const SEED = 20261202;
const randomTernary = (n: number, seed: number) => Array.from(randomFloats(n, seed), (v) => (v > 0.3 ? 1 : v < -0.3 ? -1 : 0));

/** Byte i of row r = Σ_t [value(r, 8i + t) satisfies `has`]·2^t: the documented plane layout. */
function expectedPlane(values: number[], rows: number, cols: number, has: (t: number) => boolean): number[] {
  const rowBytes = Math.ceil(cols / 8);
  const bytes: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < rowBytes; i++) {
      let byte = 0;
      for (let t = 0; t < 8 && 8 * i + t < cols; t++) if (has(values[r * cols + 8 * i + t])) byte += 2 ** t;
      bytes.push(byte);
    }
  }
  return bytes;
}

const format = suite('TernaryWeights format');

format('hand example: sign plane (1 = +), nonzero plane, LSB first', () => {
  // + 0 − − 0 + 0 0 | − : nonzero bits 0, 2, 3, 5 = 0x2D and bit 0 of byte 1; sign bits 0, 5 = 0x21, 0x00.
  const t = TernaryWeights.fromTernary([1, 9], [1, 0, -1, -1, 0, 1, 0, 0, -1], [0.25]);
  assert.equal([...t.nonzero], [0x2d, 0x01]);
  assert.equal([...t.signs], [0x21, 0x00]);
  assert.equal([...t.toDense()], [0.25, 0, -0.25, -0.25, 0, 0.25, 0, 0, -0.25]);
  assert.is(t.nnz, 5);
});

format('planes match the element-wise formula for ragged shapes; toDense gives {−α, 0, +α}', () => {
  for (const [rows, cols] of [[1, 1], [3, 7], [5, 8], [4, 13], [7, 129], [0, 5], [3, 0]] as const) {
    const values = randomTernary(rows * cols, rows * 100 + cols);
    const alpha = Array.from(randomFloats(rows, cols + 3), Math.abs);
    const t = TernaryWeights.fromTernary([rows, cols], values, alpha);
    assert.equal([...t.signs], expectedPlane(values, rows, cols, (v) => v === 1), `signs [${rows}, ${cols}]`);
    assert.equal([...t.nonzero], expectedPlane(values, rows, cols, (v) => v !== 0), `nonzero [${rows}, ${cols}]`);
    const dense = t.toDense();
    for (let i = 0; i < rows * cols; i++) assert.ok(Object.is(dense[i], values[i] === 0 ? 0 : values[i] * Math.fround(alpha[Math.floor(i / cols)])));
    assert.is(t.nnz, values.filter((v) => v !== 0).length);
  }
});

format('bitsPerWeight: 2 + 32/in when in is a multiple of 8; bytes round trip', () => {
  assert.is(TernaryWeights.fromTernary([4, 64], randomTernary(256, 1), [1, 1, 1, 1]).bitsPerWeight, 2.5);
  assert.is(TernaryWeights.fromTernary([1, 12], randomTernary(12, 1), [1]).bitsPerWeight, (8 * 4 + 32) / 12);
  for (const [rows, cols] of [[3, 13], [1, 8], [0, 4], [2, 0], [5, 1]] as const) {
    const t = TernaryWeights.fromTernary([rows, cols], randomTernary(rows * cols, 9), Array.from(randomFloats(rows, 2), Math.abs));
    const back = TernaryWeights.fromBytes(t.toBytes());
    assert.equal(back.shape, t.shape);
    assert.equal(back.signs, t.signs);
    assert.equal(back.nonzero, t.nonzero);
    assert.equal(back.alpha, t.alpha);
  }
});

format('malformed input → typed errors', () => {
  const ok = () => ({ signs: new Uint8Array([0x21, 0x00]), nonzero: new Uint8Array([0x2d, 0x01]), alpha: new Float32Array([0.25]) });
  const make = (f: (p: ReturnType<typeof ok>) => void) => () => {
    const p = ok();
    f(p);
    return new TernaryWeights([1, 9], p.signs, p.nonzero, p.alpha);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.signs[0] = 0x23))), 'E_FORMAT'); // sign bit on the zero at column 1
  assert.is(codeOf(make((p) => (p.signs[1] = 0x01))), 'no error'); // column 8 is nonzero: + is fine
  assert.is(codeOf(make((p) => (p.nonzero[1] = 0x03))), 'E_FORMAT'); // padding
  assert.is(codeOf(make((p) => (p.nonzero = new Uint8Array(3)))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.signs = new Uint8Array(1)))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.alpha = new Float32Array([-0.5])))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.nonzero = null as never))), 'E_DTYPE');
  assert.is(codeOf(() => TernaryWeights.fromTernary([1, 3], [1, 2, 0], [1])), 'E_RANGE');
  assert.is(codeOf(() => TernaryWeights.fromTernary([1, 3], [1, 0.5, 0], [1])), 'E_RANGE');
  assert.is(codeOf(() => TernaryWeights.fromTernary([2, 3], [1, 0, 0], [1, 1])), 'E_SHAPE');
  assert.is(codeOf(() => TernaryWeights.fromTernary([1, 3], [1, 0, 0], [Infinity])), 'E_RANGE');
});

format('corrupt bytes → E_CORRUPT; fast-check round trips and byte mutations', () => {
  const good = TernaryWeights.fromTernary([1, 9], [1, 0, -1, -1, 0, 1, 0, 0, -1], [0.25]).toBytes();
  // header 16 B | α 4 B | signs 2 B | nonzero 2 B
  const orphan = good.slice();
  orphan[20] |= 0x02; // sign bit on a zero weight
  assert.is(codeOf(() => TernaryWeights.fromBytes(orphan)), 'E_CORRUPT');
  assert.is(codeOf(() => TernaryWeights.fromBytes(good.subarray(0, 22))), 'E_CORRUPT');
  assert.is(codeOf(() => TernaryWeights.fromBytes(good.subarray(0, 12))), 'E_CORRUPT');
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 1e6 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (rows, cols, seed, at, byte) => {
      const values = randomTernary(rows * cols, seed);
      const t = TernaryWeights.fromTernary([rows, cols], values, Array.from(randomFloats(rows, seed + 1), Math.abs));
      const bytes = t.toBytes();
      assert.equal(TernaryWeights.fromBytes(bytes).toDense(), t.toDense());
      const mutated = bytes.slice();
      mutated[at % mutated.length] = byte;
      try {
        TernaryWeights.fromBytes(mutated).validate();
      } catch (e) {
        if (!(e instanceof BitsieveError)) throw e;
      }
      return true;
    }),
    { seed: SEED, numRuns: 300 },
  );
});

format.run();

const twn = suite('quantizeTwn');

twn('hand example: Δ = 0.7·mean|w|, kept |w| > Δ, α = their mean', () => {
  // Row 0: Σ|w| = 5.5, mean 0.6875, Δ = 0.48125; kept 1, 0.5, −2.25, 0.625, −0.75 → α = 5.125/5 = 1.025.
  // Row 1: all zero → Δ = 0, nothing kept, α = 0.
  const w = new Float32Array([1, -0.25, 0.5, -2.25, 0.125, 0, 0.625, -0.75, 0, 0, 0, 0, 0, 0, 0, 0]);
  const { format: t, threshold, sparsity, weightError } = quantizeTwn(w, [2, 8]);
  assert.ok(Math.abs(threshold[0] - 0.48125) < 1e-15);
  assert.is(threshold[1], 0);
  assert.equal([...t.alpha], [Math.fround(1.025), 0]);
  const a = Math.fround(1.025);
  assert.equal([...t.toDense().subarray(0, 8)], [a, 0, a, -a, 0, 0, a, -a]);
  assert.is(sparsity, 11 / 16);
  // ‖W − Ŵ‖² from the table above, in float64.
  const q = [a, 0, a, -a, 0, 0, a, -a];
  let num = 0;
  let den = 0;
  for (let i = 0; i < 8; i++) {
    num += (w[i] - q[i]) ** 2;
    den += w[i] ** 2;
  }
  assert.ok(Math.abs(weightError - Math.sqrt(num / den)) < 1e-15);
});

twn('a weight exactly at Δ is zeroed (strict >); thresholdFactor and tensor scope', () => {
  // mean|w| = 1, factor 0.5 → Δ = 0.5 exactly: the two 0.5s go to 0, α = (2 + 1)/2.
  const { format: t, threshold } = quantizeTwn([2, -0.5, 0.5, -1], [1, 4], { thresholdFactor: 0.5 });
  assert.equal([...threshold], [0.5]);
  assert.equal([...t.toDense()], [1.5, 0, 0, -1.5]);
  // Tensor scope over rows [4, 4, 4, 4] and [0.5, 0.5, 1, 1]: mean 2.375, Δ = 1.6625 → row 1 is all zero,
  // α = 4 for both rows.
  const tensor = quantizeTwn([4, -4, 4, 4, 0.5, 0.5, -1, 1], [2, 4], { scope: 'tensor' });
  assert.equal([...tensor.format.alpha], [4, 4]);
  assert.equal([...tensor.format.toDense()], [4, -4, 4, 4, 0, 0, 0, 0]);
  assert.ok(Math.abs(tensor.threshold[0] - 0.7 * 2.375) < 1e-15 && tensor.threshold[1] === tensor.threshold[0]);
  // The same rows quantized per row keep row 1 (Δ = 0.525 → ±1 kept, α = 1).
  assert.equal([...quantizeTwn([4, -4, 4, 4, 0.5, 0.5, -1, 1], [2, 4]).format.toDense()], [4, -4, 4, 4, 0, 0, -1, 1]);
});

twn('property: the TWN definition holds for every row (fast-check)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 1e6 }), (rows, cols, seed) => {
      const w = randomFloats(rows * cols, seed);
      const { format: t, threshold } = quantizeTwn(w, [rows, cols]);
      const dense = t.toDense();
      for (let r = 0; r < rows; r++) {
        let sumAbs = 0;
        for (let j = 0; j < cols; j++) sumAbs += Math.abs(w[r * cols + j]);
        const delta = threshold[r];
        assert.ok(Math.abs(delta - (0.7 * sumAbs) / cols) <= 1e-15 * sumAbs);
        let kept = 0;
        let keptSum = 0;
        for (let j = 0; j < cols; j++) {
          const v = w[r * cols + j];
          const q = dense[r * cols + j];
          if (Math.abs(v) > delta) {
            kept++;
            keptSum += Math.abs(v);
            assert.is(Math.sign(q), Math.sign(v));
          } else {
            assert.is(q, 0);
          }
        }
        assert.is(t.alpha[r], kept ? Math.fround(keptSum / kept) : 0);
      }
      return true;
    }),
    { seed: SEED, numRuns: 100 },
  );
});

twn('bad options → typed errors', () => {
  const w = randomFloats(12, 1);
  assert.is(codeOf(() => quantizeTwn(w, [3, 4], { thresholdFactor: -1 })), 'E_RANGE');
  assert.is(codeOf(() => quantizeTwn(w, [3, 4], { thresholdFactor: NaN })), 'E_RANGE');
  assert.is(codeOf(() => quantizeTwn(w, [3, 4], { thresholdFactor: '0.7' as never })), 'E_RANGE');
  assert.is(codeOf(() => quantizeTwn(w, [3, 4], { scope: 'block' as never })), 'E_RANGE');
  assert.is(codeOf(() => quantizeTwn(w, [4, 4])), 'E_SHAPE');
  assert.is(codeOf(() => quantizeTwn(w, [3, 4], { calibration: new Float64Array(4) as never })), 'E_DTYPE');
  assert.is(codeOf(() => quantizeTwn([1, Infinity], [1, 2])), 'E_RANGE');
  assert.is(quantizeTwn(new Float32Array(0), [0, 3]).sparsity, 0);
});

twn.run();

const reference = suite('ternary forward reference');

reference('accumulate-then-scale reference equals the dense float64 product within rounding', () => {
  for (const [batch, out, inF] of [[1, 7, 33], [3, 5, 8], [2, 1, 1], [4, 9, 100]] as const) {
    const { format: t } = quantizeTwn(randomFloats(out * inF, out + inF), [out, inF]);
    const x = randomFloats(batch * inF, 7);
    const bias = randomFloats(out, 8);
    for (const relu of [false, true]) {
      const ref = ternaryLinearReference(t, { x, batch, bias, relu });
      const dense = linearReference({ w: t.toDense(), x, bias, batch, out, in: inF, relu });
      for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(ref[i] - dense[i]) <= 1e-12 * (1 + Math.abs(dense[i])), `${ref[i]} vs ${dense[i]}`);
    }
  }
});

reference.run();
