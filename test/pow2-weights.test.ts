// Power-of-two weights: the code map and b-bit LSB-first packing against element-wise formulas, e0 ranges,
// round trips and validation; exact log-domain rounding; the RTN and standard-deviation log2 quantizers on
// hand-computed rows and as properties; the float64 forward reference and the bit-level model of the
// exponent-addition kernel term (exact wherever the product is a normal float32).
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, POW2_MAX_BITS, POW2_MIN_BITS, PowerOfTwoWeights, quantizePow2, quantizeSdLog2 } from '../src/index.js';
import { floorLog2, nearestLog2 } from '../src/compress/quantize/log2-round.js';
import { codeOf } from './helpers/errors.js';
import { exponentAddTerm, pow2LinearReference, pow2Value, streamCode } from './reference/lowbit-linear.js';
import { linearReference, randomFloats } from './reference/linear.js';

const SEED = 20261203;

/** Random valid codes of a width (never the negative zero 2^b − 1). */
function randomCodes(n: number, bits: number, seed: number): number[] {
  return Array.from(randomFloats(n, seed), (v) => Math.floor(((v + 1) / 2) * (2 ** bits - 1)));
}

/** Whether a float32 value is ±2^n (all mantissa bits 0, a normal exponent). */
function isPowerOfTwo(v: number): boolean {
  const bits = new Uint32Array(new Float32Array([v]).buffer)[0];
  const exponent = (bits >>> 23) & 0xff;
  return (bits & 0x7fffff) === 0 && exponent > 0 && exponent < 255;
}

const format = suite('PowerOfTwoWeights format');

format('4-bit code map: 0…6 = +2^(e0−k), 7 = 0, 8…14 = −2^(e0−k); nibbles low first', () => {
  const codes = Array.from({ length: 15 }, (_, c) => c);
  const p = PowerOfTwoWeights.fromCodes([1, 15], codes, { bits: 4, scope: 'row', e0: [0] });
  assert.equal([...p.codes], [0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0x0e]);
  const k = [0, 1, 2, 3, 4, 5, 6];
  assert.equal([...p.toDense()], [...k.map((i) => 2 ** -i), 0, ...k.map((i) => -(2 ** -i))]);
  assert.equal([...PowerOfTwoWeights.fromCodes([1, 3], [0, 6, 14], { bits: 4, scope: 'tensor', e0: [-3] }).toDense()], [2 ** -3, 2 ** -9, -(2 ** -9)]);
});

format('3-bit codes straddle bytes: [1, 2, 3, 4, 5, 6] → D1 58 03', () => {
  // Stream bits: c0 = 001 at 0–2, c1 = 010 at 3–5, c2 = 011 at 6–8, c3 = 100 at 9–11, c4 = 101 at 12–14,
  // c5 = 110 at 15–17 → set bits 0 4 6 7 | 11 12 14 | 16 17.
  const p = PowerOfTwoWeights.fromCodes([1, 6], [1, 2, 3, 4, 5, 6], { bits: 3, scope: 'row', e0: [1] });
  assert.equal([...p.codes], [0xd1, 0x58, 0x03]);
  assert.equal([...p.toDense()], [1, 0.5, 0, -2, -1, -0.5]); // code 3 = zero, 4…6 negative
});

format('packing and decoding match the element-wise formulas for every width and ragged shapes', () => {
  for (let bits = POW2_MIN_BITS; bits <= POW2_MAX_BITS; bits++) {
    for (const [rows, cols] of [[1, 1], [3, 7], [2, 8], [4, 13], [3, 67], [0, 5], [3, 0]] as const) {
      const codes = randomCodes(rows * cols, bits, bits * 1000 + rows * 10 + cols);
      const zero = 2 ** (bits - 1) - 1;
      const e0 = Array.from({ length: rows }, (_, r) => zero - 1 - 126 + ((r * 37) % 200)); // min e0 upward
      const p = PowerOfTwoWeights.fromCodes([rows, cols], codes, { bits, scope: 'row', e0 });
      assert.is(p.codes.length, rows * Math.ceil((cols * bits) / 8));
      const dense = p.toDense();
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) {
          assert.is(streamCode(p.codes, r, cols, bits, j), codes[r * cols + j], `bits ${bits} [${r}, ${j}]`);
          assert.is(dense[r * cols + j], pow2Value(codes[r * cols + j], bits, e0[r]));
        }
      }
    }
  }
});

format('e0 range keeps every level a normal float32; bitsPerWeight', () => {
  // 4 bits: k ≤ 6, so e0 ≥ −120 (smallest level 2^−126); 6 bits: k ≤ 30, e0 ≥ −96; 2 bits: e0 ≥ −126.
  const at = (bits: number, e0: number, code: number) => () => PowerOfTwoWeights.fromCodes([1, 1], [code], { bits, scope: 'row', e0: [e0] });
  assert.is(at(4, -120, 6)().toDense()[0], 2 ** -126);
  assert.is(codeOf(at(4, -121, 0)), 'E_RANGE');
  assert.is(codeOf(at(6, -96, 30)), 'no error');
  assert.is(codeOf(at(6, -97, 30)), 'E_RANGE');
  assert.is(codeOf(at(2, -126, 0)), 'no error');
  assert.is(at(2, 127, 2)().toDense()[0], -(2 ** 127));
  assert.is(codeOf(at(2, 128, 0)), 'E_RANGE');
  const p = (scope: 'row' | 'tensor') => PowerOfTwoWeights.fromCodes([2, 16], new Array(32).fill(7), { bits: 4, scope, e0: scope === 'row' ? [0, 0] : [0] });
  assert.is(p('row').bitsPerWeight, 4.5); // 4 + 8/16
  assert.is(p('tensor').bitsPerWeight, 4.25); // (128 + 8)/32
});

format('bytes round trip is exact for both scopes and every width', () => {
  for (let bits = POW2_MIN_BITS; bits <= POW2_MAX_BITS; bits++) {
    for (const scope of ['row', 'tensor'] as const) {
      for (const [rows, cols] of [[3, 13], [1, 8], [0, 4], [2, 0]] as const) {
        const e0 = Array.from({ length: scope === 'row' ? rows : 1 }, (_, i) => -i);
        const p = PowerOfTwoWeights.fromCodes([rows, cols], randomCodes(rows * cols, bits, 5), { bits, scope, e0 });
        const back = PowerOfTwoWeights.fromBytes(p.toBytes());
        assert.equal([back.bits, back.scope, back.shape], [bits, scope, p.shape]);
        assert.equal(back.e0, p.e0);
        assert.equal(back.codes, p.codes);
      }
    }
  }
});

format('malformed input → typed errors', () => {
  const ok = () => ({ bits: 4, scope: 'row' as 'row' | 'tensor', e0: new Int8Array([0, -2]), codes: new Uint8Array([0x10, 0x02, 0x98, 0x07]) });
  const make = (f: (p: ReturnType<typeof ok>) => void) => () => {
    const p = ok();
    f(p);
    return new PowerOfTwoWeights([2, 3], p.bits, p.scope, p.e0, p.codes);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.codes[0] = 0xf0))), 'E_FORMAT'); // code 15: a zero with the sign bit
  assert.is(codeOf(make((p) => (p.codes[1] = 0x12))), 'E_FORMAT'); // padding nibble
  assert.is(codeOf(make((p) => (p.codes = new Uint8Array(3)))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.e0 = new Int8Array(1)))), 'E_FORMAT'); // scope 'row' needs 2
  assert.is(codeOf(make((p) => (p.scope = 'tensor'))), 'E_FORMAT'); // needs 1
  assert.is(codeOf(make((p) => { p.scope = 'tensor'; p.e0 = new Int8Array([3]); })), 'no error');
  assert.is(codeOf(make((p) => (p.scope = 'column' as never))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.e0[1] = -128))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.e0 = new Int16Array(2) as never))), 'E_DTYPE');
  assert.is(codeOf(make((p) => (p.bits = 7))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.bits = 1))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.bits = 4.5))), 'E_DTYPE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0, 16], { bits: 4, scope: 'row', e0: [0] })), 'E_RANGE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0, 15], { bits: 4, scope: 'row', e0: [0] })), 'E_RANGE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0, 1.5], { bits: 4, scope: 'row', e0: [0] })), 'E_RANGE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0], { bits: 4, scope: 'row', e0: [0] })), 'E_SHAPE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0, 0], { bits: 4, scope: 'row', e0: [0.5] })), 'E_DTYPE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0, 0], { bits: 4, scope: 'row', e0: 0 as never })), 'E_DTYPE');
  assert.is(codeOf(() => PowerOfTwoWeights.fromCodes([1, 2], [0, 0], null as never)), 'E_DTYPE');
});

format('corrupt bytes → E_CORRUPT; fast-check round trips and mutations', () => {
  const good = PowerOfTwoWeights.fromCodes([2, 3], [0, 1, 2, 8, 9, 7], { bits: 4, scope: 'row', e0: [0, -2] }).toBytes();
  const set = (offset: number, value: number) => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(offset, value, true);
    return b;
  };
  assert.is(codeOf(() => PowerOfTwoWeights.fromBytes(good)), 'no error');
  assert.is(codeOf(() => PowerOfTwoWeights.fromBytes(set(16, 7))), 'E_CORRUPT'); // bits
  assert.is(codeOf(() => PowerOfTwoWeights.fromBytes(set(20, 2))), 'E_CORRUPT'); // scope
  assert.is(codeOf(() => PowerOfTwoWeights.fromBytes(set(8, 0xffffffff))), 'E_CORRUPT');
  const lowE0 = good.slice();
  lowE0[24] = 0x80; // e0[0] = −128
  assert.is(codeOf(() => PowerOfTwoWeights.fromBytes(lowE0)), 'E_CORRUPT');
  assert.is(codeOf(() => PowerOfTwoWeights.fromBytes(good.subarray(0, good.length - 1))), 'E_CORRUPT');
  // Scope 'tensor' with in = 0: 2^30 − 1 empty rows in a 4-byte payload are a valid (empty) matrix.
  const header = good.slice(0, 28); // magic, version, rows, cols, bits, scope | one e0 byte + 3 padding
  const fields = new DataView(header.buffer);
  fields.setUint32(8, 2 ** 30 - 1, true);
  fields.setUint32(12, 0, true);
  fields.setUint32(20, 1, true);
  const empty = PowerOfTwoWeights.fromBytes(header);
  assert.equal([empty.shape, empty.toDense().length], [[2 ** 30 - 1, 0], 0]);
  fc.assert(
    fc.property(
      fc.integer({ min: POW2_MIN_BITS, max: POW2_MAX_BITS }),
      fc.constantFrom('row' as const, 'tensor' as const),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 1, max: 1e6 }),
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      (bits, scope, rows, cols, seed, at, byte) => {
        const e0 = Array.from({ length: scope === 'row' ? rows : 1 }, (_, i) => ((seed + i * 7) % 90) - 60);
        const codes = randomCodes(rows * cols, bits, seed);
        const p = PowerOfTwoWeights.fromCodes([rows, cols], codes, { bits, scope, e0 });
        const bytes = p.toBytes();
        assert.equal(PowerOfTwoWeights.fromBytes(bytes).toDense(), p.toDense());
        const mutated = bytes.slice();
        mutated[at % mutated.length] = byte;
        try {
          PowerOfTwoWeights.fromBytes(mutated).validate();
        } catch (e) {
          if (!(e instanceof BitsieveError)) throw e;
        }
        return true;
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

format.run();

const rounding = suite('log-domain rounding');

rounding('Math.SQRT2 is the smallest double above √2 (exact integer check), so the boundary test is exact', () => {
  // SQRT2 = M·2^−52 with M an integer: M² > 2·2^104 > (M − 1)².
  const M = BigInt(Math.SQRT2 * 2 ** 52);
  assert.ok(M * M > 2n * 2n ** 104n && (M - 1n) * (M - 1n) < 2n * 2n ** 104n);
  const below = Math.SQRT2 - 2 ** -52; // the double just below √2
  for (let m = -149; m <= 127; m++) {
    assert.is(nearestLog2(Math.SQRT2 * 2 ** m), m + 1);
    assert.is(nearestLog2(below * 2 ** m), m);
    assert.is(nearestLog2(2 ** m), m);
    assert.is(floorLog2(2 ** m), m);
    assert.is(floorLog2(2 ** m * (2 - 2 ** -52)), m);
  }
});

rounding('agrees with round(log2 v) away from the boundaries (fast-check)', () => {
  fc.assert(
    fc.property(fc.double({ min: 2 ** -140, max: 2 ** 120, noNaN: true }), (v) => {
      const l = Math.log2(v);
      if (Math.abs(l - Math.floor(l) - 0.5) > 1e-9) assert.is(nearestLog2(v), Math.round(l));
      const p = nearestLog2(v);
      const ratio = v / 2 ** p; // exact: division by a power of two
      assert.ok(ratio * ratio >= 0.5 && ratio * ratio < 2, `${v} → 2^${p}`);
      return true;
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

rounding.run();

const rtn = suite('quantizePow2');

rtn('hand example (3 bits): log-domain rounding, e0 from max|w|, pruning below the ladder', () => {
  // Row 0: max 1.5 → e0 = 1 (1.5 ≥ √2); levels 2, 1, 0.5; pruned below 2^−1.5 ≈ 0.354.
  //   0.3 → 0, −1.5 → −2, 0.05 → 0, 0.72 → 1 (0.72 > 2^−½ ≈ 0.7071: log-domain nearest is 1, while the
  //   linear-domain nearest would be 0.5). Row 1 is all zero: e0 = 0, all zero codes.
  const w = new Float32Array([0.3, -1.5, 0.05, 0.72, 0, 0, 0, 0]);
  const { format: p, sparsity } = quantizePow2(w, [2, 4], { bits: 3 });
  assert.equal([...p.e0], [1, 0]);
  assert.equal([...p.toDense()], [0, -2, 0, 1, 0, 0, 0, 0]);
  assert.equal([0, 1, 2, 3].map((j) => streamCode(p.codes, 0, 4, 3, j)), [3, 4, 3, 1]);
  assert.is(sparsity, 6 / 8);
  // Tensor scope: one e0 from the matrix max.
  const t = quantizePow2([0.3, -1.5, 0.05, 0.72, 0.2, 0, 0, 0], [2, 4], { bits: 3, scope: 'tensor' });
  assert.equal([...t.format.e0], [1]);
  assert.equal([...t.format.toDense()], [0, -2, 0, 1, 0, 0, 0, 0]);
  assert.equal([...quantizePow2([0.2, 0], [1, 2], { bits: 3 }).format.toDense()], [0.25, 0]); // own row max
});

rtn('properties: exact powers of two, nearest in the log domain, nothing clipped, e0 = round(log2 max|w|)', () => {
  fc.assert(
    fc.property(fc.integer({ min: POW2_MIN_BITS, max: POW2_MAX_BITS }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: -30, max: 30 }), (bits, rows, cols, seed, shift) => {
      const w = Float32Array.from(randomFloats(rows * cols, seed), (v) => v * 2 ** shift);
      const { format: p } = quantizePow2(w, [rows, cols], { bits });
      const q = p.toDense();
      const kMax = 2 ** (bits - 1) - 2;
      for (let r = 0; r < rows; r++) {
        const max = Math.max(...Array.from(w.subarray(r * cols, (r + 1) * cols), Math.abs));
        const e0 = p.e0[r];
        if (max > 0) assert.ok((max / 2 ** e0) ** 2 >= 0.5 && (max / 2 ** e0) ** 2 < 2, `e0 ${e0} for max ${max}`);
        for (let j = 0; j < cols; j++) {
          const v = w[r * cols + j];
          const u = q[r * cols + j];
          if (u === 0) {
            assert.ok((v / 2 ** (e0 - kMax)) ** 2 < 0.5, `${v} pruned with e0 ${e0}`);
          } else {
            assert.ok(isPowerOfTwo(u) && Math.sign(u) === Math.sign(v));
            assert.ok((v / u) ** 2 >= 0.5 && (v / u) ** 2 < 2, `${v} → ${u}`);
            assert.ok(Math.abs(u) <= 2 ** e0 && Math.abs(u) >= 2 ** (e0 - kMax));
          }
        }
      }
      return true;
    }),
    { seed: SEED, numRuns: 200 },
  );
});

rtn('e0 is clamped to the format range; bad options → typed errors', () => {
  // 4 bits: e0 ≥ −120. round(log2 max) = −125 is clamped up to −120, so 2^−125 gets index 5 and 2^−130
  // (below the last level 2^−126) is pruned.
  const { format: p } = quantizePow2([2 ** -125, 2 ** -130], [1, 2], { bits: 4 });
  assert.equal([...p.e0], [-120]);
  assert.equal([...p.toDense()], [2 ** -125, 0]);
  const w = randomFloats(12, 1);
  assert.is(codeOf(() => quantizePow2(w, [3, 4], { bits: 7 })), 'E_RANGE');
  assert.is(codeOf(() => quantizePow2(w, [3, 4], { bits: 3.5 })), 'E_DTYPE');
  assert.is(codeOf(() => quantizePow2(w, [3, 4], { scope: 'block' as never })), 'E_RANGE');
  assert.is(codeOf(() => quantizePow2(w, [3, 5])), 'E_SHAPE');
  assert.is(codeOf(() => quantizePow2([NaN], [1, 1])), 'E_RANGE');
  assert.is(quantizePow2(new Float32Array(0), [0, 4], { scope: 'tensor' }).format.e0.length, 1);
});

rtn.run();

const sd = suite('quantizeSdLog2');

// Row used by the hand examples: mean 0, σ² = (4·0.5625 + 2·0.0087890625 + 2·0.03515625)/8 = 0.292236328125.
const SD_ROW = [0.75, -0.75, 0.75, -0.75, 0.09375, -0.09375, 0.1875, -0.1875];

sd('hand example (3 bits): e0 = round(log2 λσ), clipping above, pruning below', () => {
  // λ = 3: α = 1.6218 → e0 = 1 (α ≥ √2), levels 2, 1, 0.5, pruned below 2^−1.5: 0.75 → 1, the rest → 0.
  const three = quantizeSdLog2(SD_ROW, [1, 8], { bits: 3, lambda: 3 });
  assert.ok(Math.abs(three.sigma[0] - Math.sqrt(0.292236328125)) < 1e-15);
  assert.equal([...three.format.e0], [1]);
  assert.equal([...three.format.toDense()], [1, -1, 1, -1, 0, 0, 0, 0]);
  assert.is(three.sparsity, 0.5);
  // λ = 1: α = 0.5406 → e0 = −1 (0.5406/0.5 < √2), levels 0.5, 0.25, 0.125: 0.75 clips to 0.5,
  // 0.1875 → 0.25, 0.09375 → 0.125 (0.09375/0.0625 = 1.5 ≥ √2).
  const one = quantizeSdLog2(SD_ROW, [1, 8], { bits: 3, lambda: 1 });
  assert.equal([...one.format.e0], [-1]);
  assert.equal([...one.format.toDense()], [0.5, -0.5, 0.5, -0.5, 0.125, -0.125, 0.25, -0.25]);
  // The max-anchored quantizer on the same row: e0 = 0, 0.1875 → 0.25, 0.09375 pruned.
  assert.equal([...quantizePow2(SD_ROW, [1, 8], { bits: 3 }).format.toDense()], [1, -1, 1, -1, 0, 0, 0.25, -0.25]);
  // Default λ is 3.
  assert.equal(quantizeSdLog2(SD_ROW, [1, 8], { bits: 3 }).format.toDense(), three.format.toDense());
});

sd('σ = 0 falls back to the max anchor; tensor scope uses one σ', () => {
  // A constant float32 row has σ = 0 exactly (the float64 mean of equal float32 values is exact).
  const c = Math.fround(0.3);
  const flat = quantizeSdLog2(new Float32Array([0.3, 0.3, 0.3]), [1, 3]);
  assert.is(flat.sigma[0], 0);
  assert.equal([...flat.format.toDense()], [0.25, 0.25, 0.25]); // nearest power of 0.3 (0.3/0.25 = 1.2 < √2)
  assert.ok(c / 0.25 < Math.SQRT2);
  assert.equal([...quantizeSdLog2([0, 0], [1, 2]).format.toDense()], [0, 0]);
  // Tensor scope over SD_ROW and its half: σ of all 16 values, one e0.
  const w = [...SD_ROW, ...SD_ROW.map((v) => v / 2)];
  const t = quantizeSdLog2(w, [2, 8], { bits: 3, scope: 'tensor' });
  let squares = 0;
  for (const v of w) squares += v * v; // mean is 0
  assert.ok(Math.abs(t.sigma[0] - Math.sqrt(squares / 16)) < 1e-15 && t.sigma[1] === t.sigma[0]);
  assert.is(t.format.e0.length, 1);
  assert.is(t.format.e0[0], nearestLog2(3 * Math.sqrt(squares / 16)));
});

sd('properties: e0 = round(log2 λσ) per row, values exact powers of two, sparsity grows with λ (fast-check)', () => {
  fc.assert(
    fc.property(fc.integer({ min: POW2_MIN_BITS, max: POW2_MAX_BITS }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.25, max: 8, noNaN: true }), (bits, rows, cols, seed, lambda) => {
      const w = randomFloats(rows * cols, seed);
      const { format: p, sigma, sparsity } = quantizeSdLog2(w, [rows, cols], { bits, lambda });
      const q = p.toDense();
      const kMax = 2 ** (bits - 1) - 2;
      for (let r = 0; r < rows; r++) {
        const row = Array.from(w.subarray(r * cols, (r + 1) * cols));
        const mean = row.reduce((a, b) => a + b, 0) / cols;
        const s = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / cols);
        assert.ok(Math.abs(sigma[r] - s) <= 1e-12 * s);
        const ratio = (lambda * sigma[r]) / 2 ** p.e0[r];
        assert.ok(ratio * ratio >= 0.5 && ratio * ratio < 2, `e0 ${p.e0[r]} for λσ ${lambda * sigma[r]}`);
        for (let j = 0; j < cols; j++) {
          const u = q[r * cols + j];
          const v = row[j];
          if (u === 0) continue;
          assert.ok(isPowerOfTwo(u) && Math.sign(u) === Math.sign(v));
          const clipped = Math.abs(u) === 2 ** p.e0[r];
          assert.ok((v / u) ** 2 >= 0.5 && (clipped || (v / u) ** 2 < 2) && Math.abs(u) >= 2 ** (p.e0[r] - kMax));
        }
      }
      assert.ok(quantizeSdLog2(w, [rows, cols], { bits, lambda: lambda * 2 }).sparsity >= sparsity);
      return true;
    }),
    { seed: SEED, numRuns: 200 },
  );
});

sd('bad options → typed errors', () => {
  const w = randomFloats(12, 1);
  for (const lambda of [0, -1, NaN, Infinity, '3' as never]) assert.is(codeOf(() => quantizeSdLog2(w, [3, 4], { lambda })), 'E_RANGE');
  assert.is(codeOf(() => quantizeSdLog2(w, [3, 4], { bits: 1 })), 'E_RANGE');
  assert.is(codeOf(() => quantizeSdLog2(w, [3, 4], { calibration: new Float32Array(5) })), 'E_SHAPE');
  const x = randomFloats(8, 3);
  const { outputError } = quantizeSdLog2(w, [3, 4], { calibration: x });
  assert.ok(typeof outputError === 'number' && outputError > 0 && outputError < 1);
});

sd.run();

const reference = suite('power-of-two forward reference and exponent-addition model');

reference('reference equals the dense float64 product bit for bit (products by powers of two are exact)', () => {
  for (const [batch, out, inF, bits] of [[1, 7, 33, 4], [3, 5, 8, 3], [2, 1, 1, 2], [4, 9, 100, 6], [2, 3, 17, 5]] as const) {
    const { format: p } = quantizePow2(randomFloats(out * inF, out + inF), [out, inF], { bits });
    const x = randomFloats(batch * inF, 7);
    const ref = pow2LinearReference(p, { x, batch });
    const dense = linearReference({ w: p.toDense(), x, batch, out, in: inF, relu: false });
    assert.equal(ref, dense);
  }
});

reference('an exponent-subtracted term equals f32(±x·2^−k) whenever that product is normal; +0 below', () => {
  const check = (x: number, k: number, negative: boolean) => {
    const term = exponentAddTerm(x, k, negative);
    const product = (negative ? -x : x) * 2 ** -k; // exact in float64
    if (Number.isNaN(x)) assert.ok(Number.isNaN(term));
    else if (!Number.isFinite(x)) assert.is(term, product);
    else if (Math.abs(product) >= 2 ** -126) assert.ok(Object.is(term, Math.fround(product)), `${x}·2^−${k}`);
    else assert.ok(Object.is(term, 0), `${x}·2^−${k} → ${term}`);
  };
  // Exhaustive over exponent fields, a few mantissas, every k of a 6-bit code.
  const view = new DataView(new ArrayBuffer(4));
  for (let exponent = 0; exponent < 256; exponent++) {
    for (const mantissa of [0, 1, 0x400000, 0x7fffff, 0x123456]) {
      for (const sign of [0, 1]) {
        view.setUint32(0, ((sign << 31) | (exponent << 23) | mantissa) >>> 0);
        const x = view.getFloat32(0);
        for (let k = 0; k <= 30; k++) {
          check(x, k, false);
          check(x, k, true);
        }
      }
    }
  }
  fc.assert(
    fc.property(fc.float({ noDefaultInfinity: false }), fc.integer({ min: 0, max: 30 }), fc.boolean(), (x, k, negative) => {
      check(x, k, negative);
      return true;
    }),
    { seed: SEED, numRuns: 5000 },
  );
  // Where it differs from a multiply: a product that is subnormal (here 2^−127).
  assert.is(exponentAddTerm(2 ** -120, 7, false), 0);
  assert.is(Math.fround(2 ** -120 * 2 ** -7), 2 ** -127);
});

reference.run();
