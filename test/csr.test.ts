// CSR: format validation and round trips, and the SpMV / SpMM kernels on every build against the
// float64 reference over the same (pruned) dense weights.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Csr } from '../src/index.js';
import { compareLinear, randomFloats } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

/** Dense [out, in] weights with about `sparsity` of them exactly zero (deterministic). */
function pruned(out: number, inF: number, sparsity: number, seed: number): Float32Array {
  const w = randomFloats(out * inF, seed);
  const keep = randomFloats(out * inF, seed + 7);
  for (let i = 0; i < w.length; i++) if ((keep[i] + 1) / 2 < sparsity) w[i] = 0;
  return w;
}


const format = suite('Csr format');

format('fromDense / toDense round trip, u16 vs u32 indices, bits per weight', () => {
  const w = pruned(9, 13, 0.7, 1);
  const csr = Csr.fromDense(w, [9, 13]);
  assert.equal(csr.toDense(), w);
  assert.ok(csr.colIdx instanceof Uint16Array);
  const nnz = w.filter((v) => v !== 0).length;
  assert.is(csr.nnz, nnz);
  assert.is(csr.bitsPerWeight, (nnz * 48 + 32 * 10) / (9 * 13));
  const wide = Csr.fromDense(new Float32Array(65537).fill(0).map((_, i) => (i % 1000 === 3 ? 1 : 0)), [1, 65537]);
  assert.ok(wide.colIdx instanceof Uint32Array);
});

format('bytes round trip is exact for both index widths', () => {
  for (const [rows, cols] of [[9, 13], [2, 70000], [0, 5], [4, 0]] as const) {
    const csr = Csr.fromDense(pruned(rows, cols, 0.9, rows + cols), [rows, cols]);
    const back = Csr.fromBytes(csr.toBytes());
    assert.equal(back.shape, csr.shape);
    assert.equal(back.rowPtr, csr.rowPtr);
    assert.equal(back.colIdx, csr.colIdx);
    assert.equal(back.values, csr.values);
  }
});

format('malformed CSR → E_FORMAT / E_DTYPE / E_RANGE before anything runs', () => {
  const ok = () => ({ rowPtr: new Uint32Array([0, 2, 3]), col: new Uint16Array([0, 2, 1]), val: new Float32Array([1, 2, 3]) });
  const make = (f: (p: ReturnType<typeof ok>) => void, shape: [number, number] = [2, 3]) => () => {
    const p = ok();
    f(p);
    return new Csr(shape, p.rowPtr, p.col, p.val);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.col[1] = 3))), 'E_FORMAT'); // column out of range
  assert.is(codeOf(make((p) => (p.col[1] = 0))), 'E_FORMAT'); // duplicate column
  assert.is(codeOf(make((p) => p.col.set([2, 0], 0))), 'E_FORMAT'); // unsorted
  assert.is(codeOf(make((p) => (p.rowPtr[1] = 4))), 'E_FORMAT'); // decreasing row pointers
  assert.is(codeOf(make((p) => (p.rowPtr[2] = 2))), 'E_FORMAT'); // wrong count
  assert.is(codeOf(make((p) => (p.rowPtr[0] = 1))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.val = new Float32Array([1, 2])))), 'E_FORMAT'); // mismatched lengths
  assert.is(codeOf(make((p) => (p.val[2] = NaN))), 'E_RANGE');
  assert.is(codeOf(make(() => {}, [3, 3])), 'E_FORMAT'); // rowPtr too short for 3 rows
  assert.is(codeOf(make(() => {}, [2, 70000])), 'E_FORMAT'); // u16 indices cannot address 70000 columns
  assert.is(codeOf(make((p) => (p.col = new Int32Array(3) as never))), 'E_DTYPE');
  assert.is(codeOf(() => new Csr([2 ** 31, 2], new Uint32Array(1), new Uint16Array(0), new Float32Array(0))), 'E_RANGE');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = Csr.fromDense(pruned(5, 6, 0.5, 3), [5, 6]).toBytes();
  assert.is(codeOf(() => Csr.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  const badIdx = good.slice();
  new DataView(badIdx.buffer).setUint32(20, 3, true); // index width 3
  assert.is(codeOf(() => Csr.fromBytes(badIdx)), 'E_CORRUPT');
  const hugeNnz = good.slice();
  new DataView(hugeNnz.buffer).setUint32(16, 0xffffffff, true);
  assert.is(codeOf(() => Csr.fromBytes(hugeNnz)), 'E_CORRUPT');
  const badCol = good.slice();
  new DataView(badCol.buffer).setUint16(24 + 4 * 6, 60, true); // first column index → 60 ≥ 6
  assert.is(codeOf(() => Csr.fromBytes(badCol)), 'E_CORRUPT');
});

format.run();

const SPARSITIES = [0, 0.5, 0.9, 0.99, 1];
const SHAPES: [batch: number, out: number, inF: number][] = [
  [1, 1, 1], [1, 17, 33], [1, 64, 257], [2, 5, 7], [3, 9, 16], [4, 8, 8], [5, 13, 31], [16, 12, 40], [17, 7, 19], [37, 21, 65], [53, 11, 23], [49, 6, 9], [0, 4, 4], [3, 0, 4], [3, 4, 0],
];

eachVariant('CSR linear vs float64 reference', (test) => {
  for (const sparsity of SPARSITIES) {
    test(`sparsity ${sparsity * 100}%: every shape, with and without bias + relu`, ({ bs }) => {
      for (const [batch, out, inF] of SHAPES) {
        for (const relu of [false, true]) {
          const w = pruned(out, inF, sparsity, batch * 7 + out * 3 + inF);
          const x = randomFloats(batch * inF, inF + 1);
          const bias = relu ? randomFloats(out, out + 2) : undefined;
          const layer = bs.linear(Csr.fromDense(w, [out, inF]), { bias, activation: relu ? 'relu' : 'none' });
          const problem = compareLinear({ w, x, bias, batch, out, in: inF, relu }, layer.forward(x, batch));
          layer.dispose();
          assert.is(problem, undefined, `sparsity ${sparsity}, ${problem}`);
        }
      }
    });
  }

  test('u32 column indices (in > 65536), batch 1 and 6', ({ bs }) => {
    const inF = 70001;
    const w = pruned(3, inF, 0.99, 11);
    const csr = Csr.fromDense(w, [3, inF]);
    assert.ok(csr.colIdx instanceof Uint32Array);
    const layer = bs.linear(csr);
    for (const batch of [1, 6]) {
      const x = randomFloats(batch * inF, batch);
      assert.is(compareLinear({ w, x, batch, out: 3, in: inF, relu: false }, layer.forward(x, batch)), undefined);
    }
    layer.dispose();
  });

  test('holds exactly its CSR bytes and frees them', ({ bs }) => {
    const start = bs.heap.inUseBytes;
    const csr = Csr.fromDense(pruned(64, 64, 0.9, 5), [64, 64]);
    const layer = bs.linear(csr);
    assert.ok(bs.heap.inUseBytes - start >= csr.rowPtr.byteLength + csr.colIdx.byteLength + csr.values.byteLength);
    assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 4 * 16, 'only alignment padding on top');
    layer.forward(randomFloats(64 * 5, 1), 5);
    layer.dispose();
    assert.is(bs.heap.inUseBytes, start);
  });
});
