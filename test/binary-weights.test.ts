// Binary weights: sign-bit packing against an element-wise formula, round trips, validation, the XNOR-Net
// quantizer (α = mean|w|, sign(0) = +1) on hand-computed rows, and the float64 forward references the
// accumulation-only and XNOR-popcount kernels will be tested against.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BinaryWeights, BitsieveError, quantizeXnor } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { binaryLinearReference, xnorDots, xnorLinearReference } from './reference/lowbit-linear.js';
import { linearReference, randomFloats } from './reference/linear.js';

const SEED = 20261201;
const randomSigns = (n: number, seed: number) => Array.from(randomFloats(n, seed), (v) => (v >= 0 ? 1 : -1));

/** Byte i of row r = Σ_t [sign(r, 8i + t) = +1]·2^t over the row's columns: the documented layout. */
function expectedPlane(signs: number[], rows: number, cols: number): number[] {
  const rowBytes = Math.ceil(cols / 8);
  const bytes: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < rowBytes; i++) {
      let byte = 0;
      for (let t = 0; t < 8 && 8 * i + t < cols; t++) if (signs[r * cols + 8 * i + t] === 1) byte += 2 ** t;
      bytes.push(byte);
    }
  }
  return bytes;
}

const format = suite('BinaryWeights format');

format('hand example: LSB first, rows start on a byte, padding bits 0', () => {
  // Row 0 signs + − − + + + − − | + → bits 0, 3, 4, 5 of byte 0 = 0x39, bit 0 of byte 1.
  // Row 1 all − except column 8 → 0x00, 0x01.
  const b = BinaryWeights.fromSigns([2, 9], [1, -1, -1, 1, 1, 1, -1, -1, 1, -1, -1, -1, -1, -1, -1, -1, -1, 1], [0.5, 2]);
  assert.equal([...b.signs], [0x39, 0x01, 0x00, 0x01]);
  assert.equal([...b.toDense()], [0.5, -0.5, -0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -2, -2, -2, -2, -2, -2, -2, -2, 2]);
});

format('packing matches the element-wise formula for ragged shapes; toDense gives ±α', () => {
  for (const [rows, cols] of [[1, 1], [3, 7], [5, 8], [4, 13], [2, 64], [7, 129], [0, 5], [3, 0]] as const) {
    const signs = randomSigns(rows * cols, rows * 100 + cols);
    const alpha = Array.from(randomFloats(rows, cols + 3), Math.abs);
    const b = BinaryWeights.fromSigns([rows, cols], signs, alpha);
    assert.equal([...b.signs], expectedPlane(signs, rows, cols), `[${rows}, ${cols}]`);
    const dense = b.toDense();
    for (let i = 0; i < rows * cols; i++) assert.is(dense[i], signs[i] * Math.fround(alpha[Math.floor(i / cols)]));
  }
});

format('bitsPerWeight: stored bits, 1 + 32/in when in is a multiple of 8', () => {
  assert.is(BinaryWeights.fromSigns([4, 64], randomSigns(256, 1), [1, 1, 1, 1]).bitsPerWeight, 1.5);
  assert.is(BinaryWeights.fromSigns([2, 256], randomSigns(512, 1), [1, 1]).bitsPerWeight, 1.125);
  assert.is(BinaryWeights.fromSigns([2, 9], randomSigns(18, 1), [1, 1]).bitsPerWeight, (8 * 4 + 64) / 18); // 2 bytes per row
  assert.is(BinaryWeights.fromSigns([0, 9], [], []).bitsPerWeight, 0);
});

format('bytes round trip is exact', () => {
  for (const [rows, cols] of [[3, 13], [1, 8], [0, 4], [2, 0], [5, 1]] as const) {
    const b = BinaryWeights.fromSigns([rows, cols], randomSigns(rows * cols, 9), Array.from(randomFloats(rows, 2), Math.abs));
    const back = BinaryWeights.fromBytes(b.toBytes());
    assert.equal(back.shape, b.shape);
    assert.equal(back.signs, b.signs);
    assert.equal(back.alpha, b.alpha);
  }
});

format('malformed input → typed errors', () => {
  const ok = () => ({ signs: new Uint8Array([0x39, 0x01, 0x00, 0x01]), alpha: new Float32Array([0.5, 2]) });
  const make = (f: (p: ReturnType<typeof ok>) => void) => () => {
    const p = ok();
    f(p);
    return new BinaryWeights([2, 9], p.signs, p.alpha);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.signs[1] = 0x03))), 'E_FORMAT'); // padding bit 9 set
  assert.is(codeOf(make((p) => (p.signs = new Uint8Array(3)))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.alpha = new Float32Array(3)))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.alpha[0] = -1))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.alpha[1] = NaN))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.alpha[1] = Infinity))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.signs = [0x39, 1, 0, 1] as never))), 'E_DTYPE');
  assert.is(codeOf(make((p) => (p.alpha = new Float64Array(2) as never))), 'E_DTYPE');
  assert.is(codeOf(() => new BinaryWeights([2, -1], new Uint8Array(0), new Float32Array(2))), 'E_RANGE');
  assert.is(codeOf(() => BinaryWeights.fromSigns([1, 3], [1, 0, -1], [1])), 'E_RANGE'); // 0 is not a sign
  assert.is(codeOf(() => BinaryWeights.fromSigns([1, 3], [1, -1], [1])), 'E_SHAPE');
  assert.is(codeOf(() => BinaryWeights.fromSigns([1, 3], [1, -1, 1], null as never)), 'E_DTYPE');
  assert.is(codeOf(() => BinaryWeights.fromSigns([1, 3], [1, -1, 1], [1, 2])), 'E_FORMAT');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = BinaryWeights.fromSigns([2, 9], randomSigns(18, 4), [0.5, 2]).toBytes();
  assert.is(codeOf(() => BinaryWeights.fromBytes(good)), 'no error');
  assert.is(codeOf(() => BinaryWeights.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  const set = (offset: number, value: number) => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(offset, value, true);
    return b;
  };
  assert.is(codeOf(() => BinaryWeights.fromBytes(set(8, 0xffffffff))), 'E_CORRUPT'); // absurd rows
  assert.is(codeOf(() => BinaryWeights.fromBytes(set(12, 17))), 'E_CORRUPT'); // cols without the data (3 bytes per row)
  assert.is(codeOf(() => BinaryWeights.fromBytes(set(16, 0xbf800000))), 'E_CORRUPT'); // α[0] = −1
  const pad = good.slice();
  pad[16 + 8 + 1] |= 0x80; // a padding bit of row 0
  assert.is(codeOf(() => BinaryWeights.fromBytes(pad)), 'E_CORRUPT');
  assert.is(codeOf(() => BinaryWeights.fromBytes(set(0, 0x58585858))), 'E_CORRUPT'); // magic
  assert.is(codeOf(() => BinaryWeights.fromBytes(set(4, 2))), 'E_UNSUPPORTED'); // version
  assert.is(codeOf(() => BinaryWeights.fromBytes([1, 2] as never)), 'E_DTYPE');
});

format('fast-check: random matrices round-trip; mutated bytes give a valid matrix or a BitsieveError', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 1e6 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (rows, cols, seed, at, byte) => {
      const signs = randomSigns(rows * cols, seed);
      const b = BinaryWeights.fromSigns([rows, cols], signs, Array.from(randomFloats(rows, seed + 1), Math.abs));
      const bytes = b.toBytes();
      assert.equal(BinaryWeights.fromBytes(bytes).toDense(), b.toDense());
      assert.equal([...b.signs], expectedPlane(signs, rows, cols));
      const mutated = bytes.slice();
      mutated[at % mutated.length] = byte;
      try {
        BinaryWeights.fromBytes(mutated).validate();
      } catch (e) {
        if (!(e instanceof BitsieveError)) throw e;
      }
      return true;
    }),
    { seed: SEED, numRuns: 300 },
  );
});

format.run();

const xnor = suite('quantizeXnor');

xnor('hand example: α = mean|w| per row, sign(0) = +1, errors from the definition', () => {
  // Row 0: mean(0.5, 1, 0, 2.5) = 1; row 1: mean(0.25, 0.25, 0.75, 0.75) = 0.5.
  const w = new Float32Array([0.5, -1, 0, 2.5, -0.25, 0.25, -0.75, 0.75]);
  const { format: b, weightError, sparsity } = quantizeXnor(w, [2, 4]);
  assert.equal([...b.alpha], [1, 0.5]);
  assert.equal([...b.toDense()], [1, -1, 1, 1, -0.5, 0.5, -0.5, 0.5]);
  // ‖W − Ŵ‖² = 0.25 + 0 + 1 + 2.25 + 4·0.0625 = 3.75, ‖W‖² = 7.5 + 0.125 + 1.125 = 8.75.
  assert.is(weightError, Math.sqrt(3.75 / 8.75));
  assert.is(sparsity, 0);
  // Tensor scope: mean of all eight |w| = 6/8.
  assert.equal([...quantizeXnor(w, [2, 4], { scope: 'tensor' }).format.alpha], [0.75, 0.75]);
  // −0 counts as ≥ 0.
  assert.equal([...quantizeXnor(new Float32Array([-0, -2]), [1, 2]).format.toDense()], [1, -1]);
});

xnor('α is the float32-rounded mean |w| and minimizes ‖w − α·sign(w)‖ (fast-check)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1e6 }), (rows, cols, seed) => {
      const w = randomFloats(rows * cols, seed);
      const { format: b } = quantizeXnor(w, [rows, cols]);
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += Math.abs(w[r * cols + j]);
        assert.is(b.alpha[r], Math.fround(sum / cols));
        // ‖w − a·sign(w)‖² (up to Σw²) = n·a² − 2a·Σ|w|: the stored α beats any α·(1 ± 10⁻³).
        const a = b.alpha[r];
        const cost = (v: number) => cols * v * v - 2 * v * sum;
        assert.ok(cost(a) < Math.min(cost(a * 1.001), cost(a * 0.999)));
      }
      const dense = b.toDense();
      for (let i = 0; i < w.length; i++) assert.is(Math.sign(dense[i]) || 1, w[i] >= 0 ? 1 : -1);
      return true;
    }),
    { seed: SEED, numRuns: 100 },
  );
});

xnor('output error against a direct float64 computation; bad options → typed errors', () => {
  const [rows, cols, batch] = [6, 20, 5];
  const w = randomFloats(rows * cols, 3);
  const x = randomFloats(batch * cols, 4);
  const { format: b, outputError } = quantizeXnor(w, [rows, cols], { calibration: x });
  const q = b.toDense();
  let num = 0;
  let den = 0;
  for (let s = 0; s < batch; s++) {
    for (let o = 0; o < rows; o++) {
      let yw = 0;
      let yq = 0;
      for (let k = 0; k < cols; k++) {
        yw += x[s * cols + k] * w[o * cols + k];
        yq += x[s * cols + k] * q[o * cols + k];
      }
      num += (yw - yq) ** 2;
      den += yw ** 2;
    }
  }
  assert.ok(Math.abs((outputError as number) - Math.sqrt(num / den)) < 1e-12);
  assert.is(quantizeXnor(w, [rows, cols]).outputError, undefined);
  assert.is(codeOf(() => quantizeXnor(w, [rows, cols], { scope: 'column' as never })), 'E_RANGE');
  assert.is(codeOf(() => quantizeXnor(w, [rows, cols + 1])), 'E_SHAPE');
  assert.is(codeOf(() => quantizeXnor([1, NaN], [1, 2])), 'E_RANGE');
  assert.is(codeOf(() => quantizeXnor(w, [rows, cols], { calibration: new Float32Array(cols + 1) })), 'E_SHAPE');
});

xnor.run();

const reference = suite('binary forward references');

reference('accumulate-then-scale reference equals the dense float64 product within rounding', () => {
  for (const [batch, out, inF] of [[1, 7, 33], [3, 5, 8], [2, 1, 1], [4, 9, 100]] as const) {
    const { format: b } = quantizeXnor(randomFloats(out * inF, out + inF), [out, inF]);
    const x = randomFloats(batch * inF, 7);
    const bias = randomFloats(out, 8);
    const ref = binaryLinearReference(b, { x, batch, bias });
    const dense = linearReference({ w: b.toDense(), x, bias, batch, out, in: inF, relu: false });
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(ref[i] - dense[i]) <= 1e-12 * (1 + Math.abs(dense[i])), `${ref[i]} vs ${dense[i]}`);
    const relu = binaryLinearReference(b, { x, batch, bias, relu: true });
    for (let i = 0; i < ref.length; i++) assert.is(relu[i], Math.max(ref[i], 0));
  }
});

reference('XNOR dots: hand example and in − 2·(sign disagreements)', () => {
  // w signs + − + (α 2), x = [0.5, 0, −3]: sgn(x) = + + −, products + − −: dot = −1, β = 3.5/3.
  const b = BinaryWeights.fromSigns([1, 3], [1, -1, 1], [2]);
  assert.equal([...xnorDots(b, [0.5, 0, -3], 1)], [-1]);
  assert.ok(Math.abs(xnorLinearReference(b, { x: [0.5, 0, -3], batch: 1 })[0] - 2 * (3.5 / 3) * -1) < 1e-15);
  const [out, inF, batch] = [5, 77, 3];
  const w = quantizeXnor(randomFloats(out * inF, 1), [out, inF]).format;
  const x = randomFloats(batch * inF, 2);
  const dots = xnorDots(w, x, batch);
  const dense = w.toDense();
  for (let s = 0; s < batch; s++) {
    for (let o = 0; o < out; o++) {
      let disagree = 0;
      for (let k = 0; k < inF; k++) if (dense[o * inF + k] >= 0 !== x[s * inF + k] >= 0) disagree++;
      assert.is(dots[s * out + o], inF - 2 * disagree);
    }
  }
});

reference.run();
