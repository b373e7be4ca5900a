// SC arithmetic, counters, correlation, FSM activations and pooling (bs.sc, sc_encoded_mac.md §1.5, §2.2–2.7,
// §3.3–3.4, §4, §5): golden vectors of §(a) (A.4–A.10) as literals, every kernel against the plain-loop
// references of test/reference/sc-arith.ts on random streams (fixed seed), on every build; bad arguments.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CycleCounts, StreamBatch, btanhStates, sccFromCounts, stability, type Bitsieve } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { apcAt, btanhRef, fsuAddRef, maxPoolRef, pcAt, reluRef, sccRef, stanhRef, type Bits } from './reference/sc-arith.js';
import { comparator, fib8, fromText, packStreams, toText, unpackStream } from './reference/sc-streams.js';

const SEED = 20261201;
const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
const texts = (b: StreamBatch) => Array.from({ length: b.count }, (_, i) => toText(unpackStream(b, i)));

// §A.7 bench: input j has X_j = 16j + 8 from Fib-8 seeded with state number 16j of the seed-1 sequence.
const seq = fib8(1, 256);
const benchSeeds = Array.from({ length: 16 }, (_, j) => seq[16 * j]);
const benchStreams = (seeds: number[]) => seeds.map((seed, j) => comparator(16 * j + 8, fib8(seed, 255)));
const bench = benchStreams(benchSeeds);
const cautionary = benchStreams(Array.from({ length: 16 }, (_, j) => j + 1));

/** Random 0/1 streams: `count` streams of `length` cycles, each with its own ones probability. */
const arbStreams = (count: fc.Arbitrary<number>, length: fc.Arbitrary<number>) =>
  fc.tuple(count, length, fc.integer()).map(([n, L, seed]) => {
    let s = seed >>> 0 || 1;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
    return Array.from({ length: n }, () => {
      const p = next();
      return Array.from({ length: L }, () => (next() < p ? 1 : 0));
    });
  });

function withHeapCheck(bs: Bitsieve, body: () => void): void {
  const before = bs.heap.inUseBytes;
  body();
  assert.is(bs.heap.inUseBytes, before, 'wasm scratch released');
}

{
  const t = suite('sc-arith golden (TS only)');
  t('A.4 SCC from counts', () => {
    assert.is(sccFromCounts({ a: 127, b: 0, c: 64, d: 64 }), 1);
    assert.is(sccFromCounts({ a: 64, b: 63, c: 128, d: 0 }), -1);
    assert.is(sccFromCounts({ a: 95, b: 32, c: 96, d: 32 }), -0.00390625);
    assert.is(sccFromCounts({ a: 0, b: 0, c: 0, d: 255 }), 0, 'constant streams: clamped denominator');
  });
  t('A.8 Kim r-rule: s = 1 ⇒ r = 2n', () => {
    for (const n of [1, 4, 16, 25, 100, 784]) assert.is(btanhStates(n, 1), 2 * n);
    // Hand evaluation of §3.4: n = 16, s = 0.5: q = 1.835·32^−0.5552 ≈ 0.2679, r = 2·round(7.5/(0.5·0.7321) + 16) = 2·36.
    assert.is(btanhStates(16, 0.5), 72);
  });
  t('stability', () => {
    assert.equal(stability([0.5, 0.2, 0.01, 0.06, 0.0, 0.0, 0.0, 0.0]), { cycleToStable: 4, stability: 0.5 });
    assert.equal(stability([0, 0]), { cycleToStable: 0, stability: 0.5 });
  });
  t.run();
}

eachVariant('sc-arith', (test) => {
  test('A.4 correlation and gates (Fib-8 seed 1, 255 cycles, X = 128 vs Y = 192)', ({ bs }) => {
    const r = fib8(1, 255);
    const x = packStreams([comparator(128, r), comparator(128, r), comparator(128, r)]);
    const y = packStreams([comparator(192, r), comparator(192, r.map((v) => 255 - v)), comparator(192, fib8(0x5a, 255))]);
    assert.equal(Array.from(bs.sc.scc(x, y)), [1, -1, -0.00390625]);
    withHeapCheck(bs, () => {
      assert.equal(Array.from(bs.sc.ones(bs.sc.and(x, y))).slice(0, 3), [127, 64, 95]);
      assert.is(bs.sc.ones(bs.sc.or(x, y))[0], 191);
      assert.is(bs.sc.ones(bs.sc.xor(x, y))[0], 64);
      assert.is(bs.sc.ones(bs.sc.xnor(x, y))[0], 255 - 64);
      assert.is(bs.sc.ones(bs.sc.not(x))[0], 255 - 127);
    });
  });

  test('A.5 Stanh hand vector and stream counts', ({ bs }) => {
    const x = packStreams([fromText('001000111101')]);
    assert.equal(texts(bs.sc.stanh(x, { states: 4 })), ['100000001111']);
    assert.equal(texts(bs.sc.stanh(x, { states: 4, outputTiming: 'afterUpdate' })), ['000000011111']);
    const r = fib8(1, 255);
    const s192 = packStreams([comparator(192, r)]);
    const s100 = packStreams([comparator(100, r)]);
    for (const [states, count] of [[4, 213], [8, 240], [16, 255]]) {
      assert.is(bs.sc.ones(bs.sc.stanh(s192, { states }))[0], count, `Moore N=${states}`);
      assert.is(bs.sc.ones(bs.sc.stanh(s192, { states, outputTiming: 'afterUpdate' }))[0], count, `after N=${states}`);
    }
    assert.is(bs.sc.ones(bs.sc.stanh(s100, { states: 8 }))[0], 70);
    assert.is(bs.sc.ones(bs.sc.stanh(s100, { states: 8, outputTiming: 'afterUpdate' }))[0], 69);
  });

  test('A.6 FSUAdd and FSUReLU hand vectors', ({ bs }) => {
    const ab = packStreams([fromText('11010110'), fromText('01011100')]);
    assert.equal(texts(bs.sc.fsuAdd(ab, { encoding: 'bipolar', scale: 1, depth: 10 })), ['01011110']);
    assert.equal(texts(bs.sc.fsuAdd(ab, { encoding: 'unipolar', scale: 2, depth: 10 })), ['01011100']);
    assert.equal(texts(bs.sc.relu(packStreams([fromText('000010001100')]), { depth: 3 })), ['010110011100']);
  });

  test('A.7 16-input bench: PC / APC totals and first cycles, MUX counts', ({ bs }) => {
    const x = packStreams(bench);
    assert.equal(Array.from(bs.sc.ones(x)), Array.from({ length: 16 }, (_, j) => 16 * j + 7));
    const pc = bs.sc.cycleCounts(x);
    const apc = bs.sc.cycleCounts(x, { counter: 'approximate' });
    assert.is(pc.total(0), 2032);
    assert.is(apc.total(0), 2032);
    assert.equal(Array.from(pc.row(0).subarray(0, 8)), [5, 9, 11, 9, 9, 9, 6, 3]);
    assert.equal(Array.from(apc.row(0).subarray(0, 8)), [6, 8, 10, 8, 8, 10, 6, 2]);
    const xc = packStreams(cautionary);
    assert.is(bs.sc.cycleCounts(xc).total(0), 2032);
    assert.is(bs.sc.cycleCounts(xc, { counter: 'approximate' }).total(0), 2014);
    assert.equal(Array.from(bs.sc.cycleCounts(xc).row(0).subarray(0, 8)), [16, 16, 16, 15, 1, 8, 7, 8]);
    // 16:1 MUX, select = a nibble of Fib-8 seed 0xAC (select stream j = bit j of the nibble).
    const sel = fib8(0xac, 255);
    const nibble = (shift: number) => sel.map((v) => (v >>> shift) & 15);
    const selectStreams = (shift: number) => packStreams([0, 1, 2, 3].map((j) => sel.map((v) => (v >>> (shift + j)) & 1)));
    for (const [inputs, low, high] of [[x, 131, 122], [xc, 121, 128]] as const) {
      assert.is(bs.sc.ones(bs.sc.muxN(inputs, selectStreams(0)))[0], low);
      assert.is(bs.sc.ones(bs.sc.muxN(inputs, selectStreams(4)))[0], high);
      assert.is(bs.sc.ones(bs.sc.muxN(inputs, nibble(0)))[0], low, 'index select = the same MUX');
      assert.is(bs.sc.ones(bs.sc.avgPool(inputs, selectStreams(4)))[0], high);
    }
  });

  test('A.8 Btanh on the A.7 counts and the hand vector', ({ bs }) => {
    const x = packStreams(bench);
    const pc = bs.sc.cycleCounts(x);
    const apc = bs.sc.cycleCounts(x, { counter: 'approximate' });
    for (const [r, pcOnes, apcOnes, pcMoore] of [[16, 130, 132, 131], [32, 107, 139, 108], [64, 71, 113, 71]]) {
      assert.is(bs.sc.ones(bs.sc.btanh(pc, { states: r }))[0], pcOnes, `PC r=${r}`);
      assert.is(bs.sc.ones(bs.sc.btanh(apc, { states: r }))[0], apcOnes, `APC r=${r}`);
      assert.is(bs.sc.ones(bs.sc.btanh(pc, { states: r, outputTiming: 'beforeUpdate' }))[0], pcMoore, `PC Moore r=${r}`);
    }
    assert.is(bs.sc.ones(bs.sc.btanh(pc))[0], 107, 'default r = 2n = 32, afterUpdate, ge');
    assert.equal(texts(bs.sc.btanh(pc, { weightScale: 0.5 })), texts(bs.sc.btanh(pc, { states: 72 })), 'Kim rule from the weight scaling');
    const hand = new CycleCounts(1, 8, 4, Uint16Array.from([3, 1, 0, 2, 4, 4, 2, 1]));
    assert.equal(texts(bs.sc.btanh(hand, { states: 8 })), ['11001111']);
    assert.equal(texts(bs.sc.btanh(hand, { states: 8, threshold: 'gt' })), ['10000111']);
  });

  test('A.9 causal segment max pooling', ({ bs }) => {
    const x = packStreams([3, 7, 10, 12].map((j) => bench[j]));
    assert.equal(Array.from(bs.sc.ones(x)), [55, 119, 167, 199]);
    assert.is(bs.sc.ones(bs.sc.maxPool(x, { segment: 16 }))[0], 177);
    assert.is(bs.sc.ones(bs.sc.maxPool(x, { segment: 32 }))[0], 168);
  });

  test('A.10 APC identity over all 2^16 input patterns', ({ bs }) => {
    // Cycle t carries pattern t: input i = bit i of t.
    const L = 65536;
    const x = new StreamBatch(16, L);
    for (let i = 0; i < 16; i++) for (let t = 0; t < L; t++) if ((t >>> i) & 1) x.words[i * x.stride + (t >>> 5)] |= (1 << (t & 31)) >>> 0;
    const pc = bs.sc.cycleCounts(x).values;
    const apc = bs.sc.cycleCounts(x, { counter: 'approximate' }).values;
    for (let t = 0; t < L; t++) {
      let identity = 0;
      let popcount = 0;
      for (let k = 0; k < 8; k++) {
        const d = ((t >>> (2 * k)) ^ (t >>> (2 * k + 1))) & 1;
        identity += k % 2 === 0 ? d : -d;
        popcount += ((t >>> (2 * k)) & 1) + ((t >>> (2 * k + 1)) & 1);
      }
      if (pc[t] !== popcount || apc[t] - pc[t] !== identity) assert.unreachable(`pattern ${t}: PC ${pc[t]}, APC ${apc[t]}`);
    }
  });

  test('gates, multiply and 2:1 MUX vs plain loops (repeating operands, pad bits zero)', ({ bs }) => {
    fc.assert(
      fc.property(arbStreams(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 300 })), (xs) => {
        const L = xs[0].length;
        const a = packStreams(xs);
        const b = packStreams(xs.map((x) => x.map((_, t) => x[(t * 7 + 3) % L] ^ (t & 1))));
        const one = packStreams([xs[xs.length - 1]]);
        const cases: [string, StreamBatch, (p: number, q: number) => number][] = [
          ['and', bs.sc.and(a, b), (p, q) => p & q],
          ['or', bs.sc.or(a, b), (p, q) => p | q],
          ['xor', bs.sc.xor(a, b), (p, q) => p ^ q],
          ['xnor', bs.sc.multiply(a, b, 'bipolar'), (p, q) => 1 - (p ^ q)],
          ['not', bs.sc.not(a), (p) => 1 - p],
        ];
        const bs_ = xs.map((_, i) => unpackStream(b, i));
        for (const [name, out, f] of cases) {
          xs.forEach((x, i) => assert.equal(unpackStream(out, i), x.map((p, t) => f(p, bs_[i][t])), name));
          out.validate();
        }
        const bcast = bs.sc.and(a, one);
        xs.forEach((x, i) => assert.equal(unpackStream(bcast, i), x.map((p, t) => p & xs[xs.length - 1][t])));
        const m = bs.sc.mux(a, b, one);
        xs.forEach((x, i) => assert.equal(unpackStream(m, i), x.map((p, t) => (xs[xs.length - 1][t] ? p : bs_[i][t]))));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  test('n:1 MUX (select streams and indices) vs plain loops', ({ bs }) => {
    fc.assert(
      fc.property(arbStreams(fc.constant(16), fc.integer({ min: 1, max: 260 })), fc.integer({ min: 0, max: 3 }), (xs, k) => {
        const L = xs[0].length;
        const n = 1 << k;
        const sel = xs.slice(0, k);
        const inputs = xs.slice(0, (16 / n) * n);
        const idx = Array.from({ length: L }, (_, t) => sel.reduce((s, b, j) => s | (b[t] << j), 0));
        const out = bs.sc.muxN(packStreams(inputs), k === 0 ? new StreamBatch(0, L) : packStreams(sel));
        assert.is(out.count, inputs.length / n);
        for (let g = 0; g < out.count; g++) {
          const expected = idx.map((i, t) => inputs[g * n + i][t]);
          assert.equal(unpackStream(out, g), expected);
          assert.equal(unpackStream(bs.sc.muxN(packStreams(inputs), idx, { groupSize: n }), g), expected);
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  test('PC / APC / fused product counts and inner-product totals vs plain loops', ({ bs }) => {
    fc.assert(
      fc.property(arbStreams(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 400 })), fc.integer({ min: 1, max: 5 }), (xs, neurons) => {
        const L = xs[0].length;
        const n = xs.length;
        const x = packStreams(xs);
        for (const counter of ['exact', 'approximate'] as const) {
          const c = bs.sc.cycleCounts(x, { counter });
          const ref = counter === 'exact' ? pcAt : apcAt;
          assert.equal(Array.from(c.row(0)), Array.from({ length: L }, (_, t) => ref(xs, t)), counter);
        }
        const ws = Array.from({ length: neurons * n }, (_, i) => xs[(i * 5 + 1) % n].map((b, t) => b ^ ((t * (i + 3)) % 7 < 3 ? 1 : 0)));
        const w = packStreams(ws);
        for (const encoding of ['unipolar', 'bipolar'] as const) {
          const prod = (j: number) => xs.map((xi, i) => xi.map((b, t) => (encoding === 'unipolar' ? b & ws[j * n + i][t] : 1 - (b ^ ws[j * n + i][t]))));
          const totals = bs.sc.innerProductOnes(x, w, encoding);
          for (const counter of ['exact', 'approximate'] as const) {
            const c = bs.sc.productCycleCounts(x, w, { encoding, counter });
            for (let j = 0; j < neurons; j++) {
              const p = prod(j);
              assert.equal(Array.from(c.row(j)), Array.from({ length: L }, (_, t) => (counter === 'exact' ? pcAt : apcAt)(p, t)));
            }
          }
          for (let j = 0; j < neurons; j++) assert.is(totals[j], sum(prod(j).flat()), `${encoding} neuron ${j}`);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  test('inner-product totals on long rows (byte-lane accumulation over > 31 vectors, 4-row blocks + tail)', ({ bs }) => {
    const xs = Array.from({ length: 9 }, (_, i) => Array.from({ length: 1000 }, (_, t) => ((t * (i + 2)) % 11 < 6 ? 1 : 0)));
    const ws = Array.from({ length: 7 * 9 }, (_, i) => Array.from({ length: 1000 }, (_, t) => ((t * (i + 5) + i) % 13 < 7 ? 1 : 0)));
    const ones = bs.sc.innerProductOnes(packStreams(xs), packStreams(ws));
    const xnor = bs.sc.innerProductOnes(packStreams(xs), packStreams(ws), 'bipolar');
    for (let j = 0; j < 7; j++) {
      assert.is(ones[j], sum(xs.flatMap((x, i) => x.map((b, t) => b & ws[j * 9 + i][t]))));
      assert.is(xnor[j], sum(xs.flatMap((x, i) => x.map((b, t) => 1 - (b ^ ws[j * 9 + i][t])))));
    }
  });

  test('FSMs (Stanh, Btanh, NStanh, ReLU, FSUAdd, logistic) vs plain loops, all timing / threshold options', ({ bs }) => {
    fc.assert(
      fc.property(
        arbStreams(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 300 })),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        fc.boolean(),
        (xs, half, after, strict) => {
          const states = 2 * half;
          const o = { states, after, strict };
          const opts = { states, outputTiming: after ? 'afterUpdate' : 'beforeUpdate', threshold: strict ? 'gt' : 'ge' } as const;
          const x = packStreams(xs);
          const st = bs.sc.stanh(x, opts);
          xs.forEach((b, i) => assert.equal(unpackStream(st, i), stanhRef(b, o), 'stanh'));
          const lg = bs.sc.logistic(x, opts);
          xs.forEach((b, i) => assert.equal(unpackStream(lg, i), stanhRef(b, o), 'logistic = stanh read unipolar'));
          const counts = bs.sc.cycleCounts(x);
          const bt = bs.sc.btanh(counts, opts);
          assert.equal(unpackStream(bt, 0), btanhRef(Array.from(counts.row(0)), xs.length, o), 'btanh');
          // Many lanes (four at a time in SIMD builds, then a scalar remainder): pairs of streams, n = 2.
          const pairs = packStreams(xs.flatMap((b, i) => [b, xs[(i + 1) % xs.length]]));
          const laneCounts = bs.sc.cycleCounts(pairs, { groupSize: 2 });
          const lanes = bs.sc.btanh(laneCounts, opts);
          xs.forEach((_, i) => assert.equal(unpackStream(lanes, i), btanhRef(Array.from(laneCounts.row(i)), 2, o), `btanh lane ${i}`));
          // NStanh: one integral stream of m = xs.length planes, N = states per plane.
          const ns = bs.sc.nstanh(x, { ...opts, planes: xs.length, states });
          assert.equal(unpackStream(ns, 0), btanhRef(Array.from(counts.row(0)), xs.length, { ...o, states: states * xs.length }), 'nstanh');
          const depth = 1 + (half % 6);
          const re = bs.sc.relu(x, { depth, threshold: opts.threshold });
          xs.forEach((b, i) => assert.equal(unpackStream(re, i), reluRef(b, depth, strict), 'relu'));
          const scale = 1 + (half % xs.length);
          const bipolar = after;
          const fa = bs.sc.fsuAdd(x, { encoding: bipolar ? 'bipolar' : 'unipolar', scale, depth: 2 + (half % 5) });
          assert.equal(unpackStream(fa, 0), fsuAddRef(xs, bipolar, scale, 2 + (half % 5)), 'fsuAdd');
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  test('max pooling (causal and not, any segment) and SCC vs plain loops', ({ bs }) => {
    fc.assert(
      fc.property(arbStreams(fc.constant(8), fc.integer({ min: 1, max: 300 })), fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.integer({ min: 0, max: 3 }), (xs, segment, causal, initial) => {
        const out = bs.sc.maxPool(packStreams(xs), { segment, causal, initial });
        assert.equal(unpackStream(out, 0), maxPoolRef(xs.slice(0, 4), segment, initial, causal));
        assert.equal(unpackStream(out, 1), maxPoolRef(xs.slice(4), segment, initial, causal));
        const s = bs.sc.scc(packStreams(xs.slice(0, 4)), packStreams(xs.slice(4)));
        xs.slice(0, 4).forEach((x, i) => assert.is(s[i], sccRef(x, xs[4 + i]).scc));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  test('progressive error: running estimate minus the clamped target', ({ bs }) => {
    const x = packStreams([fromText('1101'), fromText('0001')]);
    const pe = bs.sc.progressiveError(x, [0.5, 2], { encoding: 'bipolar' });
    const expected = [1 - 0.5, 1 - 0.5, 1 / 3 - 0.5, 0.5 - 0.5, -1 - 1, -1 - 1, -1 - 1, -0.5 - 1];
    expected.forEach((e, i) => assert.ok(Math.abs(pe[i] - e) < 1e-12, `pe[${i}] = ${pe[i]}, expected ${e}`));
  });

  test('in-stream multiplier (FSUMul) with a ramp source: exact unary products', ({ bs }) => {
    const ramp = Array.from({ length: 256 }, (_, t) => t);
    const r = fib8(1, 256);
    const xs = [0, 1, 100, 200, 256].map((A) => comparator(A, r));
    const values = [50, 255, 96, 0, 256];
    const x = packStreams(xs);
    const uni = bs.sc.ones(bs.sc.inStreamMultiply(x, values, ramp));
    const bi = bs.sc.ones(bs.sc.inStreamMultiply(x, values, ramp, { encoding: 'bipolar' }));
    xs.forEach((bits, i) => {
      const A = sum(bits);
      assert.is(uni[i], Math.min(A, values[i]), `unipolar ${i}`);
      assert.is(bi[i], Math.min(A, values[i]) + Math.max(0, 256 - A - values[i]), `bipolar ${i}`);
    });
    assert.is(codeOf(() => bs.sc.inStreamMultiply(x, [1, 2], ramp)), 'E_SHAPE');
    assert.is(codeOf(() => bs.sc.inStreamMultiply(x, values, [])), 'E_SHAPE');
    assert.is(codeOf(() => bs.sc.inStreamMultiply(x, [1, 2, 3, 4, -1], ramp)), 'E_RANGE');
  });

  test('statistics: AND multiplies independent streams, MUX averages (stated bounds)', ({ bs }) => {
    // Fib-8 phases far apart give nearly uncorrelated streams over one period: |ones − X·Y/255| ≤ 8.
    const r1 = fib8(1, 255);
    const r2 = fib8(seq[131], 255);
    for (const [X, Y] of [[64, 192], [128, 128], [200, 100]]) {
      const ones = bs.sc.ones(bs.sc.and(packStreams([comparator(X, r1)]), packStreams([comparator(Y, r2)])))[0];
      assert.ok(Math.abs(ones - ((X - 1) * (Y - 1)) / 255) <= 8, `${X}·${Y}: ${ones}`);
    }
  });

  test('bad arguments → BitsieveError, nothing leaks', ({ bs }) => {
    const a = packStreams([fromText('1010'), fromText('0110')]);
    const short = packStreams([fromText('101')]);
    withHeapCheck(bs, () => {
      assert.is(codeOf(() => bs.sc.and(a, short)), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.and(a, packStreams([fromText('1010'), fromText('1010'), fromText('1010')]))), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.and(a, new Uint32Array(4) as never)), 'E_DTYPE');
      assert.is(codeOf(() => bs.sc.multiply(a, a, 'ternary' as never)), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.mux(a, short, a)), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.muxN(a, [0, 1, 2, 0])), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.muxN(a, [0, 1])), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.muxN(a, short)), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.muxN(a, packStreams([fromText('1010'), fromText('0110')]))), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.stanh(a, { states: 5 })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.stanh(a, { states: 0 })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.stanh(a, { outputTiming: 'later' as never })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.stanh(a, { threshold: '>=' as never })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.btanh(a as never)), 'E_DTYPE');
      assert.is(codeOf(() => bs.sc.nstanh(a, { planes: 3 })), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.cycleCounts(a, { groupSize: 3 })), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.cycleCounts(a, { counter: 'apc' as never })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.innerProductOnes(a, packStreams([fromText('1010')]))), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.productCycleCounts(a, short)), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.fsuAdd(a, { scale: 3 })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.relu(a, { depth: 0 })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.maxPool(a, { groupSize: 2, segment: 0 })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.maxPool(a)), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.maxPool(a, { groupSize: 2, causal: 1 as never })), 'E_DTYPE');
      assert.is(codeOf(() => bs.sc.btanh(bs.sc.cycleCounts(a), { weightScale: 2 })), 'E_RANGE');
      assert.is(codeOf(() => bs.sc.scc(a, short)), 'E_SHAPE');
      assert.is(codeOf(() => bs.sc.progressiveError(a, [0.5])), 'E_SHAPE');
      assert.is(codeOf(() => new CycleCounts(1, 2, 4, Uint16Array.from([1, 5]))), 'E_RANGE');
      assert.is(codeOf(() => new StreamBatch(1, 0)), 'E_RANGE');
      assert.is(codeOf(() => btanhStates(16, 0)), 'E_RANGE');
    });
  });
});
