// DARB: format validation and round trips, the GEMV / GEMM kernels on every build against the float64
// reference over independently built block-structured weights, and property tests (fixed seed).
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, Darb, pruneDarb } from '../src/index.js';
import { compareLinear, randomFloats } from './reference/linear.js';
import { eachVariant, initVariant, runnableVariants } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

const SEED = 20261122;

/**
 * A dense [out, in] matrix with DARB structure built without the code under test: row r keeps k_r
 * random offsets in every block of b columns (min(k_r, width) in the partial last block), k_r drawn so
 * the expected kept fraction is 1 − sparsity. Returns the matrix, its mask and the k_r.
 */
function blockSparse(out: number, inF: number, b: number, sparsity: number, seed: number) {
  const rnd = randomFloats(out * (inF + 1) * 2 + 8, seed).map((v) => (v + 1) / 2);
  let p = 0;
  const w = randomFloats(out * inF, seed + 1);
  const mask = new Uint8Array(out * inF);
  const keep: number[] = [];
  for (let r = 0; r < out; r++) {
    // Per-row density varies around the target; sparsity 0 and 1 stay exact.
    const mean = (1 - sparsity) * b;
    const k = sparsity === 0 ? b : sparsity === 1 ? 0 : Math.max(0, Math.min(b, Math.round(mean * (0.5 + rnd[p++]))));
    keep.push(k);
    for (let c0 = 0; c0 < inF; c0 += b) {
      const width = Math.min(b, inF - c0);
      const offs = Array.from({ length: width }, (_, o) => o).sort(() => rnd[p++ % rnd.length] - 0.5);
      for (const o of offs.slice(0, Math.min(k, width))) mask[r * inF + c0 + o] = 1;
    }
  }
  for (let i = 0; i < w.length; i++) if (!mask[i]) w[i] = 0;
  return { w, mask, keep };
}

const format = suite('Darb format');

format('fromDense derives k_r as the fullest block, pads with zeros, and round-trips', () => {
  // Row 0: blocks of 4 hold 2, 1, 0 nonzeros and a 2-wide tail with 1 → k = 2, padded.
  const w = new Float32Array([1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 4, /* row 1: empty */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const d = Darb.fromDense(w, [2, 14], 4);
  assert.equal([...d.keep], [2, 0]);
  assert.equal([...d.rowStart], [0, 8, 8]); // 3 full blocks × 2 + min(2, 2)
  assert.equal([...d.values], [1, 2, 0, 3, 0, 0, 0, 4]);
  assert.equal(Array.from({ length: 8 }, (_, i) => d.offsetAt(i)), [0, 2, 0, 3, 0, 1, 0, 1]);
  assert.equal(d.toDense(), w);
  assert.is(d.bitsPerWeight, (8 * (32 + 2) + 8 * 2 + 32 * 3) / 28);
});

format('every block size, tails, and bytes round trip exactly', () => {
  for (const b of [2, 4, 8, 16, 32, 64, 128]) {
    for (const [out, inF] of [[5, 37], [3, b], [4, 3 * b + 1], [0, 9], [6, 0]] as const) {
      const { w } = blockSparse(out, inF, b, 0.6, out + inF + b);
      const d = Darb.fromDense(w, [out, inF], b);
      assert.equal(d.toDense(), w, `b=${b} ${out}×${inF}`);
      const back = Darb.fromBytes(d.toBytes());
      assert.equal(back.shape, d.shape);
      assert.is(back.blockSize, b);
      assert.equal(back.keep, d.keep);
      assert.equal(back.rowStart, d.rowStart);
      assert.equal(back.offsets, d.offsets);
      assert.equal(back.values, d.values);
    }
  }
});

format('malformed DARB → E_FORMAT / E_DTYPE / E_RANGE before anything runs', () => {
  // 2 rows × 6 columns, b = 4: row 0 keeps 2 per block (offsets 1,3 | 0,1), row 1 keeps 1 (2 | 1).
  const ok = () => ({ keep: new Uint8Array([2, 1]), rowStart: new Uint32Array([0, 4, 6]), offs: [1, 3, 0, 1, 2, 1], val: new Float32Array([1, 2, 3, 4, 5, 6]), b: 4 });
  const pack = (offs: number[], lb: number) => {
    const bytes = new Uint8Array(Math.ceil((offs.length * lb) / 8));
    offs.forEach((o, i) => { for (let k = 0; k < lb; k++) if (o & (1 << k)) bytes[(i * lb + k) >> 3] |= 1 << ((i * lb + k) & 7); });
    return bytes;
  };
  const make = (f: (p: ReturnType<typeof ok>) => void, shape: [number, number] = [2, 6]) => () => {
    const p = ok();
    f(p);
    return new Darb(shape, p.b, p.keep, p.rowStart, pack(p.offs, Math.log2(p.b) | 0 || 2), p.val);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.equal(make(() => {})().toDense(), new Float32Array([0, 1, 0, 2, 3, 4, 0, 0, 5, 0, 0, 6]));
  assert.is(codeOf(make((p) => (p.offs[5] = 2))), 'E_FORMAT'); // offset beyond `in` in the 2-wide tail block
  assert.is(codeOf(make((p) => (p.offs[1] = 1))), 'E_FORMAT'); // duplicate offset in a block
  assert.is(codeOf(make((p) => (p.offs = [3, 1, 0, 1, 2, 1]))), 'E_FORMAT'); // unsorted
  assert.is(codeOf(make((p) => (p.rowStart[1] = 3))), 'E_FORMAT'); // count does not match k_r
  assert.is(codeOf(make((p) => (p.rowStart[0] = 1))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.keep[1] = 5))), 'E_FORMAT'); // k_r > b
  assert.is(codeOf(make((p) => (p.keep = new Uint8Array([2])))), 'E_FORMAT'); // wrong number of rows
  assert.is(codeOf(make((p) => (p.val = new Float32Array(5)))), 'E_FORMAT'); // mismatched lengths
  assert.is(codeOf(make((p) => p.offs.push(0, 0, 0, 0, 0))), 'E_FORMAT'); // offsets for more values than there are
  assert.is(codeOf(make((p) => (p.val[2] = NaN))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.b = 3))), 'E_RANGE'); // not a power of two
  assert.is(codeOf(make((p) => (p.b = 256))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.keep = new Uint16Array([2, 1]) as never))), 'E_DTYPE');
  assert.is(codeOf(make(() => {}, [3, 6])), 'E_FORMAT');
  assert.is(codeOf(() => new Darb([2 ** 31, 2], 4, new Uint8Array(0), new Uint32Array(1), new Uint8Array(0), new Float32Array(0))), 'E_RANGE');
  assert.is(codeOf(() => Darb.fromDense(new Float32Array(6), [2, 3], 6)), 'E_RANGE');
  assert.is(codeOf(() => Darb.fromDense(new Float32Array(5), [2, 3], 4)), 'E_SHAPE');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = Darb.fromDense(blockSparse(5, 21, 8, 0.5, 3).w, [5, 21], 8).toBytes();
  assert.is(codeOf(() => Darb.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  const set = (at: number, v: number) => { const b = good.slice(); new DataView(b.buffer).setUint32(at, v, true); return b; };
  assert.is(codeOf(() => Darb.fromBytes(set(16, 12))), 'E_CORRUPT'); // block size 12
  assert.is(codeOf(() => Darb.fromBytes(set(20, 0xffffffff))), 'E_CORRUPT'); // absurd nnz
  assert.is(codeOf(() => Darb.fromBytes(set(8, 0x7fffffff))), 'E_CORRUPT'); // absurd rows
  const badKeep = good.slice();
  badKeep[24] = 9; // k_0 = 9 > b = 8
  assert.is(codeOf(() => Darb.fromBytes(badKeep)), 'E_CORRUPT');
  assert.is(codeOf(() => Darb.fromBytes('DARB' as never)), 'E_DTYPE');
});

format.run();

const SPARSITIES = [0, 0.5, 0.9, 0.99, 1];
// [batch, out, in, b]: tails (in mod b ≠ 0), batch 1 / 3 / 17 / 64, empty shapes.
const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 2], [1, 17, 33, 8], [1, 64, 257, 16], [1, 5, 300, 128], [3, 9, 16, 4], [3, 11, 45, 32], [17, 7, 19, 8],
  [17, 6, 130, 64], [64, 12, 40, 16], [64, 5, 9, 4], [5, 13, 31, 2], [0, 4, 4, 4], [3, 0, 4, 4], [3, 4, 0, 4],
];

eachVariant('DARB linear vs float64 reference', (test) => {
  for (const sparsity of SPARSITIES) {
    test(`sparsity ${sparsity * 100}%: every shape and block size, with and without bias + relu`, ({ bs }) => {
      for (const [batch, out, inF, b] of SHAPES) {
        for (const relu of [false, true]) {
          const { w, mask } = blockSparse(out, inF, b, sparsity, batch * 7 + out * 3 + inF + b);
          const x = randomFloats(batch * inF, inF + 1);
          const bias = relu ? randomFloats(out, out + 2) : undefined;
          const layer = bs.linear(Darb.fromDense(w, [out, inF], b, mask), { bias, activation: relu ? 'relu' : 'none' });
          const problem = compareLinear({ w, x, bias, batch, out, in: inF, relu }, layer.forward(x, batch));
          layer.dispose();
          assert.is(problem, undefined, `sparsity ${sparsity}, b ${b}: ${problem}`);
        }
      }
    });
  }

  test('pruneDarb output runs on the kernels (batch 1 and 64)', ({ bs }) => {
    const w = randomFloats(48 * 100, 9);
    const { format: d } = pruneDarb(w, [48, 100], { blockSize: 16, sparsity: 0.9 });
    const dense = d.toDense();
    const layer = bs.linear(d);
    for (const batch of [1, 64]) {
      const x = randomFloats(batch * 100, batch);
      assert.is(compareLinear({ w: dense, x, batch, out: 48, in: 100, relu: false }, layer.forward(x, batch)), undefined);
    }
    layer.dispose();
  });

  test('resident bytes ≤ 1.1 × what bitsPerWeight promises (+ bias), all freed on dispose', ({ bs }) => {
    const start = bs.heap.inUseBytes;
    for (const [out, inF, b, s] of [[64, 1024, 16, 0.9], [256, 256, 8, 0.5], [100, 77, 4, 0.99]] as const) {
      const { w, mask } = blockSparse(out, inF, b, s, out);
      const d = Darb.fromDense(w, [out, inF], b, mask);
      const layer = bs.linear(d);
      const promised = (d.bitsPerWeight * out * inF) / 8;
      assert.ok(layer.residentBytes <= 1.1 * promised + 4 * out + 16, `${layer.residentBytes} > 1.1 × ${promised}`);
      assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 5 * 16, 'only alignment padding on top');
      layer.forward(randomFloats(inF * 5, 1), 5);
      layer.dispose();
      assert.is(bs.heap.inUseBytes, start);
    }
  });
});

const props = suite('Darb properties (fast-check)');

const darbCase = fc
  .record({ out: fc.integer({ min: 0, max: 12 }), in: fc.integer({ min: 0, max: 70 }), lb: fc.integer({ min: 1, max: 7 }), sparsity: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer({ min: 1, max: 1e6 }), batch: fc.integer({ min: 0, max: 20 }) })
  .map((c) => ({ ...c, b: 2 ** c.lb, ...blockSparse(c.out, c.in, 2 ** c.lb, c.sparsity, c.seed) }));

props('bytes round trip and every build matches the reference', async () => {
  const instances = await Promise.all(runnableVariants().map(initVariant));
  fc.assert(
    fc.property(darbCase, (c) => {
      const d = Darb.fromDense(c.w, [c.out, c.in], c.b, c.mask);
      const back = Darb.fromBytes(d.toBytes());
      if (!back.toDense().every((v, i) => v === c.w[i])) return false;
      const x = randomFloats(c.batch * c.in, c.seed + 3);
      for (const bs of instances) {
        const layer = bs.linear(back);
        const problem = compareLinear({ w: c.w, x, batch: c.batch, out: c.out, in: c.in, relu: false }, layer.forward(x, c.batch));
        layer.dispose();
        if (problem) throw new Error(`${bs.variant}: ${problem}`);
      }
      return true;
    }),
    { seed: SEED, numRuns: 150 },
  );
});

props('any corruption of the bytes gives a BitsieveError or a valid matrix, never a crash', () => {
  fc.assert(
    fc.property(darbCase, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (c, edits) => {
      const bytes = Darb.fromDense(c.w, [c.out, c.in], c.b, c.mask).toBytes();
      for (const [at, v] of edits) bytes[at % bytes.length] = v;
      try {
        Darb.fromBytes(bytes).toDense();
        return true;
      } catch (e) {
        return e instanceof BitsieveError;
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});

props.run();
