// Activation-sparse (zero-skipping) linear layer: the DenseColumns format, the nonzero finder, and the
// operator on every build against the float64 reference at 0–100 % zero activations.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, Dense, DenseColumns, ZeroSkipLinear } from '../src/index.js';
import { columnStride } from '../src/ops/zero-skip-linear.js';
import { compareLinear, linearReference, randomFloats } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

/** Activations with about `sparsity` of them exactly zero (deterministic); -0 among the zeros. */
function sparseActivations(length: number, sparsity: number, seed: number): Float32Array {
  const x = randomFloats(length, seed);
  const u = randomFloats(length, seed + 13);
  for (let i = 0; i < length; i++) if ((u[i] + 1) / 2 < sparsity) x[i] = i % 3 === 0 ? -0 : 0;
  return x;
}

const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const format = suite('DenseColumns format');

format('from stores columns, toDense restores rows, copies are owned, 32 bits per weight', () => {
  const w = randomFloats(3 * 5, 2);
  const dc = DenseColumns.from(w, [3, 5]);
  assert.is(dc.kind, 'dense-columns');
  assert.equal(dc.shape, [3, 5]);
  assert.ok(Object.isFrozen(dc.shape));
  assert.is(dc.bitsPerWeight, 32);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 5; c++) assert.is(dc.columns[c * 3 + r], w[r * 5 + c]);
  w[0] = 99;
  assert.is.not(dc.columns[0], 99);
  const back = dc.toDense();
  assert.equal(bitsOf(back), bitsOf(Float32Array.from(randomFloats(15, 2))));
  back[1] = 42;
  assert.is.not(dc.toDense()[1], 42);
  assert.equal(Array.from(DenseColumns.from([1, 2, 3, 4, 5, 6], [2, 3]).columns), [1, 4, 2, 5, 3, 6]);
});

format('bytes round trip is exact (incl. -0, subnormals) and for empty shapes', () => {
  const w = new Float32Array([-0, 1e-45, -3.5, 3.4e38, 0.1, 7]);
  const back = DenseColumns.fromBytes(DenseColumns.from(w, [2, 3]).toBytes());
  assert.equal(back.shape, [2, 3]);
  assert.equal(bitsOf(back.toDense()), bitsOf(w));
  for (const shape of [[0, 4], [4, 0], [0, 0]] as [number, number][]) {
    assert.equal(DenseColumns.fromBytes(DenseColumns.from([], shape).toBytes()).shape, shape);
  }
});

format('invalid construction → typed errors', () => {
  assert.is(codeOf(() => DenseColumns.from([1, 2, 3], [2, 2])), 'E_SHAPE');
  assert.is(codeOf(() => DenseColumns.from([1, 2], [2] as never)), 'E_SHAPE');
  assert.is(codeOf(() => DenseColumns.from([1, 2], [1.5, 2] as never)), 'E_DTYPE');
  assert.is(codeOf(() => DenseColumns.from([], [2 ** 20, 2 ** 20])), 'E_RANGE');
  assert.is(codeOf(() => DenseColumns.from([1, NaN], [1, 2])), 'E_RANGE');
  assert.is(codeOf(() => DenseColumns.from([-Infinity, 1], [1, 2])), 'E_RANGE');
  assert.is(codeOf(() => DenseColumns.from(null as never, [1, 2])), 'E_DTYPE');
});

format('corrupt bytes → E_CORRUPT (E_UNSUPPORTED for a newer version, E_RANGE for NaN weights)', () => {
  const good = DenseColumns.from([1, 2, 3, 4, 5, 6], [2, 3]).toBytes();
  assert.is(codeOf(() => DenseColumns.fromBytes(good)), 'no error');
  assert.is(codeOf(() => DenseColumns.fromBytes(good.subarray(0, 10))), 'E_CORRUPT');
  assert.is(codeOf(() => DenseColumns.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  assert.is(codeOf(() => DenseColumns.fromBytes(good.subarray(0, good.length - 1))), 'E_CORRUPT');
  const longer = new Uint8Array(good.length + 4);
  longer.set(good);
  assert.is(codeOf(() => DenseColumns.fromBytes(longer)), 'E_CORRUPT');
  const badMagic = good.slice();
  badMagic[0] = 0x58;
  assert.is(codeOf(() => DenseColumns.fromBytes(badMagic)), 'E_CORRUPT');
  assert.is(codeOf(() => DenseColumns.fromBytes(Dense.from([1, 2, 3, 4, 5, 6], [2, 3]).toBytes())), 'E_CORRUPT');
  const badVersion = good.slice();
  badVersion[4] = 9;
  assert.is(codeOf(() => DenseColumns.fromBytes(badVersion)), 'E_UNSUPPORTED');
  for (const [word, value] of [[8, 0xffffffff], [12, 0xffffffff], [8, 3]] as const) {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(word, value, true);
    assert.is(codeOf(() => DenseColumns.fromBytes(bad)), 'E_CORRUPT', `header word at ${word} = ${value}`);
  }
  const nan = good.slice();
  new DataView(nan.buffer).setFloat32(16, NaN, true);
  assert.is(codeOf(() => DenseColumns.fromBytes(nan)), 'E_RANGE');
  assert.is(codeOf(() => DenseColumns.fromBytes([1, 2] as never)), 'E_DTYPE');
});

format('resident column stride: aligned, no power-of-two crowding, ≤ 5 % padding', () => {
  for (let out = 0; out <= 5000; out++) {
    const ld = columnStride(out);
    assert.ok(ld >= out);
    if (out >= 64) {
      assert.is(ld % 4, 0);
      assert.ok(ld <= out * 1.05, `out ${out}: stride ${ld}`);
    } else assert.is(ld, out);
    assert.ok(ld === 0 || ld % 512 !== 0, `out ${out}: stride ${ld}`);
  }
});

format.run();

const SPARSITIES = [0, 0.5, 0.9, 0.99, 1];
const SHAPES: [batch: number, out: number, inF: number][] = [
  [1, 1, 1], [1, 3, 15], [1, 17, 33], [1, 64, 257], [1, 512, 40], [1, 2053, 37], [3, 5, 7], [3, 9, 16],
  [3, 67, 100], [17, 7, 19], [17, 130, 65], [4, 1024, 24], [1, 4103, 9], [2, 4608, 5], [2, 13, 0], [0, 4, 4], [3, 0, 4],
];
const SEED = 20261122;

eachVariant('zero-skip linear vs float64 reference', (test) => {
  for (const sparsity of SPARSITIES) {
    test(`activation sparsity ${sparsity * 100}%: every shape, with and without bias + relu`, ({ bs }) => {
      for (const [batch, out, inF] of SHAPES) {
        for (const relu of [false, true]) {
          const w = randomFloats(out * inF, batch * 7 + out * 3 + inF);
          const x = sparseActivations(batch * inF, sparsity, inF + 1);
          const bias = relu ? randomFloats(out, out + 2) : undefined;
          const layer = bs.linear(DenseColumns.from(w, [out, inF]), { bias, activation: relu ? 'relu' : 'none' });
          assert.ok(layer instanceof ZeroSkipLinear);
          const problem = compareLinear({ w, x, bias, batch, out, in: inF, relu }, layer.forward(x, batch));
          layer.dispose();
          assert.is(problem, undefined, `sparsity ${sparsity}, ${problem}`);
        }
      }
    });
  }

  test('every nonzero count 0..19 (each remainder of the 8- and 4-column groups), with odd outputs', ({ bs }) => {
    for (let inF = 0; inF <= 19; inF++) {
      const out = 37;
      const w = randomFloats(out * inF, inF + 40);
      const x = randomFloats(inF, inF + 41).map((v) => v || 0.25); // no zeros: count = in
      const layer = bs.linear(DenseColumns.from(w, [out, inF]), { bias: randomFloats(out, 1) });
      const problem = compareLinear({ w, x, bias: randomFloats(out, 1), batch: 1, out, in: inF, relu: false }, layer.forward(x, 1));
      layer.dispose();
      assert.is(problem, undefined, `in ${inF}: ${problem}`);
    }
  });

  test('random layers and activations (fast-check): the float64 reference at any sparsity', ({ bs }) => {
    const f32 = { min: -4, max: 4, noNaN: true, noDefaultInfinity: true } as const;
    const arb = fc
      .record({ batch: fc.integer({ min: 1, max: 6 }), out: fc.integer({ min: 1, max: 40 }), in: fc.integer({ min: 0, max: 40 }), relu: fc.boolean() })
      .chain((d) =>
        fc.record({
          ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, fc.constant(v)])),
          w: fc.float32Array({ ...f32, minLength: d.out * d.in, maxLength: d.out * d.in }),
          x: fc.array(fc.oneof(fc.constant(0), fc.constant(-0), fc.float(f32)), { minLength: d.batch * d.in, maxLength: d.batch * d.in }),
          bias: fc.float32Array({ ...f32, minLength: d.out, maxLength: d.out }),
        }),
      );
    fc.assert(
      fc.property(arb, (c) => {
        const x = Float32Array.from(c.x as number[]);
        const lc = { ...(c as unknown as { w: Float32Array; bias: Float32Array; batch: number; out: number; in: number; relu: boolean }), x };
        const layer = bs.linear(DenseColumns.from(lc.w, [lc.out, lc.in]), { bias: lc.bias, activation: lc.relu ? 'relu' : 'none' });
        const problem = compareLinear(lc, layer.forward(x, lc.batch));
        layer.dispose();
        if (problem) throw new Error(problem);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  test('random bytes and random arguments (fast-check): a valid layer or a BitsieveError, nothing else', ({ bs }) => {
    const good = DenseColumns.from(randomFloats(12, 4), [3, 4]).toBytes();
    const start = bs.heap.inUseBytes;
    const corrupt = fc.record({ at: fc.nat(good.length - 1), value: fc.integer({ min: 0, max: 255 }), cut: fc.nat(good.length) });
    fc.assert(
      fc.property(corrupt, fc.anything(), fc.anything(), ({ at, value, cut }, a, b) => {
        for (const fn of [
          () => {
            const bytes = good.slice(0, Math.max(cut, at + 1));
            bytes[at] = value;
            const layer = bs.linear(DenseColumns.fromBytes(bytes));
            try {
              layer.forward(new Float32Array(layer.inFeatures), 1);
            } finally {
              layer.dispose();
            }
          },
          () => bs.linear(DenseColumns.from(a as never, b as never)).dispose(),
          () => DenseColumns.fromBytes(a as never),
        ]) {
          try {
            fn();
          } catch (e) {
            if (!(e instanceof BitsieveError)) throw e;
          }
        }
        return bs.heap.inUseBytes === start;
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test('the raw run() path on resident tensors agrees with forward()', ({ bs }) => {
    const [batch, out, inF] = [3, 70, 50];
    const layer = bs.linear(DenseColumns.from(randomFloats(out * inF, 4), [out, inF]));
    const x = sparseActivations(batch * inF, 0.9, 5);
    const xT = bs.tensor(x);
    const yT = bs.tensor(batch * out);
    layer.run(xT, yT, batch);
    assert.equal(bitsOf(yT.read()), bitsOf(layer.forward(x, batch)));
    [layer, xT, yT].forEach((r) => r.dispose());
  });

  test('NaN and ±Infinity activations are multiplied, never skipped (same as the reference)', ({ bs }) => {
    const [out, inF] = [19, 23];
    const w = randomFloats(out * inF, 8);
    for (let r = 0; r < out; r += 3) w[r * inF + 5] = 0; // Inf·0 = NaN in these rows
    const layer = bs.linear(DenseColumns.from(w, [out, inF]));
    const x = new Float32Array(2 * inF); // row 0: a NaN among zeros; row 1: +Inf among zeros
    x[7] = NaN;
    x[inF + 5] = Infinity;
    x[inF + 9] = 0.5;
    const y = layer.forward(x, 2);
    const ref = linearReference({ w, x, batch: 2, out, in: inF, relu: false });
    for (let i = 0; i < 2 * out; i++) {
      if (Number.isNaN(ref[i])) assert.ok(Number.isNaN(y[i]), `y[${i}] = ${y[i]}, reference NaN`);
      else assert.is(y[i], ref[i], `y[${i}]`); // ±Infinity exactly
    }
    assert.ok(y.slice(0, out).every(Number.isNaN));
    layer.dispose();
  });

  test('±0 activations are skipped: an all-zero row gives exactly act(bias), sign of -0 bias included', ({ bs }) => {
    const [out, inF] = [21, 34];
    const bias = randomFloats(out, 3);
    bias[0] = -0;
    bias[1] = 0;
    const w = randomFloats(out * inF, 9);
    const x = new Float32Array(2 * inF).map((_, i) => (i % 2 ? -0 : 0));
    const plain = bs.linear(DenseColumns.from(w, [out, inF]), { bias });
    const y = plain.forward(x, 2);
    assert.equal(bitsOf(y), bitsOf(new Float32Array([...bias, ...bias])));
    const relu = bs.linear(DenseColumns.from(w, [out, inF]), { bias, activation: 'relu' });
    assert.equal(bitsOf(relu.forward(x, 2)), bitsOf(Float32Array.from([...bias, ...bias], (v) => Math.max(v, 0) + 0)));
    [plain, relu].forEach((l) => l.dispose());
  });

  test('nonzero finder: every nonzero (NaN and ±Inf included, ±0 excluded) in order, any length', ({ bs }) => {
    const k = bs.kernels;
    for (const length of [0, 1, 3, 4, 15, 16, 17, 31, 33, 64, 100]) {
      const x = sparseActivations(length, 0.6, length + 3);
      if (length > 5) [x[1], x[4], x[5]] = [NaN, Infinity, -Infinity];
      const xT = bs.tensor(x);
      const list = bs.tensor(2 * length);
      const count = k.f32_find_nonzeros(xT.ptr, length, list.ptr);
      const expected = Array.from(x.keys()).filter((i) => !(x[i] === 0));
      assert.is(count, expected.length, `length ${length}`);
      const view = list.view();
      const idx = new Uint32Array(view.buffer, view.byteOffset, 2 * length);
      for (let i = 0; i < count; i++) {
        assert.is(idx[2 * i], expected[i]);
        assert.equal(bitsOf(view.subarray(2 * i + 1, 2 * i + 2)), bitsOf(x.subarray(expected[i], expected[i] + 1)));
      }
      [xT, list].forEach((t) => t.dispose());
    }
  });

  test('holds its weights once (≤ 1.1 × 32 bits per weight + bias) and frees them', ({ bs }) => {
    for (const [out, inF] of [[1024, 64], [200, 30], [3, 5]]) {
      const start = bs.heap.inUseBytes;
      const layer = bs.linear(DenseColumns.from(randomFloats(out * inF, 5), [out, inF]), { bias: randomFloats(out, 1) });
      assert.ok(layer.residentBytes <= 1.1 * out * inF * 4 + out * 4, `${out}×${inF}: ${layer.residentBytes} B`);
      assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 2 * 16, 'only alignment padding on top');
      layer.forward(sparseActivations(inF * 5, 0.5, 2), 5);
      assert.is(bs.heap.inUseBytes - start <= layer.residentBytes + 2 * 16, true, 'scratch released');
      layer.dispose();
      assert.is(bs.heap.inUseBytes, start);
    }
  });
});
