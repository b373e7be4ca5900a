// The dense f32 GEMM / GEMV kernels, through the resident layer, against the float64 reference.
import * as assert from 'uvu/assert';
import { Dense } from '../src/index.js';
import { compareLinear, randomFloats, type LinearCase } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';

function makeCase(batch: number, out: number, inF: number, seed: number, opts: { bias?: boolean; relu?: boolean } = {}): LinearCase {
  return {
    batch,
    out,
    in: inF,
    w: randomFloats(out * inF, seed),
    x: randomFloats(batch * inF, seed + 1),
    bias: opts.bias ? randomFloats(out, seed + 2) : undefined,
    relu: !!opts.relu,
  };
}

// Tails of the 4-row and 8-column tiles, 1- and 0-sized dims, odd and large K.
const SHAPES: [batch: number, out: number, inF: number][] = [
  [1, 1, 1], [1, 8, 8], [1, 9, 3], [1, 7, 17], [1, 64, 64], [1, 33, 1000],
  [2, 3, 5], [3, 8, 8], [4, 8, 8], [5, 9, 7], [6, 15, 16], [7, 17, 31], [8, 24, 32],
  [9, 1, 13], [13, 40, 1], [16, 16, 16], [17, 23, 29], [31, 7, 64], [64, 65, 67],
  [0, 5, 5], [5, 0, 5], [5, 5, 0], [0, 0, 0], [1, 0, 3], [1, 3, 0],
  [2, 4, 4099], [1, 5, 8191],
];

eachVariant('dense linear vs float64 reference', (test) => {
  for (const [batch, out, inF] of SHAPES) {
    for (const relu of [false, true]) {
      test(`batch ${batch}, ${inF} → ${out}${relu ? ', bias + relu' : ''}`, ({ bs }) => {
        const c = makeCase(batch, out, inF, batch * 131 + out * 17 + inF, { bias: relu, relu });
        const layer = bs.linear(Dense.from(c.w, [out, inF]), { bias: c.bias, activation: relu ? 'relu' : 'none' });
        const xCopy = c.x.slice();
        const y = layer.forward(c.x, batch);
        assert.is(compareLinear(c, y), undefined);
        assert.equal(c.x, xCopy, 'input must not be mutated');
        layer.dispose();
      });
    }
  }

  test('forward infers batch and fills `out` in place', ({ bs }) => {
    const c = makeCase(3, 10, 6, 7);
    const layer = bs.linear(Dense.from(c.w, [10, 6]));
    const out = new Float32Array(30).fill(NaN);
    const y = layer.forward(c.x, undefined, out);
    assert.ok(y === out);
    assert.is(compareLinear(c, out), undefined);
    layer.dispose();
  });

  test('resident run() gives the same bits as forward()', ({ bs }) => {
    for (const batch of [1, 5]) {
      const c = makeCase(batch, 19, 23, 99 + batch, { bias: true });
      const layer = bs.linear(Dense.from(c.w, [19, 23]), { bias: c.bias });
      const xT = bs.tensor(c.x);
      const yT = bs.tensor(batch * 19);
      layer.run(xT, yT, batch);
      assert.equal(yT.read(), layer.forward(c.x, batch));
      xT.dispose();
      yT.dispose();
      layer.dispose();
    }
  });

  test('relu clamps negatives to +0 and keeps positives', ({ bs }) => {
    const layer = bs.linear(Dense.from([1, -1, 2, -2], [4, 1]), { activation: 'relu' });
    const y = layer.forward(new Float32Array([3]), 1);
    assert.equal(Array.from(y), [3, 0, 6, 0]);
    assert.ok(Object.is(y[1], 0), 'relu(-3) is +0');
    layer.dispose();
  });

  test('non-finite activations propagate as IEEE says (not rejected)', ({ bs }) => {
    const layer = bs.linear(Dense.from([1, 0, 0, 2], [2, 2]));
    const y = layer.forward(new Float32Array([Infinity, 1]), 1);
    assert.is(y[0], Infinity); // ∞·1 + 1·0
    assert.ok(Number.isNaN(y[1])); // ∞·0 + 1·2
    layer.dispose();
  });

  test('resident 1024×1024 layer holds ≤ 1.05× its f32 bytes', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const layer = bs.linear(Dense.from(new Float32Array(1024 * 1024), [1024, 1024]));
    const held = bs.heap.inUseBytes - before;
    assert.is(held, layer.residentBytes);
    assert.ok(held <= 1.05 * 1024 * 1024 * 4, `held ${held} bytes`);
    layer.dispose();
    assert.is(bs.heap.inUseBytes, before);
  });
});

eachVariant('raw kernels: f32_pack_dense_nr8 / f32_unpack_dense_nr8', (test) => {
  for (const [n, k] of [[1, 1], [7, 3], [8, 5], [9, 2], [17, 33], [0, 4], [4, 0]]) {
    test(`pack then unpack [${n}, ${k}] is the identity, padding rows are zero`, ({ bs }) => {
      const w = randomFloats(n * k, n * 31 + k);
      const panels = Math.ceil(n / 8);
      const src = bs.tensor(w);
      const packed = bs.tensor(panels * 8 * k).write(new Float32Array(panels * 8 * k).fill(NaN));
      const back = bs.tensor(n * k);
      bs.kernels.f32_pack_dense_nr8(src.ptr, packed.ptr, n, k);
      bs.kernels.f32_unpack_dense_nr8(packed.ptr, back.ptr, n, k);
      assert.equal(back.read(), w);
      const p = packed.read();
      for (let row = n; row < panels * 8; row++) {
        for (let kk = 0; kk < k; kk++) assert.is(p[(Math.floor(row / 8) * k + kk) * 8 + (row % 8)], 0);
      }
      for (let row = 0; row < n; row++) {
        for (let kk = 0; kk < k; kk++) assert.is(p[(Math.floor(row / 8) * k + kk) * 8 + (row % 8)], w[row * k + kk]);
      }
      [src, packed, back].forEach((t) => t.dispose());
    });
  }
});
