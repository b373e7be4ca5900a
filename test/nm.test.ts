// N:M: format layout, validation and round trips, and the GEMV / GEMM kernels of every pattern on every
// build against the float64 reference over the same dense weights.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, Nm, NM_PATTERNS } from '../src/index.js';
import { compareLinear, randomFloats } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

const SEED = 20261122;

/**
 * Dense [out, in] weights obeying n:m: every group keeps n random positions (fewer in a partial last group);
 * then a further `extra` fraction of the kept weights is zeroed (extra = 1: all-zero rows).
 */
function nmDense(out: number, inF: number, n: number, m: number, extra: number, seed: number): Float32Array {
  const w = randomFloats(out * inF, seed);
  const order = randomFloats(out * inF, seed + 1);
  const drop = randomFloats(out * inF, seed + 2);
  for (let r = 0; r < out; r++) {
    for (let c0 = 0; c0 < inF; c0 += m) {
      const idx = Array.from({ length: Math.min(m, inF - c0) }, (_, j) => r * inF + c0 + j).sort((a, b) => order[a] - order[b]);
      idx.forEach((i, rank) => {
        if (rank >= n || (drop[i] + 1) / 2 < extra) w[i] = 0;
      });
    }
  }
  return w;
}

const format = suite('Nm format');

format('layout: values in ascending position, zeros at the lowest free positions, mixed-radix codes', () => {
  // 2:4 masks with 2 bits, ascending: 0b0011, 0b0101, 0b0110, 0b1001, 0b1010, 0b1100 → ids 0..5.
  const nm = Nm.fromDense([0, 5, 0, 7, 0, 0, 0, 3, 0, 0, 0, 0], [1, 12], { n: 2, m: 4 });
  assert.equal([...nm.values], [5, 7, 0, 3, 0, 0]); // group 1 fills position 0; group 2 is empty
  assert.equal([...nm.meta], [4 + 6 * 3, 0]); // 0b1010 = id 4, 0b1001 = id 3; code 2 covers one group
  // 4:8: one group per code, 70 ids; 0b00001111 is id 0, 0b11110000 the last (69).
  assert.equal([...Nm.fromDense([0, 0, 0, 0, 1, 2, 3, 4], [1, 8], { n: 4, m: 8 }).meta], [69]);
  // 1:4: four groups per code, radix 4.
  assert.equal([...Nm.fromDense([0, 1, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, 0, 0, 4, 0], [1, 16], { n: 1, m: 4 }).meta], [1 + 4 * 3 + 16 * 0 + 64 * 2]);
  // Partial last group (in = 5): its positions ≥ in are padding and are taken only when nothing else is free.
  const tail = Nm.fromDense([1, 0, 0, 2, 3], [1, 5], { n: 2, m: 4 });
  assert.equal([...tail.values], [1, 2, 3, 0]);
  assert.equal([...tail.meta], [3 + 6 * 0]);
});

format('fromDense / toDense round trip for every pattern and ragged shapes; bits per weight', () => {
  for (const { n, m } of NM_PATTERNS) {
    for (const [rows, cols] of [[9, 13], [3, 4097], [1, 1], [5, 7], [0, 5], [4, 0]] as const) {
      const w = nmDense(rows, cols, n, m, 0.3, rows * 31 + cols);
      const nm = Nm.fromDense(w, [rows, cols], { n, m });
      assert.equal(nm.toDense(), w, `${n}:${m} [${rows}, ${cols}]`);
      const groups = Math.ceil(cols / m);
      assert.is(nm.values.length, rows * groups * n);
      assert.is(nm.meta.length, rows * Math.ceil((groups * n) / 4));
    }
  }
  const bits = (n: number, m: number) => Nm.fromDense(new Float32Array(64 * 256), [64, 256], { n, m }).bitsPerWeight;
  assert.is(bits(2, 4), 17);
  assert.is(bits(4, 8), 17);
  assert.is(bits(1, 4), 8.5);
  assert.is(bits(1, 2), 17);
});

format('bytes round trip is exact for every pattern', () => {
  for (const { n, m } of NM_PATTERNS) {
    for (const [rows, cols] of [[9, 13], [2, 31], [0, 5], [4, 0]] as const) {
      const nm = Nm.fromDense(nmDense(rows, cols, n, m, 0.5, rows + cols), [rows, cols], { n, m });
      const back = Nm.fromBytes(nm.toBytes());
      assert.equal([back.n, back.m], [n, m]);
      assert.equal(back.shape, nm.shape);
      assert.equal(back.values, nm.values);
      assert.equal(back.meta, nm.meta);
    }
  }
});

format('bad patterns and over-full groups → typed errors', () => {
  const w = new Float32Array(8);
  assert.is(codeOf(() => Nm.fromDense(w, [2, 4], { n: 3, m: 4 })), 'E_UNSUPPORTED');
  assert.is(codeOf(() => Nm.fromDense(w, [2, 4], { n: 4, m: 4 })), 'E_RANGE');
  assert.is(codeOf(() => Nm.fromDense(w, [2, 4], { n: 1.5, m: 4 })), 'E_RANGE');
  assert.is(codeOf(() => Nm.fromDense(w, [2, 4], null as never)), 'E_DTYPE');
  assert.is(codeOf(() => Nm.fromDense(w, [2, 3], { n: 2, m: 4 })), 'E_SHAPE');
  assert.is(codeOf(() => Nm.fromDense([1, 1, 1, 0, 0, 0, 0, 0], [1, 8], { n: 2, m: 4 })), 'E_FORMAT');
  assert.is(codeOf(() => Nm.fromDense([1, 0, 1, 0, 1, 0, 1, 1], [1, 8], { n: 4, m: 8 })), 'E_FORMAT');
  assert.is(codeOf(() => Nm.fromDense([1, 1, 1, 0, 0], [1, 5], { n: 2, m: 4 })), 'E_FORMAT');
  assert.is(codeOf(() => Nm.fromDense([1, NaN, 0, 0], [1, 4], { n: 2, m: 4 })), 'E_RANGE');
});

format('malformed Nm → E_FORMAT / E_DTYPE / E_RANGE before anything runs', () => {
  // [1, 10] at 2:4: 3 groups (the last covers columns 8, 9 and two padding positions), 6 slots, 2 codes.
  const ok = () => ({ values: new Float32Array([5, 7, 0, 3, 1, 2]), meta: new Uint8Array([4 + 6 * 3, 0]) });
  const make = (f: (p: ReturnType<typeof ok>) => void, shape: [number, number] = [1, 10]) => () => {
    const p = ok();
    f(p);
    return new Nm(shape, { n: 2, m: 4 }, p.values, p.meta);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.meta[0] = 36))), 'E_FORMAT'); // pattern id out of range
  assert.is(codeOf(make((p) => (p.meta[1] = 6))), 'E_FORMAT'); // id for a group past the row's end
  assert.is(codeOf(make((p) => (p.meta[1] = 1))), 'E_FORMAT'); // last group uses column 10 ≥ in with value 2
  assert.is(codeOf(make((p) => p.values.set([0, 0], 4))), 'no error'); // empty last group at positions 0, 1
  assert.is(codeOf(make((p) => { p.values.set([0, 0], 4); p.meta[1] = 1; })), 'E_FORMAT'); // zero at 2 while 1 is free
  assert.is(codeOf(make((p) => (p.values[0] = 0))), 'E_FORMAT'); // zero slot at position 1 while 0 is unused
  assert.is(codeOf(make((p) => (p.values = new Float32Array(5)))), 'E_FORMAT'); // wrong value count
  assert.is(codeOf(make((p) => (p.meta = new Uint8Array(3)))), 'E_FORMAT'); // wrong code count
  assert.is(codeOf(make((p) => (p.values[1] = NaN))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.values[1] = -Infinity))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.values = new Float64Array(6) as never))), 'E_DTYPE');
  assert.is(codeOf(make((p) => (p.meta = [20, 0] as never))), 'E_DTYPE');
  assert.is(codeOf(make(() => {}, [2, 10])), 'E_FORMAT'); // arrays too short for 2 rows
  assert.is(codeOf(() => new Nm([2 ** 31, 2], { n: 2, m: 4 }, new Float32Array(0), new Uint8Array(0))), 'E_RANGE');
  assert.is(codeOf(() => new Nm([1, 8], { n: 2, m: 5 }, new Float32Array(4), new Uint8Array(1))), 'E_UNSUPPORTED');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = Nm.fromDense(nmDense(5, 6, 2, 4, 0, 3), [5, 6], { n: 2, m: 4 }).toBytes();
  assert.is(codeOf(() => Nm.fromBytes(good)), 'no error');
  assert.is(codeOf(() => Nm.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  const set = (offset: number, value: number) => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(offset, value, true);
    return b;
  };
  assert.is(codeOf(() => Nm.fromBytes(set(16, 3))), 'E_CORRUPT'); // 3:4
  assert.is(codeOf(() => Nm.fromBytes(set(8, 0xffffffff))), 'E_CORRUPT'); // absurd rows
  assert.is(codeOf(() => Nm.fromBytes(set(8, 2 ** 20))), 'E_CORRUPT'); // rows without the data
  const badCode = good.slice();
  badCode[24 + 4 * 5 * 4] = 200; // first code of row 0 → id out of range
  assert.is(codeOf(() => Nm.fromBytes(badCode)), 'E_CORRUPT');
  const nan = set(24, 0x7fc00000);
  assert.is(codeOf(() => Nm.fromBytes(nan)), 'E_CORRUPT');
  assert.is(codeOf(() => Nm.fromBytes(good.subarray(0, 10))), 'E_CORRUPT');
  assert.is(codeOf(() => Nm.fromBytes('NM' as never)), 'E_DTYPE');
});

format('fast-check: random N:M matrices round-trip; mutated arrays and bytes give typed errors only', () => {
  const pattern = fc.constantFrom(...NM_PATTERNS);
  const matrix = fc.record({ p: pattern, rows: fc.integer({ min: 0, max: 6 }), cols: fc.integer({ min: 0, max: 40 }), extra: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer({ min: 1, max: 1e6 }) });
  fc.assert(
    fc.property(matrix, fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 255 }), ({ p, rows, cols, extra, seed }, at, byte) => {
      const w = nmDense(rows, cols, p.n, p.m, extra, seed);
      const nm = Nm.fromDense(w, [rows, cols], p);
      assert.equal(nm.toDense(), w);
      const bytes = nm.toBytes();
      assert.equal(Nm.fromBytes(bytes).toDense(), w);
      // One byte changed anywhere: either still a valid N:M matrix or a BitsieveError, nothing else.
      const mutated = bytes.slice();
      mutated[at % mutated.length] = byte;
      try {
        const back = Nm.fromBytes(mutated);
        assert.is(back.toDense().length, back.shape[0] * back.shape[1]);
        back.validate();
      } catch (e) {
        if (!(e instanceof BitsieveError)) throw e;
      }
      // Random codes and values in the right shapes: valid or E_FORMAT / E_RANGE.
      const values = Float32Array.from(nm.values, (v, i) => ((i * 7 + at) % 5 === 0 ? 0 : v + 1));
      const meta = Uint8Array.from(nm.meta, (c, i) => ((i + at) % 3 === 0 ? (c + byte) & 255 : c));
      const code = codeOf(() => new Nm([rows, cols], p, values, meta).toDense());
      assert.ok(['no error', 'E_FORMAT', 'E_RANGE'].includes(code), code);
      return true;
    }),
    { seed: SEED, numRuns: 300 },
  );
});

format.run();

const EXTRA_SPARSITY = [0, 0.5, 0.9, 0.99, 1];
// Batch 1 runs the GEMV (direct swizzles below 64 rows, the activation table from 64 rows on); batch > 1
// the GEMM (32-wide strips, then 4-wide ones). `in` values cover partial groups and partial spans.
const SHAPES: [batch: number, out: number, inF: number][] = [
  [1, 1, 1], [1, 17, 13], [1, 5, 64], [1, 64, 33], [1, 70, 4097], [1, 131, 300], [3, 9, 16], [17, 5, 100],
  [2, 66, 19], [64, 33, 260], [5, 3, 1030], [0, 4, 8], [3, 0, 8], [3, 4, 0], [1, 65, 0],
];

eachVariant('N:M linear vs float64 reference', (test) => {
  for (const { n, m } of NM_PATTERNS) {
    test(`${n}:${m}: every extra sparsity and shape, with and without bias + relu`, ({ bs }) => {
      for (const extra of EXTRA_SPARSITY) {
        for (const [batch, out, inF] of SHAPES) {
          const relu = (batch + out + inF) % 2 === 1;
          const w = nmDense(out, inF, n, m, extra, batch * 7 + out * 3 + inF);
          const x = randomFloats(batch * inF, inF + 1);
          const bias = relu || extra === 1 ? randomFloats(out, out + 2) : undefined;
          const layer = bs.linear(Nm.fromDense(w, [out, inF], { n, m }), { bias, activation: relu ? 'relu' : 'none' });
          const problem = compareLinear({ w, x, bias, batch, out, in: inF, relu }, layer.forward(x, batch));
          layer.dispose();
          assert.is(problem, undefined, `${n}:${m}, extra sparsity ${extra}: ${problem}`);
        }
      }
    });
  }

  test('run() on resident tensors matches forward(); the GEMM at batch 64 over a wide layer', ({ bs }) => {
    const [out, inF, batch] = [40, 1030, 64];
    const w = nmDense(out, inF, 2, 4, 0, 9);
    const layer = bs.linear(Nm.fromDense(w, [out, inF], { n: 2, m: 4 }));
    const x = randomFloats(batch * inF, 10);
    const xt = bs.tensor(x);
    const yt = bs.tensor(batch * out);
    layer.run(xt, yt, batch);
    assert.is(compareLinear({ w, x, batch, out, in: inF, relu: false }, yt.read()), undefined);
    assert.equal(yt.read(), layer.forward(x, batch));
    layer.dispose();
    xt.dispose();
    yt.dispose();
  });

  test('holds what bitsPerWeight promises (+ bias) and frees it', ({ bs }) => {
    for (const { n, m } of NM_PATTERNS) {
      const start = bs.heap.inUseBytes;
      const [out, inF] = [256, 256];
      const nm = Nm.fromDense(nmDense(out, inF, n, m, 0, 5), [out, inF], { n, m });
      const layer = bs.linear(nm);
      const promised = (nm.bitsPerWeight * out * inF) / 8 + 4 * out;
      assert.ok(layer.residentBytes <= 1.1 * promised, `${n}:${m}: ${layer.residentBytes} > 1.1 × ${promised}`);
      assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 3 * 16, 'only alignment padding on top');
      layer.forward(randomFloats(inF * 5, 1), 5);
      layer.forward(randomFloats(inF, 1), 1);
      layer.dispose();
      assert.is(bs.heap.inUseBytes, start);
    }
  });
});
