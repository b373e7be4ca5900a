// BSR: format validation and round trips, and the GEMV / GEMM kernels for every block shape on every
// build against the float64 reference over the same block-pruned dense weights.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Bsr, BSR_BLOCK_SHAPES, BitsieveError } from '../src/index.js';
import { compareLinear, randomFloats } from './reference/linear.js';
import { eachVariant, initVariant, runnableVariants } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

type Block = readonly [number, number];

/** Dense [out, in] weights where about `sparsity` of the r×c blocks (edge blocks included) are all zero. */
function blockPruned(out: number, inF: number, [r, c]: Block, sparsity: number, seed: number): Float32Array {
  const w = randomFloats(out * inF, seed);
  const blockCols = Math.ceil(inF / c);
  const drop = randomFloats(Math.ceil(out / r) * blockCols, seed + 7);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < inF; j++) if ((drop[Math.floor(i / r) * blockCols + Math.floor(j / c)] + 1) / 2 < sparsity) w[i * inF + j] = 0;
  }
  return w;
}

const name = ([r, c]: Block) => `${r}×${c}`;

const format = suite('Bsr format');

format('fromDense / toDense round trip for every block shape, odd shapes, bits per weight', () => {
  for (const block of BSR_BLOCK_SHAPES) {
    for (const [rows, cols] of [[13, 19], [8, 16], [1, 1], [0, 5], [6, 0]] as const) {
      const w = blockPruned(rows, cols, block, 0.5, rows * 31 + cols);
      const bsr = Bsr.fromDense(w, [rows, cols], block);
      assert.equal(bsr.toDense(), w, `${name(block)} ${rows}×${cols}`);
      assert.ok(bsr.blockCol instanceof Uint16Array);
      const [r, c] = block;
      // Every stored block has a nonzero, and every nonzero lies in a stored block.
      let blocksWithNonzero = 0;
      for (let br = 0; br * r < rows; br++) {
        for (let bc = 0; bc * c < cols; bc++) {
          let any = false;
          for (let i = br * r; i < Math.min(rows, br * r + r); i++) for (let j = bc * c; j < Math.min(cols, bc * c + c); j++) any ||= w[i * cols + j] !== 0;
          if (any) blocksWithNonzero++;
        }
      }
      assert.is(bsr.nBlocks, blocksWithNonzero);
      const expectedBits = rows * cols === 0 ? 0 : (bsr.nBlocks * (32 * r * c + 16) + 32 * (Math.ceil(rows / r) + 1)) / (rows * cols);
      assert.is(bsr.bitsPerWeight, expectedBits);
    }
  }
});

format('u32 block columns past 65536 block columns; layout of a hand-written 4×4 edge block', () => {
  const wide = Bsr.fromDense(new Float32Array(4 * 70000).map((_, i) => (i % 9001 === 5 ? 1 : 0)), [4, 70000], [4, 1]);
  assert.ok(wide.blockCol instanceof Uint32Array);
  // A 5×6 matrix in 4×4 blocks: the only nonzero (4, 5) lands in block row 1, block column 1, at (0, 1).
  const w = new Float32Array(30);
  w[4 * 6 + 5] = 7;
  const bsr = Bsr.fromDense(w, [5, 6], [4, 4]);
  assert.equal(Array.from(bsr.blockRowPtr), [0, 0, 1]);
  assert.equal(Array.from(bsr.blockCol), [1]);
  assert.equal(Array.from(bsr.values), [0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

format('bytes round trip is exact for both index widths', () => {
  const cases: [number, number, Block][] = [[13, 19, [4, 4]], [9, 17, [1, 8]], [2, 70000, [4, 1]], [0, 5, [8, 1]], [4, 0, [1, 4]]];
  for (const [rows, cols, block] of cases) {
    const bsr = Bsr.fromDense(blockPruned(rows, cols, block, 0.9, rows + cols), [rows, cols], block);
    const back = Bsr.fromBytes(bsr.toBytes());
    assert.equal(back.shape, bsr.shape);
    assert.equal(back.block, bsr.block);
    assert.equal(back.blockRowPtr, bsr.blockRowPtr);
    assert.equal(back.blockCol, bsr.blockCol);
    assert.equal(back.values, bsr.values);
  }
});

format('malformed BSR → E_FORMAT / E_DTYPE / E_RANGE / E_SHAPE before anything runs', () => {
  // 5×6 in 4×4 blocks: block rows [0, 4) and [4, 5), block columns [0, 4) and [4, 6).
  const ok = () => ({ rowPtr: new Uint32Array([0, 2, 3]), col: new Uint16Array([0, 1, 0]), val: randomFloats(48, 3) });
  const padZero = (val: Float32Array) => {
    for (const b of [1]) for (let i = 0; i < 4; i++) val[b * 16 + i * 4 + 2] = val[b * 16 + i * 4 + 3] = 0; // block column 1: cols 6, 7
    for (let j = 0; j < 4; j++) for (let i = 1; i < 4; i++) val[2 * 16 + i * 4 + j] = 0; // block row 1: rows 5..7
  };
  const make = (f: (p: ReturnType<typeof ok>) => void, shape: [number, number] = [5, 6], block: Block = [4, 4]) => () => {
    const p = ok();
    padZero(p.val);
    f(p);
    return new Bsr(shape, block, p.rowPtr, p.col, p.val);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.col[1] = 2))), 'E_FORMAT'); // block column out of range
  assert.is(codeOf(make((p) => (p.col[1] = 0))), 'E_FORMAT'); // duplicate
  assert.is(codeOf(make((p) => p.col.set([1, 0], 0))), 'E_FORMAT'); // unsorted
  assert.is(codeOf(make((p) => (p.rowPtr[1] = 4))), 'E_FORMAT'); // decreasing row pointers
  assert.is(codeOf(make((p) => (p.rowPtr[2] = 2))), 'E_FORMAT'); // wrong count
  assert.is(codeOf(make((p) => (p.rowPtr[0] = 1))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.val = p.val.subarray(0, 47)))), 'E_FORMAT'); // mismatched lengths
  assert.is(codeOf(make((p) => (p.col = p.col.subarray(0, 2)))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.val[5] = NaN))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.val[0] = -Infinity))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.val[16 + 3] = 1))), 'E_FORMAT'); // nonzero padding column
  assert.is(codeOf(make((p) => (p.val[32 + 15] = 1))), 'E_FORMAT'); // nonzero padding row
  assert.is(codeOf(make(() => {}, [9, 6])), 'E_FORMAT'); // rowPtr too short for 3 block rows
  assert.is(codeOf(make(() => {}, [5, 6], [3, 4])), 'E_RANGE'); // unsupported block shape
  assert.is(codeOf(make(() => {}, [5, 6], [4, 4.5])), 'E_RANGE');
  assert.is(codeOf(make(() => {}, [5, 6], [4] as never)), 'E_SHAPE');
  assert.is(codeOf(make(() => {}, [2, 4 * 70000], [4, 4])), 'E_FORMAT'); // u16 cannot address 70000 block columns
  assert.is(codeOf(make((p) => (p.col = new Int32Array(3) as never))), 'E_DTYPE');
  assert.is(codeOf(make((p) => (p.val = new Float64Array(48) as never))), 'E_DTYPE');
  assert.is(codeOf(make((p) => (p.rowPtr = [0, 2, 3] as never))), 'E_DTYPE');
  assert.is(codeOf(() => new Bsr([2 ** 31, 2], [4, 4], new Uint32Array(1), new Uint16Array(0), new Float32Array(0))), 'E_RANGE');
  assert.is(codeOf(() => Bsr.fromDense(new Float32Array(5), [2, 3], [1, 4])), 'E_SHAPE');
  assert.is(codeOf(() => Bsr.fromDense(new Float32Array(6), [2, 3], [3, 1])), 'E_RANGE');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = Bsr.fromDense(blockPruned(13, 19, [4, 4], 0.5, 3), [13, 19], [4, 4]).toBytes();
  const header = (word: number, value: number) => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(8 + 4 * word, value, true);
    return bad;
  };
  assert.is(codeOf(() => Bsr.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT'); // truncated
  assert.is(codeOf(() => Bsr.fromBytes(good.subarray(0, 20))), 'E_CORRUPT'); // truncated header
  assert.is(codeOf(() => Bsr.fromBytes(header(5, 3))), 'E_CORRUPT'); // index width 3
  assert.is(codeOf(() => Bsr.fromBytes(header(4, 0xffffffff))), 'E_CORRUPT'); // absurd block count
  assert.is(codeOf(() => Bsr.fromBytes(header(0, 0xffffffff))), 'E_CORRUPT'); // absurd rows
  assert.is(codeOf(() => Bsr.fromBytes(header(2, 3))), 'E_CORRUPT'); // unsupported block shape
  assert.is(codeOf(() => Bsr.fromBytes(header(2, 0))), 'E_CORRUPT');
  assert.is(codeOf(() => Bsr.fromBytes(header(1, 7))), 'E_CORRUPT'); // fewer columns than the stored block columns address
  const badCol = good.slice();
  new DataView(badCol.buffer).setUint16(8 + 24 + 4 * 5, 9, true); // first block column → 9 ≥ 5
  assert.is(codeOf(() => Bsr.fromBytes(badCol)), 'E_CORRUPT');
  const nan = good.slice();
  new DataView(nan.buffer).setFloat32(nan.length - 4 * 20, NaN, true);
  assert.is(codeOf(() => Bsr.fromBytes(nan)), 'E_CORRUPT');
  assert.is(codeOf(() => Bsr.fromBytes('BSBR' as never)), 'E_DTYPE');
});

format.run();

const SPARSITIES = [0, 0.5, 0.9, 0.99, 1];
// [batch, out, in]: odd shapes (13×19), tails in every dimension, batches 1, 3, 17, 64 and strips of 4/8/16/32.
const SHAPES: [batch: number, out: number, inF: number][] = [
  [1, 13, 19], [1, 64, 72], [1, 1, 1], [1, 9, 5], [3, 13, 19], [17, 13, 19], [64, 24, 40], [2, 7, 9], [4, 8, 8],
  [5, 11, 23], [8, 16, 16], [12, 5, 3], [31, 9, 17], [33, 6, 10], [49, 3, 12], [0, 4, 4], [3, 0, 4], [3, 4, 0],
];

eachVariant('BSR linear vs float64 reference', (test) => {
  for (const block of BSR_BLOCK_SHAPES) {
    test(`${name(block)} blocks: every sparsity and shape, with and without bias + relu`, ({ bs }) => {
      for (const sparsity of SPARSITIES) {
        for (const [batch, out, inF] of SHAPES) {
          const w = blockPruned(out, inF, block, sparsity, batch * 7 + out * 3 + inF);
          for (const relu of [false, true]) {
            const x = randomFloats(batch * inF, inF + 1);
            const bias = relu ? randomFloats(out, out + 2) : undefined;
            const layer = bs.linear(Bsr.fromDense(w, [out, inF], block), { bias, activation: relu ? 'relu' : 'none' });
            const problem = compareLinear({ w, x, bias, batch, out, in: inF, relu }, layer.forward(x, batch));
            layer.dispose();
            assert.is(problem, undefined, `${name(block)}, sparsity ${sparsity}, ${problem}`);
          }
        }
      }
    });
  }

  test('u32 block columns (in > 65536·c), batch 1 and 6', ({ bs }) => {
    for (const block of [[4, 1], [1, 4]] as const) {
      const inF = 65536 * block[1] + 9;
      const w = blockPruned(5, inF, block, 0.99, 11);
      const bsr = Bsr.fromDense(w, [5, inF], block);
      assert.ok(bsr.blockCol instanceof Uint32Array);
      const layer = bs.linear(bsr);
      for (const batch of [1, 6]) {
        const x = randomFloats(batch * inF, batch);
        assert.is(compareLinear({ w, x, batch, out: 5, in: inF, relu: false }, layer.forward(x, batch)), undefined);
      }
      layer.dispose();
    }
  });

  test('holds no more than bitsPerWeight promises (+ bias) and frees it', ({ bs }) => {
    for (const block of BSR_BLOCK_SHAPES) {
      const [out, inF] = [61, 67];
      const start = bs.heap.inUseBytes;
      const bsr = Bsr.fromDense(blockPruned(out, inF, block, 0.9, 5), [out, inF], block);
      const layer = bs.linear(bsr, { bias: randomFloats(out, 1) });
      const promised = (bsr.bitsPerWeight * out * inF) / 8;
      const biasBytes = Math.ceil(out / block[0]) * block[0] * 4;
      assert.ok(layer.residentBytes <= 1.1 * promised + biasBytes, `${name(block)}: ${layer.residentBytes} > 1.1 × ${promised} + ${biasBytes}`);
      assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 4 * 16, 'only alignment padding on top');
      layer.forward(randomFloats(inF * 5, 1), 5);
      layer.forward(randomFloats(inF, 2), 1);
      layer.dispose();
      assert.is(bs.heap.inUseBytes, start);
    }
  });
});

// fast-check: a valid BSR from a random block mask, then (usually) one random write into one of its arrays.
const SEED = 20261122;
const props = suite<{ instances: Awaited<ReturnType<typeof initVariant>>[] }>('Bsr properties', { instances: [] });
props.before(async (ctx) => {
  ctx.instances = await Promise.all(runnableVariants().map(initVariant));
});

props('random and mutated BSR arrays either fail validation or compute the reference result', ({ instances }) => {
  const f32 = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true });
  const arb = fc
    .record({ rows: fc.integer({ min: 0, max: 11 }), cols: fc.integer({ min: 0, max: 13 }), shape: fc.integer({ min: 0, max: BSR_BLOCK_SHAPES.length - 1 }) })
    .chain(({ rows, cols, shape }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        block: fc.constant(BSR_BLOCK_SHAPES[shape]),
        dense: fc.array(fc.oneof(fc.constant(0), fc.constant(0), f32), { minLength: rows * cols, maxLength: rows * cols }),
        batch: fc.integer({ min: 1, max: 9 }),
        mutation: fc.option(
          fc.record({ target: fc.integer({ min: 0, max: 3 }), at: fc.nat(200), value: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom(NaN, Infinity, 0.5)) }),
          { freq: 3 },
        ),
      }),
    );
  let valid = 0;
  let rejected = 0;
  fc.assert(
    fc.property(arb, ({ rows, cols, block, dense, batch, mutation }) => {
      const base = Bsr.fromDense(dense, [rows, cols], block);
      let rowPtr = base.blockRowPtr.slice();
      let col = base.blockCol.slice();
      let val = base.values.slice();
      if (mutation) {
        const { target, at, value } = mutation;
        if (target === 0 && rowPtr.length) rowPtr[at % rowPtr.length] = Number.isInteger(value) ? value : 1;
        if (target === 1 && col.length) col[at % col.length] = Number.isInteger(value) ? value : 1;
        if (target === 2 && val.length) val[at % val.length] = value; // may be NaN, ∞, or land in the padding
        if (target === 3) [rowPtr, col, val] = [rowPtr.subarray(0, Math.max(0, rowPtr.length - (at % 2))), col.subarray(at % 2), val.subarray(at % 3)];
      }
      let bsr: Bsr;
      try {
        bsr = new Bsr([rows, cols], block, rowPtr, col, val);
      } catch (e) {
        rejected++;
        return e instanceof BitsieveError && (e.code === 'E_FORMAT' || e.code === 'E_RANGE');
      }
      valid++;
      const x = randomFloats(batch * cols, batch + cols);
      const w = bsr.toDense();
      for (const bs of instances) {
        const layer = bs.linear(bsr);
        const y = layer.forward(x, batch);
        layer.dispose();
        if (compareLinear({ w, x, batch, out: rows, in: cols, relu: false }, y)) return false;
      }
      return true;
    }),
    { seed: SEED, numRuns: 1500 },
  );
  assert.ok(valid > 200 && rejected > 100, `valid ${valid}, rejected ${rejected}`);
});

props('junk arguments to the constructor, fromDense and fromBytes → BitsieveError only', () => {
  const junk = fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 80 }), fc.constantFrom(NaN, -1, 2 ** 31, [4, 4], [1, 8], [3, 3], new Uint32Array(3), new Float32Array(8)));
  fc.assert(
    fc.property(junk, junk, junk, junk, junk, (a, b, c, d, e) => {
      for (const fn of [() => new Bsr(a as never, b as never, c as never, d as never, e as never), () => Bsr.fromDense(a as never, b as never, c as never), () => Bsr.fromBytes(a as never)]) {
        try {
          fn();
        } catch (err) {
          if (!(err instanceof BitsieveError)) throw err;
        }
      }
    }),
    { seed: SEED, numRuns: 500 },
  );
});

props.run();
