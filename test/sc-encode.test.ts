// Comparator SNG encode / decode on every build (sc_encoded_mac.md §1.1, §2.1, §5, §10; golden vectors A.2, A.3,
// A.4, A.12): exact counts, identical bits to a plain-loop reference for every lane width, comparator and
// quantization rule, zero pad bits, integral streams, MSB-first order, error vs L, bad parameters, no heap leaks.
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { lfsr, ramp, sobol, uniform, StreamBatch, type ScSource, type EncodeOptions } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { refComparatorBits, unpackBits } from './reference/sc-sources.js';

const SEED = 20261201;
const counts = (b: StreamBatch) => Array.from({ length: b.count }, (_, i) => b.ones(i));
/** Unipolar values whose 8-bit threshold (any rounding) is exactly X. */
const exact8 = (xs: number[]) => xs.map((x) => x / 256);

/** The spec's quantization, written independently: y = p·2^w. */
function refThreshold(p: number, w: number, rule: string): number {
  const y = p * 2 ** w;
  if (rule === 'floor' || rule === 'trunc') return Math.floor(y);
  if (rule === 'round-half-up') return Math.floor(y + 0.5);
  const f = Math.floor(y);
  if (y - f !== 0.5) return Math.round(y);
  return f % 2 === 0 ? f : f + 1;
}

eachVariant('sc encode', (test) => {
  test('A.2 comparator counts, Fib-8 seed 1 and Galois-8 (X > R)', ({ bs }) => {
    const xs = [0, 1, 64, 128, 129, 192, 200, 255, 256];
    const fib = lfsr({ width: 8 });
    const gal = lfsr({ width: 8, form: 'galois' });
    assert.equal(counts(bs.sc.encode(exact8(xs), { length: 255, source: fib })), [0, 0, 63, 127, 128, 191, 199, 254, 255]);
    assert.equal(counts(bs.sc.encode(exact8(xs), { length: 256, source: fib })), [0, 0, 64, 128, 129, 192, 200, 255, 256]);
    assert.equal(counts(bs.sc.encode(exact8(xs), { length: 64, source: fib })), [0, 0, 24, 39, 39, 54, 56, 64, 64]);
    assert.equal(counts(bs.sc.encode(exact8(xs), { length: 255, source: gal })), [0, 0, 63, 127, 128, 191, 199, 254, 255]);
    assert.equal(counts(bs.sc.encode(exact8(xs), { length: 64, source: gal })), [0, 0, 19, 36, 36, 53, 55, 64, 64]);
    const fib16 = lfsr({ width: 16 });
    assert.equal(counts(bs.sc.encode([32768 / 65536, 1000 / 65536], { length: 65535, source: fib16 })), [32767, 999]);
    assert.equal(counts(bs.sc.encode([0.5], { length: 1024, source: fib16 })), [523]);
  });

  test('full-period law: X − 1 ones over 2^n − 1 cycles; exactly X with insertZero (every X, widths 4–12)', ({ bs }) => {
    for (const n of [4, 8, 12]) {
      const xs = Array.from({ length: 2 ** n + 1 }, (_, x) => x);
      const p = xs.map((x) => x / 2 ** n);
      assert.equal(counts(bs.sc.encode(p, { length: 2 ** n - 1, source: lfsr({ width: n }) })), xs.map((x) => Math.max(0, x - 1)), `width ${n}`);
      for (const form of ['fibonacci-xor', 'fibonacci-xnor', 'galois'] as const) {
        assert.equal(counts(bs.sc.encode(p, { length: 2 ** n, source: lfsr({ width: n, form, insertZero: true }) })), xs, `width ${n} ${form} insertZero`);
      }
    }
  });

  test('A.3 Sobol: count = X over 256 cycles for every dim 1–16 and X; 2-D exact products of (0,m,2)-net pairs', ({ bs }) => {
    const xs = Array.from({ length: 257 }, (_, x) => x);
    for (let d = 1; d <= 16; d++) assert.equal(counts(bs.sc.encode(exact8(xs), { length: 256, source: sobol({ dimension: d, bits: 8 }) })), xs, `dim ${d}`);
    // 4-bit values over 256 cycles: A from dim d1, B from dim d2, count(A AND B) = A·B for all A, B ∈ [0, 16].
    const vals = Array.from({ length: 17 }, (_, a) => a / 16);
    for (const [d1, d2] of [[1, 2], [1, 3], [2, 3], [1, 4]]) {
      const a = bs.sc.encode(vals, { length: 256, source: sobol({ dimension: d1, bits: 4, length: 256 }) });
      const b = bs.sc.encode(vals, { length: 256, source: sobol({ dimension: d2, bits: 4, length: 256 }) });
      for (let i = 0; i <= 16; i++) {
        for (let j = 0; j <= 16; j++) assert.is(andCount(a, i, b, j), i * j, `dims (${d1},${d2}) A=${i} B=${j}`);
      }
    }
    // 8-bit over 65 536 cycles (exact) and over 256 cycles (approximate), dims (1, 2).
    const pairs = [[37, 201], [100, 200], [255, 1], [128, 128], [3, 250]];
    const full = (d: number, L: number, xsOf: number[]) => bs.sc.encode(exact8(xsOf), { length: L, source: sobol({ dimension: d, bits: 8, length: L }) });
    const A = full(1, 65536, pairs.map((p) => p[0]));
    const B = full(2, 65536, pairs.map((p) => p[1]));
    assert.equal(pairs.map((_, k) => andCount(A, k, B, k)), [7437, 20000, 255, 16384, 750]);
    const short = [[128, 128], [64, 192], [200, 100], [37, 201]];
    const A2 = full(1, 256, short.map((p) => p[0]));
    const B2 = full(2, 256, short.map((p) => p[1]));
    assert.equal(short.map((_, k) => andCount(A2, k, B2, k)), [64, 48, 78, 29]);
  });

  test('A.4 correlation counts (Fib-8 seed 1, 255 cycles, X = 128 vs Y = 192)', ({ bs }) => {
    const L = 255;
    const base = lfsr({ width: 8 });
    const x = bs.sc.encode([0.5], { length: L, source: base });
    const abcd = (y: StreamBatch) => {
      let a = 0, b = 0, c = 0, d = 0;
      for (let t = 0; t < L; t++) {
        const p = x.bit(0, t), q = y.bit(0, t);
        if (p && q) a++; else if (p) b++; else if (q) c++; else d++;
      }
      return [a, b, c, d];
    };
    const enc = (source: ScSource) => bs.sc.encode([0.75], { length: L, source });
    assert.equal(abcd(enc(base)), [127, 0, 64, 64]);
    assert.equal(abcd(enc({ bits: 8, values: base.values.map((r) => 255 - r) })), [64, 63, 128, 0]);
    assert.equal(abcd(enc(lfsr({ width: 8, seed: 0x5a }))), [95, 32, 96, 32]);
    assert.equal(abcd(enc(lfsr({ width: 8, view: { rotate: 4 } }))), [95, 32, 96, 32]); // nibble swap
    assert.equal(abcd(enc(lfsr({ width: 8, view: { reverse: true } }))), [95, 32, 96, 32]);
  });

  test('identical bits to the plain-loop reference: random values, widths (u8/u16/u32 lanes), lengths, comparators, rules', ({ bs }) => {
    const rules = ['round-half-even', 'round-half-up', 'floor', 'trunc'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 2 ** 31 }),
        fc.boolean(), fc.constantFrom(...rules), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 0, maxLength: 9 }),
        fc.integer({ min: 0, max: 1000 }),
        (w, L, n, seed, ge, rule, values, offsetSeed) => {
          const source = uniform({ seed, bits: w, length: n });
          const withEdges = [...values, 0, 1, 0.5, 1 / 2 ** w, 1.5 / 2 ** w];
          const offsets = withEdges.map((_, i) => (i * 7919 + offsetSeed) % (i % 2 ? 1 : 3 * n)); // some 0, some ≥ n (wrap)
          const b = bs.sc.encode(withEdges, { length: L, source, comparator: ge ? '>=' : '>', quantization: rule, offsets });
          b.validate(); // pad bits zero
          for (let i = 0; i < withEdges.length; i++) {
            const want = refComparatorBits(refThreshold(withEdges[i], w, rule), source.values, L, ge, offsets[i]);
            if (unpackBits(b.words, i * b.stride, L).join('') !== want.join('')) return false;
          }
          return true;
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  test('A.7 inputs: one shared Fib-8 table read at phases 16j (= seeds 1, 75, 146, …) gives X_j − 1 ones each', ({ bs }) => {
    const table = lfsr({ width: 8 });
    const xs = Array.from({ length: 16 }, (_, j) => (16 * j + 8) / 256);
    const shared = bs.sc.encode(xs, { length: 255, source: table, offsets: xs.map((_, j) => 16 * j) });
    assert.equal(counts(shared), Array.from({ length: 16 }, (_, j) => 16 * j + 7));
    const seeds = [1, 75, 146, 65, 89, 246, 209, 143, 139, 165, 236, 233, 140, 87, 19, 47];
    const seeded = bs.sc.encode(xs, { length: 255, source: seeds.map((seed) => lfsr({ width: 8, seed })), select: seeds.map((_, j) => j) });
    assert.equal(Array.from(shared.words), Array.from(seeded.words));
    // exact PC total over the 16 streams, A.7: 2032.
    assert.is(counts(shared).reduce((a, b) => a + b), 2032);
  });

  test('quantization rules and bipolar mappings (§0 choice 5)', ({ bs }) => {
    const source = ramp({ bits: 3 }); // R = 0..7: count over 8 cycles = X
    const enc = (v: number[], o: Partial<EncodeOptions>) => counts(bs.sc.encode(v, { length: 8, source, ...o }));
    // p·8 = 2.5, 3.5, 0.4375·8 = 3.5 …
    assert.equal(enc([2.5 / 8, 3.5 / 8, 2.6 / 8], {}), [2, 4, 3]);
    assert.equal(enc([2.5 / 8, 3.5 / 8, 2.6 / 8], { quantization: 'round-half-up' }), [3, 4, 3]);
    assert.equal(enc([2.5 / 8, 3.5 / 8, 2.6 / 8], { quantization: 'floor' }), [2, 3, 2]);
    assert.equal(enc([0.25], { comparator: '>=' }), [3]); // X = 2: R ∈ {0, 1, 2}
    // bipolar x → (x + 1)/2 before quantization (default) vs q(x·4) + 4 after.
    assert.equal(enc([-1, -0.5, 0, 1], { encoding: 'bipolar' }), [0, 2, 4, 8]);
    assert.equal(enc([-0.3], { encoding: 'bipolar' }), [3]); // 0.35·8 = 2.8 → 3
    assert.equal(enc([-0.3], { encoding: 'bipolar', bipolarMapping: 'after-quantization', quantization: 'trunc' }), [3]); // trunc(−1.2) + 4
    assert.equal(enc([-0.3], { encoding: 'bipolar', bipolarMapping: 'after-quantization', quantization: 'floor' }), [2]); // floor(−1.2) + 4
  });

  test('decode: unipolar ones/L, bipolar 2·ones/L − 1, progressive; integral streams (A.12)', ({ bs }) => {
    const source = lfsr({ width: 8, insertZero: true });
    const u = bs.sc.encode([0.25, 0.5, 1], { length: 256, source });
    assert.equal(Array.from(bs.sc.decode(u)), [0.25, 0.5, 1]);
    const b = bs.sc.encode([-0.5, 0, 0.75], { length: 256, source, encoding: 'bipolar' });
    assert.equal(Array.from(bs.sc.decode(b, { encoding: 'bipolar' })), [-0.5, 0, 0.75]);
    const prog = bs.sc.decodeProgressive(u, 1);
    assert.is(prog.length, 256);
    assert.is(prog[255], 0.5);
    assert.is(prog[0], u.bit(1, 0));
    // A.12: m = 2, value 1.5 = two planes of 0.75, each from its own LFSR phase; over one period the integer
    // sum of the per-cycle values equals the sum of the two counts, and decodes to 1.5 exactly.
    const two = [lfsr({ width: 8, insertZero: true }), lfsr({ width: 8, insertZero: true, phase: 100 })];
    const integral = bs.sc.encode([1.5, 0.5], { length: 256, source: two, range: 2 });
    assert.is(integral.count, 4);
    assert.equal(counts(integral), [192, 192, 64, 64]);
    let perCycle = 0;
    for (let t = 0; t < 256; t++) perCycle += integral.bit(0, t) + integral.bit(1, t);
    assert.is(perCycle, 384);
    assert.equal(Array.from(bs.sc.decode(integral, { range: 2 })), [1.5, 0.5]);
    const bi = bs.sc.encode([-1.5, 2], { length: 256, source: two, range: 2, encoding: 'bipolar' });
    assert.equal(Array.from(bs.sc.decode(bi, { range: 2, encoding: 'bipolar' })), [-1.5, 2]);
    // explicit select: both planes of value 0 from source 1.
    const sel = bs.sc.encode([1.5], { length: 256, source: two, range: 2, select: [1, 1] });
    assert.equal(Array.from(sel.stream(0)), Array.from(sel.stream(1)));
  });

  test('toMsbFirst / fromMsbFirst: cycle t at bit 31 − (t & 31)', ({ bs }) => {
    const b = bs.sc.encode([0.3, 0.9], { length: 77, source: uniform({ seed: 5, bits: 8, length: 77 }) });
    const msb = bs.sc.toMsbFirst(b);
    for (let i = 0; i < 2; i++) for (let t = 0; t < 77; t++) assert.is((msb[i * b.stride + (t >>> 5)] >>> (31 - (t & 31))) & 1, b.bit(i, t));
    assert.equal(Array.from(bs.sc.fromMsbFirst(msb, 2, 77).words), Array.from(b.words));
  });

  test('error vs L: random sources ~ 1/√L, Sobol ~ 1/L (log-log slope)', ({ bs }) => {
    const values = Array.from({ length: 200 }, (_, i) => (i + 0.5) / 200);
    const Ls = [64, 256, 1024, 4096];
    const slope = (make: (L: number, k: number) => ScSource) => {
      const errs = Ls.map((L) => {
        let e = 0;
        const sources = Array.from({ length: values.length }, (_, k) => make(L, k));
        const dec = bs.sc.decode(bs.sc.encode(values, { length: L, source: sources }));
        for (let i = 0; i < values.length; i++) e += (dec[i] - refThreshold(values[i], 16, 'round-half-even') / 65536) ** 2;
        return Math.sqrt(e / values.length);
      });
      const xs = Ls.map(Math.log), ys = errs.map(Math.log);
      const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
      return xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    };
    const random = slope((L, k) => uniform({ seed: 1000 + k, bits: 16, length: L }));
    const ld = slope((L) => sobol({ dimension: 1, bits: 16, length: L }));
    assert.ok(random > -0.65 && random < -0.35, `random-source slope ${random}`);
    assert.ok(ld > -1.2 && ld < -0.8, `Sobol slope ${ld}`);
  });

  test('bad parameters → BitsieveError; the heap is unchanged, also after errors', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const source = lfsr({ width: 8 });
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 0, source })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 1.5, source })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([1.01], { length: 8, source })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([-0.01], { length: 8, source })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([NaN], { length: 8, source })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([-1.01], { length: 8, source, encoding: 'bipolar' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([2.5], { length: 8, source, range: 2 })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source: [source, lfsr({ width: 10 })] })), 'E_RANGE'); // mismatched widths
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source, select: [1] })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source, select: [0, 0] })), 'E_SHAPE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source, offsets: [-1] })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source, offsets: [0.5] })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5, 0.2], { length: 8, source, offsets: [3] })), 'E_SHAPE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source: { bits: 4, values: new Uint32Array([16]) } })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source, comparator: '<' as '>' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.encode([0.5], { length: 8, source, quantization: 'ceil' as 'floor' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.decode(new StreamBatch(3, 8), { range: 2 })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.fromMsbFirst(new Uint32Array(3), 1, 8)), 'E_SHAPE');
    assert.is(bs.sc.encode([], { length: 8, source }).count, 0);
    bs.sc.encode(new Float64Array(300).fill(0.3), { length: 5000, source: [source, lfsr({ width: 8, phase: 9 })], offsets: new Array(300).fill(17) });
    assert.is(bs.heap.inUseBytes, before);
  });
});

function andCount(a: StreamBatch, i: number, b: StreamBatch, j: number): number {
  let n = 0;
  for (let w = 0; w < a.stride; w++) {
    let v = (a.words[i * a.stride + w] & b.words[j * b.stride + w]) >>> 0;
    while (v) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}
