// LFSR connectivity: the tap table is maximal-length (exhaustive periods up to 20 bits, the
// multiplicative order of the step map beyond), generated columns are distinct and in range and follow
// the normative rule, format checks and round trips, the kernels on every build vs float64, and pruneLfsr.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, Csr, LFSR_TAPS, LfsrSparse, lfsrColumns, lfsrWidthFor, pruneLfsr } from '../src/index.js';
import { compareLinear, randomFloats } from './reference/linear.js';
import { eachVariant, initVariant, runnableVariants } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

const SEED = 20261122;

/** Reference right-shifting Galois step, written from the polynomial's exponents (bit e−1 ↔ x^e). */
function step(s: number, m: number): number {
  const taps = LFSR_TAPS[m];
  return s & 1 ? ((s >>> 1) ^ taps) >>> 0 : s >>> 1;
}

/** The step as an m×m matrix over GF(2): column i = image of state bit i. */
function stepMatrix(m: number): number[] {
  return Array.from({ length: m }, (_, i) => step((2 ** i) >>> 0, m));
}
function apply(M: number[], v: number): number {
  let r = 0;
  for (let i = 0; i < M.length; i++) if ((v >>> i) & 1) r = (r ^ M[i]) >>> 0;
  return r;
}
function matPow(M: number[], e: number): number[] {
  let R = M.map((_, i) => (2 ** i) >>> 0);
  let P = M;
  while (e > 0) {
    if (e % 2) R = R.map((c) => apply(P, c));
    P = P.map((c) => apply(P, c));
    e = Math.floor(e / 2);
  }
  return R;
}
const primeFactors = (n: number) => {
  const f: number[] = [];
  for (let d = 2; d * d <= n; d++) if (n % d === 0) { f.push(d); while (n % d === 0) n /= d; }
  if (n > 1) f.push(n);
  return f;
};

const taps = suite('LFSR taps and column generation');

taps('periods are exactly 2^m − 1 for m = 2..20 (exhaustive)', () => {
  for (let m = 2; m <= 20; m++) {
    let s = 1;
    let period = 0;
    do {
      s = step(s, m);
      period++;
      if (s === 0 || s >= 2 ** m) throw new Error(`m=${m}: left the state space`);
    } while (s !== 1 && period <= 2 ** m);
    assert.is(period, 2 ** m - 1, `m=${m}`);
  }
});

taps('the step map has multiplicative order exactly 2^m − 1 for m = 21..32 (maximal length)', () => {
  for (let m = 21; m <= 32; m++) {
    const M = stepMatrix(m);
    const N = 2 ** m - 1;
    const identity = M.map((_, i) => (2 ** i) >>> 0);
    assert.equal(matPow(M, N), identity, `m=${m}: M^(2^m−1) ≠ I`);
    for (const q of primeFactors(N)) assert.not.equal(matPow(M, N / q), identity, `m=${m}: order divides (2^m−1)/${q}`);
  }
});

taps('width is the smallest m ≥ 2 with 2^m > in', () => {
  for (const [cols, m] of [[0, 2], [1, 2], [3, 2], [4, 3], [7, 3], [8, 4], [1023, 10], [1024, 11], [4096, 13], [2 ** 30 - 1, 30]]) assert.is(lfsrWidthFor(cols), m, `in=${cols}`);
});

taps('columns follow the normative rule, are distinct and in range; a full row is a permutation', () => {
  for (const cols of [1, 2, 3, 5, 8, 13, 64, 100, 1000]) {
    const m = lfsrWidthFor(cols);
    for (const seed of [1, 2, 2 ** m - 1, (2 ** m) >> 1]) {
      const got = lfsrColumns(seed, cols, cols);
      const want: number[] = [];
      for (let s = seed; want.length < cols; ) {
        s = step(s, m);
        if (s <= cols) want.push(s - 1);
      }
      assert.equal([...got], want);
      assert.equal([...got].sort((a, b) => a - b), Array.from({ length: cols }, (_, i) => i));
    }
  }
});

taps.run();

const format = suite('LfsrSparse format');

format('random: round(density·in) columns per row, toDense puts values at the generated columns', () => {
  const f = LfsrSparse.random([7, 50], { density: 0.3, seed: 5 });
  assert.is(f.width, 6);
  assert.ok(f.counts.every((c) => c === 15));
  assert.is(f.nnz, 7 * 15);
  const dense = f.toDense();
  let i = 0;
  for (let r = 0; r < 7; r++) for (const c of f.columns(r)) assert.is(dense[r * 50 + c], f.values[i++]);
  assert.is(dense.filter((v) => v !== 0).length, f.values.filter((v) => v !== 0).length);
  // Same seed → same bits; another seed → other connectivity.
  assert.equal(LfsrSparse.random([7, 50], { density: 0.3, seed: 5 }).seeds, f.seeds);
  assert.not.equal(LfsrSparse.random([7, 50], { density: 0.3, seed: 6 }).seeds, f.seeds);
});

format('bits per weight: values + seeds + counts only, well under CSR at the same nonzeros', () => {
  const w = randomFloats(256 * 1024, 2);
  const f = LfsrSparse.fromDense(w, [256, 1024], { density: 0.1, seed: 1 });
  assert.is(f.bitsPerWeight, (32 * f.nnz + 64 * 256) / (256 * 1024));
  const csr = Csr.fromDense(f.toDense(), [256, 1024]);
  assert.is(csr.nnz, f.nnz);
  assert.ok(f.bitsPerWeight < 0.7 * csr.bitsPerWeight, `${f.bitsPerWeight} vs CSR ${csr.bitsPerWeight}`);
});

format('bytes round trip is exact', () => {
  for (const [rows, cols] of [[9, 13], [3, 1], [0, 5], [4, 0], [2, 5000]] as const) {
    const f = LfsrSparse.random([rows, cols], { density: 0.4, seed: rows + cols });
    const back = LfsrSparse.fromBytes(f.toBytes());
    assert.equal(back.shape, f.shape);
    assert.equal(back.seeds, f.seeds);
    assert.equal(back.counts, f.counts);
    assert.equal(back.values, f.values);
  }
});

format('malformed → E_FORMAT / E_DTYPE / E_RANGE before anything runs', () => {
  const ok = () => ({ seeds: new Uint32Array([1, 7]), counts: new Uint32Array([2, 3]), val: new Float32Array(5).fill(1) });
  const make = (f: (p: ReturnType<typeof ok>) => void, shape: [number, number] = [2, 6]) => () => {
    const p = ok();
    f(p);
    return new LfsrSparse(shape, p.seeds, p.counts, p.val);
  };
  assert.is(codeOf(make(() => {})), 'no error');
  assert.is(codeOf(make((p) => (p.seeds[0] = 0))), 'E_FORMAT'); // the all-zero state never moves
  assert.is(codeOf(make((p) => (p.seeds[1] = 8))), 'E_FORMAT'); // ≥ 2^m (m = 3 for in = 6)
  assert.is(codeOf(make((p) => (p.counts[1] = 7))), 'E_FORMAT'); // more columns than in: generation would not end
  assert.is(codeOf(make((p) => (p.counts[1] = 2))), 'E_FORMAT'); // counts do not add up to the values
  assert.is(codeOf(make((p) => (p.seeds = new Uint32Array([1])))), 'E_FORMAT');
  assert.is(codeOf(make((p) => (p.val[3] = Infinity))), 'E_RANGE');
  assert.is(codeOf(make((p) => (p.counts = new Int32Array([2, 3]) as never))), 'E_DTYPE');
  assert.is(codeOf(() => LfsrSparse.random([2, 3], { density: 2, seed: 1 })), 'E_RANGE');
  assert.is(codeOf(() => LfsrSparse.random([2, 3], { density: 0.5, seed: 0.5 })), 'E_DTYPE');
  assert.is(codeOf(() => LfsrSparse.fromDense(new Float32Array(5), [2, 3], { density: 0.5, seed: 1 })), 'E_SHAPE');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = LfsrSparse.random([5, 20], { density: 0.5, seed: 3 }).toBytes();
  assert.is(codeOf(() => LfsrSparse.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  const set = (at: number, v: number) => { const b = good.slice(); new DataView(b.buffer).setUint32(at, v, true); return b; };
  assert.is(codeOf(() => LfsrSparse.fromBytes(set(16, 9))), 'E_CORRUPT'); // width ≠ 5 for in = 20
  assert.is(codeOf(() => LfsrSparse.fromBytes(set(20, 0xffffffff))), 'E_CORRUPT');
  assert.is(codeOf(() => LfsrSparse.fromBytes(set(24, 0))), 'E_CORRUPT'); // seed 0
  assert.is(codeOf(() => LfsrSparse.fromBytes(set(24 + 4 * 5, 21))), 'E_CORRUPT'); // count 21 > in
});

format('any corruption of the bytes gives a BitsieveError or a valid matrix, never a crash (fast-check)', () => {
  const arb = fc.record({ rows: fc.integer({ min: 0, max: 8 }), cols: fc.integer({ min: 0, max: 40 }), density: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer() });
  fc.assert(
    fc.property(arb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (c, edits) => {
      const bytes = LfsrSparse.random([c.rows, c.cols], c).toBytes();
      for (const [at, v] of edits) bytes[at % bytes.length] = v;
      try {
        LfsrSparse.fromBytes(bytes).toDense();
        return true;
      } catch (e) {
        return e instanceof BitsieveError;
      }
    }),
    { seed: SEED, numRuns: 300 },
  );
});

format.run();

/** Dense weights with the LFSR connectivity, built with the reference step (not the code under test). */
function referenceDense(f: LfsrSparse): Float32Array {
  const [rows, cols] = f.shape;
  const w = new Float32Array(rows * cols);
  let i = 0;
  for (let r = 0; r < rows; r++) {
    let s = f.seeds[r];
    for (let n = 0; n < f.counts[r]; ) {
      s = step(s, f.width);
      if (s <= cols) { w[r * cols + s - 1] = f.values[i++]; n++; }
    }
  }
  return w;
}

const SPARSITIES = [0, 0.5, 0.9, 0.99, 1];
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 17, 33], [1, 64, 257], [1, 3, 1024], [3, 9, 16], [5, 13, 31], [17, 7, 19], [17, 6, 130], [64, 12, 40], [64, 5, 9], [0, 4, 4], [3, 0, 4], [3, 4, 0],
];

eachVariant('LFSR linear vs float64 reference', (test) => {
  for (const sparsity of SPARSITIES) {
    test(`sparsity ${sparsity * 100}%: every shape, with and without bias + relu`, ({ bs }) => {
      for (const [batch, out, inF] of SHAPES) {
        for (const relu of [false, true]) {
          const f = LfsrSparse.random([out, inF], { density: 1 - sparsity, seed: batch * 7 + out * 3 + inF });
          const w = referenceDense(f);
          const x = randomFloats(batch * inF, inF + 1);
          const bias = relu ? randomFloats(out, out + 2) : undefined;
          const layer = bs.linear(f, { bias, activation: relu ? 'relu' : 'none' });
          const problem = compareLinear({ w, x, bias, batch, out, in: inF, relu }, layer.forward(x, batch));
          layer.dispose();
          assert.is(problem, undefined, `sparsity ${sparsity}: ${problem}`);
        }
      }
    });
  }

  test('per-row counts that differ, and fromDense values', ({ bs }) => {
    const inF = 77;
    const w = randomFloats(6 * inF, 4);
    const base = LfsrSparse.fromDense(w, [6, inF], { density: 1, seed: 9 });
    const counts = new Uint32Array([0, 1, 76, 77, 40, 3]);
    const values = new Float32Array(counts.reduce((a, b) => a + b, 0)).map((_, i) => Math.sin(i));
    const f = new LfsrSparse([6, inF], base.seeds.slice(), counts, values);
    const layer = bs.linear(f);
    for (const batch of [1, 5, 17]) {
      const x = randomFloats(batch * inF, batch);
      assert.is(compareLinear({ w: referenceDense(f), x, batch, out: 6, in: inF, relu: false }, layer.forward(x, batch)), undefined);
    }
    layer.dispose();
    assert.equal(referenceDense(base), w); // density 1 keeps every weight
  });

  test('resident bytes ≤ 1.1 × what bitsPerWeight promises (+ bias), all freed on dispose', ({ bs }) => {
    const start = bs.heap.inUseBytes;
    for (const [out, inF, d] of [[64, 1024, 0.1], [100, 77, 0.01], [8, 8, 1]] as const) {
      const f = LfsrSparse.random([out, inF], { density: d, seed: out });
      const layer = bs.linear(f);
      assert.ok(layer.residentBytes <= (1.1 * f.bitsPerWeight * out * inF) / 8 + 4 * out);
      assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 4 * 16);
      layer.forward(randomFloats(inF * 3, 1), 3);
      layer.forward(randomFloats(inF, 1), 1);
      layer.dispose();
      assert.is(bs.heap.inUseBytes, start);
    }
  });
});

const props = suite('LfsrSparse properties (fast-check)');

props('every build matches the float64 reference on random connectivity', async () => {
  const instances = await Promise.all(runnableVariants().map(initVariant));
  const arb = fc.record({ out: fc.integer({ min: 0, max: 10 }), in: fc.integer({ min: 0, max: 90 }), density: fc.double({ min: 0, max: 1, noNaN: true }), seed: fc.integer(), batch: fc.integer({ min: 0, max: 20 }) });
  fc.assert(
    fc.property(arb, (c) => {
      const f = LfsrSparse.random([c.out, c.in], c);
      const w = referenceDense(f);
      const x = randomFloats(c.batch * c.in, c.in + 5);
      for (const bs of instances) {
        const layer = bs.linear(f);
        const problem = compareLinear({ w, x, batch: c.batch, out: c.out, in: c.in, relu: false }, layer.forward(x, c.batch));
        layer.dispose();
        if (problem) throw new Error(`${bs.variant}: ${problem}`);
      }
      return true;
    }),
    { seed: SEED, numRuns: 150 },
  );
});

props.run();

const prune = suite('pruneLfsr');

prune('keeps w at the generated positions, round((1−s)·in) per row, errors from the mask', () => {
  const rows = 12, cols = 40;
  const w = randomFloats(rows * cols, 3);
  const x = randomFloats(3 * cols, 4);
  const { format, mask, sparsity, weightError, outputError } = pruneLfsr(w, [rows, cols], { sparsity: 0.75, seed: 11, calibration: x });
  for (let r = 0; r < rows; r++) assert.is(mask.subarray(r * cols, (r + 1) * cols).reduce((a, m) => a + m, 0), 10);
  assert.is(sparsity, 0.75);
  assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
  assert.equal(referenceDense(format), format.toDense());
  let removed = 0, total = 0;
  w.forEach((v, i) => { total += v * v; if (!mask[i]) removed += v * v; });
  assert.ok(Math.abs(weightError - Math.sqrt(removed / total)) < 1e-12);
  assert.ok(outputError !== undefined && outputError > 0 && outputError < 2);
  assert.is(codeOf(() => pruneLfsr(w, [rows, cols], { sparsity: -0.1, seed: 1 })), 'E_RANGE');
  assert.is(codeOf(() => pruneLfsr(w, [rows, cols], { sparsity: 0.5, seed: 1, calibration: new Float32Array(7) })), 'E_SHAPE');
});

prune.run();
