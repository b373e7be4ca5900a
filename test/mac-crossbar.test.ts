// bs.mac.crossbar against the plain-loop references of test/reference/mac-crossbar.ts: exact integer GEMM with zero
// faults and an ideal ADC on every mapping / cell width / input slicing / encoding with tile tails; clipped ADCs and
// stuck-at faults against the cell-by-cell emulator; the documented fault maps; differential vs two-column under
// stuck-on faults; FORMS' constraint and zero-skipping counters; variation; errors; no heap leaks; identical bits
// on every variant.
import * as assert from 'uvu/assert';
import { polarize, type CrossbarOptions } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { crossbarRef, faultMapRef, gemmRef, type XbarRefConfig } from './reference/mac-crossbar.js';

const SEED = 20261201;
const MAPPINGS = ['two-column', 'offset', 'differential', 'polarized'] as const;

/** Signed codes in [−Q, Q]; `zeros` of them forced to 0. */
function randomCodes(count: number, bits: number, seed: number, zeros = 0): Int8Array {
  const next = rng(seed);
  const q = 2 ** (bits - 1) - 1;
  return Int8Array.from({ length: count }, () => (next() < zeros ? 0 : Math.floor(next() * (2 * q + 1)) - q));
}

function polarizedCodes(count: number, bits: number, seed: number, shape: [number, number], fragmentRows: number): Int8Array {
  return Int8Array.from(polarize(Float32Array.from(randomCodes(count, bits, seed)), shape, fragmentRows));
}

function randomInputs(count: number, bits: number, signed: boolean, seed: number, zeros = 0): Int8Array | Uint8Array {
  const next = rng(seed);
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const span = 2 ** bits;
  const values = Array.from({ length: count }, () => (next() < zeros ? 0 : lo + Math.floor(next() * span)));
  return signed ? Int8Array.from(values) : Uint8Array.from(values);
}

function refConfig(o: CrossbarOptions): XbarRefConfig {
  return {
    mapping: o.mapping ?? 'two-column', weightBits: o.weightBits ?? 8, cellBits: o.cellBits ?? 2, rows: o.rows ?? 128, cols: o.cols ?? 128,
    fragmentRows: o.fragmentRows ?? 8, inputBits: o.inputBits ?? 8, inputBitsPerCycle: o.inputBitsPerCycle ?? 1,
    inputEncoding: o.inputEncoding ?? 'twos-complement', adcBits: o.adcBits === 'ideal' ? undefined : o.adcBits, adcStep: o.adcStep ?? 1,
  };
}

/** Results of the first variant, compared bit for bit on the others. */
const firstVariant = new Map<string, Float64Array | Uint8Array>();
function sameOnEveryVariant(key: string, value: Float64Array | Uint8Array): void {
  const seen = firstVariant.get(key);
  if (seen) assert.equal(Array.from(value), Array.from(seen), `${key}: identical on every variant`);
  else firstVariant.set(key, value.slice());
}

eachVariant('mac.crossbar', (test) => {
  test('zero faults + ideal ADC = exact integer GEMM: every mapping, cells 1..4, 1..8 input bits per cycle, encodings, tails', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    let i = 0;
    for (const mapping of MAPPINGS) {
      for (let cellBits = 1; cellBits <= 4; cellBits++) {
        for (let inputBitsPerCycle = 1; inputBitsPerCycle <= 8; inputBitsPerCycle++) {
          for (const inputEncoding of ['unsigned', 'twos-complement', 'sign-split'] as const) {
            i++;
            const [out, n, batch] = [3 + (i % 5), 17 + ((i * 7) % 29), 1 + (i % 3)];
            const weightBits = 2 + (i % 7);
            const inputBits = inputEncoding === 'unsigned' ? 1 + (i % 8) : 2 + (i % 7);
            const rows = mapping === 'polarized' ? 16 : 8 + (i % 13);
            const cols = 5 + (i % 11);
            const q = mapping === 'polarized' ? polarizedCodes(out * n, weightBits, SEED + i, [out, n], 8) : randomCodes(out * n, weightBits, SEED + i, 0.2);
            const x = randomInputs(batch * n, inputBits, inputEncoding !== 'unsigned', SEED + 1000 + i, 0.2);
            const options: CrossbarOptions = { mapping, cellBits, inputBitsPerCycle, inputEncoding, weightBits, inputBits, rows, cols };
            using xbar = bs.mac.crossbar(q, [out, n], options);
            const y = xbar.forwardCodes(x, batch);
            assert.equal(Array.from(y), Array.from(gemmRef(q, x, out, n, batch)), `${JSON.stringify(options)} [${out}, ${n}] batch ${batch}`);
          }
        }
      }
    }
    assert.is(bs.heap.inUseBytes, before);
  });

  test('the f32 conductance path with σ = 0 is exact too (every mapping, 256 × 64 arrays)', ({ bs }) => {
    for (const mapping of MAPPINGS) {
      const [out, n, batch] = [37, 300, 2];
      const q = mapping === 'polarized' ? polarizedCodes(out * n, 8, SEED + 5, [out, n], 16) : randomCodes(out * n, 8, SEED + 5, 0.3);
      const x = randomInputs(batch * n, 8, true, SEED + 6);
      using xbar = bs.mac.crossbar(q, [out, n], { mapping, rows: 256, cols: 64, fragmentRows: 16, inputBitsPerCycle: 2, variation: { multiplicative: 0, additive: 0 } });
      assert.equal(Array.from(xbar.forwardCodes(x, batch)), Array.from(gemmRef(q, x, out, n, batch)), mapping);
    }
  });

  test('ADC clipping and rounding: a hand-computed example and its counters', ({ bs }) => {
    // w = [3, 3, 3, 3] (3-bit codes, one 2-bit slice), two-column on one 4 × 2 array; x = [3, 3, 3, 1] unsigned 2-bit.
    // Cycle 0 drives bit 0 = [1, 1, 1, 1] → G+ column sum 12; cycle 1 drives bit 1 = [1, 1, 1, 0] → 9. G− sums 0.
    const w = Int8Array.from([3, 3, 3, 3]);
    const x = Uint8Array.from([3, 3, 3, 1]);
    const base: CrossbarOptions = { weightBits: 3, cellBits: 2, rows: 4, cols: 2, inputBits: 2, inputEncoding: 'unsigned' };
    {
      // 3-bit ADC, step 1: both G+ conversions clip at 7 → 7·1 + 7·2 = 21 (exact 30); 2 of 4 conversions saturate.
      using xbar = bs.mac.crossbar(w, [1, 4], { ...base, adcBits: 3 });
      assert.equal(Array.from(xbar.forwardCodes(x)), [21]);
      assert.equal(xbar.counters, { conversions: 4, saturations: 2, cellReads: 4 * 2 + 3 * 2, cycles: 2 });
      xbar.forwardCodes(x);
      assert.equal(xbar.counters, { conversions: 8, saturations: 4, cellReads: 28, cycles: 4 });
      xbar.resetCounters();
      assert.equal(xbar.counters, { conversions: 0, saturations: 0, cellReads: 0, cycles: 0 });
      assert.is(xbar.arrayCount(), 1);
    }
    {
      // Step 2: 12/2 = 6 → 12; 9/2 = 4.5 rounds half up to 5 → 10; y = 12 + 2·10 = 32, nothing clipped.
      using xbar = bs.mac.crossbar(w, [1, 4], { ...base, adcBits: 3, adcStep: 2 });
      assert.equal(Array.from(xbar.forwardCodes(x)), [32]);
      assert.is(xbar.counters.saturations, 0);
    }
  });

  test('clipped ADCs and stuck-at faults equal the cell-by-cell reference (every mapping)', ({ bs }) => {
    let i = 0;
    for (const mapping of MAPPINGS) {
      for (const [adcBits, adcStep] of [[4, 1], [6, 3], ['ideal', 1]] as const) {
        i++;
        const [out, n, batch] = [6, 45, 2];
        const options: CrossbarOptions = {
          mapping, weightBits: 6, cellBits: 1 + (i % 4), rows: 16, cols: 12, inputBits: 5, inputBitsPerCycle: 1 + (i % 3),
          adcBits, adcStep, faults: { stuckAt0: 0.05, stuckAt1: 0.08, seed: 7 + i },
        };
        const q = mapping === 'polarized' ? polarizedCodes(out * n, 6, SEED + 50 + i, [out, n], 8) : randomCodes(out * n, 6, SEED + 50 + i, 0.3);
        const x = randomInputs(batch * n, 5, true, SEED + 60 + i, 0.3);
        using xbar = bs.mac.crossbar(q, [out, n], options);
        const map = xbar.faultMap();
        const fault = (a: number, row: number, col: number) => map.cells[(a * map.rows + row) * map.cols + col];
        const y = xbar.forwardCodes(x, batch);
        const stats = { saturations: 0 };
        assert.equal(Array.from(y), Array.from(crossbarRef(refConfig(options), q, out, n, x, batch, fault, stats)), `${mapping} adc ${adcBits}/${adcStep}`);
        assert.is(xbar.counters.saturations, stats.saturations, `${mapping} adc ${adcBits}/${adcStep} saturations`);
        if (adcBits === 4) assert.ok(stats.saturations > 0, 'the 4-bit ADC clips');
        sameOnEveryVariant(`faulty ${mapping} ${adcBits}`, y);
      }
    }
  });

  test('fault maps: the documented seeded stream, extremes, rates, seeds, persistence per array', ({ bs }) => {
    const q = randomCodes(40 * 200, 8, SEED + 70);
    const options: CrossbarOptions = { rows: 64, cols: 32, faults: { stuckAt0: 0.03, stuckAt1: 0.1, seed: 99 } };
    using a = bs.mac.crossbar(q, [40, 200], options);
    const map = a.faultMap();
    assert.is(map.arrays, a.arrayCount());
    assert.is(map.arrays, 4 * Math.ceil((2 * 40 * 4) / 32));
    for (let k = 0; k < map.arrays; k++) {
      assert.equal(Array.from(map.cells.subarray(k * 64 * 32, (k + 1) * 64 * 32)), Array.from(faultMapRef(99, k, 64, 32, 0.03, 0.1)), `array ${k}`);
    }
    sameOnEveryVariant('fault map seed 99', map.cells);
    // Observed rates within 5σ of the binomial.
    const N = map.cells.length;
    for (const [kind, p] of [[1, 0.03], [2, 0.1]] as const) {
      const seen = map.cells.reduce((s, v) => s + (v === kind ? 1 : 0), 0) / N;
      assert.ok(Math.abs(seen - p) < 5 * Math.sqrt((p * (1 - p)) / N), `kind ${kind}: rate ${seen} vs ${p}`);
    }
    // Same seed → same map on a second build and after calls; another seed differs.
    using b = bs.mac.crossbar(q, [40, 200], options);
    b.forward(new Float32Array(200).fill(0.5));
    assert.equal(Array.from(b.faultMap().cells), Array.from(map.cells));
    using c = bs.mac.crossbar(q, [40, 200], { ...options, faults: { ...options.faults, seed: 100 } });
    assert.not.equal(Array.from(c.faultMap().cells), Array.from(map.cells));
    // Persistence per physical array: a smaller layer on the same array geometry shares array 0's map.
    using d = bs.mac.crossbar(randomCodes(3 * 10, 8, 1), [3, 10], options);
    assert.equal(Array.from(d.faultMap().cells), Array.from(map.cells.subarray(0, 64 * 32)));
    // Extremes: rate 1 everywhere, rate 0 nowhere.
    for (const [faults, all] of [[{ stuckAt1: 1 }, 2], [{ stuckAt0: 1 }, 1], [{ stuckAt0: 0, stuckAt1: 0 }, 0]] as const) {
      using e = bs.mac.crossbar(q, [40, 200], { ...options, faults });
      assert.ok(e.faultMap().cells.every((v) => v === all), JSON.stringify(faults));
    }
  });

  test('extreme fault rates on the outputs: all stuck-at-1 or all stuck-at-0 cancel in pairs; offset keeps its bias', ({ bs }) => {
    const [out, n] = [5, 30];
    const q = randomCodes(out * n, 8, SEED + 80);
    const x = randomInputs(n, 8, false, SEED + 81);
    const sum = Array.from(x).reduce((s, v) => s + v, 0);
    for (const stuck of ['stuckAt0', 'stuckAt1'] as const) {
      for (const mapping of ['two-column', 'differential'] as const) {
        using xbar = bs.mac.crossbar(q, [out, n], { mapping, inputEncoding: 'unsigned', faults: { [stuck]: 1 } });
        assert.ok(xbar.forwardCodes(x).every((v) => v === 0), `${mapping} ${stuck}`);
      }
      // Offset, 8-bit weights in four 2-bit slices: every cell at 3 reads (2^8 − 1)·Σx, at 0 reads 0; minus 128·Σx.
      using off = bs.mac.crossbar(q, [out, n], { mapping: 'offset', inputEncoding: 'unsigned', faults: { [stuck]: 1 } });
      const expected = (stuck === 'stuckAt1' ? 255 - 128 : -128) * sum;
      assert.ok(off.forwardCodes(x).every((v) => v === expected), `offset ${stuck}`);
    }
  });

  test('differential mapping: stuck-on faults on zero weights are harmless; two-column is not', ({ bs }) => {
    const [out, n, batch] = [20, 100, 2];
    const x = randomInputs(batch * n, 8, true, SEED + 90);
    const zero = new Int8Array(out * n);
    const faults = { stuckAt1: 0.2, seed: 3 };
    {
      using diff = bs.mac.crossbar(zero, [out, n], { mapping: 'differential', faults });
      using two = bs.mac.crossbar(zero, [out, n], { mapping: 'two-column', faults });
      assert.ok(diff.forwardCodes(x, batch).every((v) => v === 0), 'differential: an all-zero matrix stays exact');
      assert.ok(two.forwardCodes(x, batch).some((v) => v !== 0), 'two-column: stuck-on cells add weight');
    }
    // Exact statement for a pruned matrix: under 'differential' the output equals the fault-free output of the matrix
    // whose non-zero weights alone see the faults; the reference emulator with the faults kept only on cells of
    // non-zero weights gives exactly the same bits.
    const q = randomCodes(out * n, 8, SEED + 91, 0.8);
    using diff = bs.mac.crossbar(q, [out, n], { mapping: 'differential', faults });
    const map = diff.faultMap();
    const S = 4;
    const onNonZero = (a: number, row: number, col: number) => {
      const colTiles = Math.ceil((2 * out * S) / 128);
      const logical = (a % colTiles) * 128 + col;
      const o = Math.floor(logical / S) % out;
      const i = Math.floor(a / colTiles) * 128 + row;
      return i < n && q[o * n + i] !== 0 ? map.cells[(a * 128 + row) * 128 + col] : 0;
    };
    const want = crossbarRef(refConfig({ mapping: 'differential' }), q, out, n, x, batch, onNonZero);
    assert.equal(Array.from(diff.forwardCodes(x, batch)), Array.from(want));
  });

  test('polarized: constraint check, polarize(), zero-skipping counter identity', ({ bs }) => {
    const mixed = Int8Array.from([1, -1, 0, 0, 0, 0, 0, 0]);
    assert.is(codeOf(() => bs.mac.crossbar(mixed, [1, 8], { mapping: 'polarized' })), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.crossbar(mixed, [1, 8], { mapping: 'two-column' }).dispose()), 'no error');
    // polarize keeps the sign with the larger magnitude per fragment (tie → positive) and zeroes the others.
    assert.equal(Array.from(polarize(Float32Array.from([1, -3, 2, 0.5, -1, 1]), [1, 6], 2)), [0, -3, 2, 0.5, 0, 1]);
    assert.equal(Array.from(polarize(Float32Array.from([1, -3, 2, 0.5, -1, 1]), [2, 3], 2)), [0, -3, 2, 0, -1, 1]);
    // Counters: conversions = Σ over samples, cycles and fragments with a non-zero input slice of the logical columns.
    const [out, n, batch, F] = [7, 70, 3, 8];
    const q = polarizedCodes(out * n, 8, SEED + 100, [out, n], F);
    const x = randomInputs(batch * n, 8, false, SEED + 101, 0.7) as Uint8Array;
    using xbar = bs.mac.crossbar(q, [out, n], { mapping: 'polarized', inputEncoding: 'unsigned', rows: 32, cols: 16, adcBits: 8 });
    xbar.forwardCodes(x, batch);
    const columns = out * 4; // 7 magnitude bits in 2-bit cells
    let live = 0, all = 0, reads = 0;
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < 8; t++) {
        for (let f = 0; f < Math.ceil(n / F); f++) {
          let any = false;
          for (let i = f * F; i < Math.min(n, f * F + F); i++) {
            const bit = (x[b * n + i] >> t) & 1;
            any ||= bit === 1;
            reads += bit * columns;
          }
          all++;
          live += any ? 1 : 0;
        }
      }
    }
    const c = xbar.counters;
    assert.is(c.conversions, live * columns);
    assert.is(all * columns - c.conversions, (all - live) * columns, 'skipped = all-zero fragments × cycles × columns');
    assert.ok(live < all, 'the test input has zero fragments to skip');
    assert.is(c.cellReads, reads);
    assert.is(c.cycles, batch * 8);
    // Non-polarized mappings convert every column every cycle.
    using two = bs.mac.crossbar(q, [out, n], { inputEncoding: 'unsigned', rows: 32, cols: 16 });
    two.forwardCodes(x, batch);
    assert.is(two.counters.conversions, batch * 8 * Math.ceil(n / 32) * 2 * columns);
  });

  test('variation: seeded and persistent; multiplicative / additive statistics within bounds', ({ bs }) => {
    // One 3-code weight per neuron, 2-bit cells: G+ = 3(1 + σ z), G− = 0 → y = 3 + 3σz with one 1-bit unsigned input.
    const out = 4000;
    const q = new Int8Array(out).fill(3);
    const x = Uint8Array.from([1]);
    const base: CrossbarOptions = { weightBits: 3, cellBits: 2, rows: 4, inputBits: 1, inputEncoding: 'unsigned' };
    const sigma = 0.1;
    using m = bs.mac.crossbar(q, [out, 1], { ...base, variation: { multiplicative: sigma, seed: 5 } });
    const y = m.forwardCodes(x);
    sameOnEveryVariant('multiplicative variation', y);
    assert.equal(Array.from(m.forwardCodes(x)), Array.from(y), 'persistent across calls');
    using m2 = bs.mac.crossbar(q, [out, 1], { ...base, variation: { multiplicative: sigma, seed: 5 } });
    assert.equal(Array.from(m2.forwardCodes(x)), Array.from(y), 'same seed, same conductances');
    using m3 = bs.mac.crossbar(q, [out, 1], { ...base, variation: { multiplicative: sigma, seed: 6 } });
    assert.not.equal(Array.from(m3.forwardCodes(x)), Array.from(y));
    const mean = y.reduce((s, v) => s + v, 0) / out;
    const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / (out - 1);
    const sd = 3 * sigma;
    assert.ok(Math.abs(mean - 3) < 5 * sd / Math.sqrt(out), `mean ${mean}`);
    assert.ok(Math.abs(variance / (sd * sd) - 1) < 5 * Math.sqrt(2 / out), `variance ${variance} vs ${sd * sd}`);
    // Additive: G+ = 3 + 0.3σ'z1... with σa = 0.05: G+ = 3 + 3·0.05·z, G− = max(0, 3·0.05·z') → E[y] = 3 − 0.15·E[max(0, z)].
    using a = bs.mac.crossbar(q, [out, 1], { ...base, variation: { additive: 0.05, seed: 5 } });
    const ya = a.forwardCodes(x);
    const meanA = ya.reduce((s, v) => s + v, 0) / out;
    const want = 3 - 0.15 / Math.sqrt(2 * Math.PI);
    assert.ok(Math.abs(meanA - want) < 5 * 0.15 * Math.sqrt(2) / Math.sqrt(out), `additive mean ${meanA} vs ${want}`);
    // With an ADC the outputs are integers again.
    using adc = bs.mac.crossbar(q, [out, 1], { ...base, adcBits: 4, variation: { multiplicative: sigma, seed: 5 } });
    assert.ok(adc.forwardCodes(x).every((v) => Number.isInteger(v)));
  });

  test('forward() quantizes floats and dequantizes: equals the scaled integer GEMM of the documented codes', ({ bs }) => {
    const [out, n, batch] = [9, 50, 3];
    const next = rng(SEED + 110);
    const w = Float32Array.from({ length: out * n }, () => next() * 2 - 1);
    const x = Float32Array.from({ length: batch * n }, () => next() * 4 - 2);
    using xbar = bs.mac.crossbar(w, [out, n], { weightScaling: 'per-row', mapping: 'differential' });
    const y = xbar.forward(x, batch);
    const round = (v: number) => (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
    for (let b = 0; b < batch; b++) {
      const xs = Math.max(...Array.from(x.subarray(b * n, b * n + n), Math.abs)) / 127;
      for (let o = 0; o < out; o++) {
        const ws = Math.max(...Array.from(w.subarray(o * n, o * n + n), Math.abs)) / 127;
        let s = 0;
        for (let i = 0; i < n; i++) s += round(w[o * n + i] / ws) * round(x[b * n + i] / xs);
        assert.is(y[b * out + o], Math.fround(s * ws * xs), `sample ${b} neuron ${o}`);
      }
    }
  });

  test('bad parameters → BitsieveError; nothing leaks on error paths; disposed → E_DISPOSED', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const w = new Float32Array(12);
    const bad: [CrossbarOptions, string][] = [
      [{ cellBits: 0 }, 'E_RANGE'], [{ cellBits: 5 }, 'E_RANGE'], [{ adcBits: 9 }, 'E_RANGE'], [{ adcBits: 0 }, 'E_RANGE'],
      [{ faults: { stuckAt0: -0.1 } }, 'E_RANGE'], [{ faults: { stuckAt1: 1.5 } }, 'E_RANGE'], [{ faults: { stuckAt0: 0.6, stuckAt1: 0.6 } }, 'E_RANGE'],
      [{ weightBits: 1 }, 'E_RANGE'], [{ weightBits: 9 }, 'E_RANGE'], [{ inputBits: 9 }, 'E_RANGE'], [{ inputBitsPerCycle: 0 }, 'E_RANGE'],
      [{ rows: 0 }, 'E_RANGE'], [{ cols: 2000 }, 'E_RANGE'], [{ mapping: 'diagonal' as never }, 'E_RANGE'], [{ adcStep: 0 }, 'E_RANGE'],
      [{ mapping: 'polarized', rows: 100 }, 'E_RANGE'], [{ mapping: 'polarized', fragmentRows: 12, rows: 48 }, 'E_RANGE'],
      [{ variation: { multiplicative: -1 } }, 'E_RANGE'], [{ faults: { seed: -1 } }, 'E_RANGE'], [{ inputEncoding: 'unsigned', inputBits: 0 }, 'E_RANGE'],
    ];
    for (const [options, code] of bad) assert.is(codeOf(() => bs.mac.crossbar(w, [3, 4], options)), code, JSON.stringify(options));
    assert.is(codeOf(() => bs.mac.crossbar(w, [3, 5])), 'E_SHAPE');
    assert.is(codeOf(() => bs.mac.crossbar(w, [0, 4] as never)), 'E_SHAPE');
    assert.is(codeOf(() => bs.mac.crossbar(w, [12] as never)), 'E_SHAPE');
    assert.is(codeOf(() => bs.mac.crossbar(new Float64Array(12) as never, [3, 4])), 'E_DTYPE');
    assert.is(codeOf(() => bs.mac.crossbar(Int8Array.from({ length: 12 }, () => 127), [3, 4], { weightBits: 4 })), 'E_RANGE');
    using xbar = bs.mac.crossbar(w, [3, 4]);
    assert.is(codeOf(() => xbar.forwardCodes(new Uint8Array(4))), 'E_DTYPE');
    assert.is(codeOf(() => xbar.forwardCodes(new Int8Array(5))), 'E_SHAPE');
    assert.is(codeOf(() => xbar.forwardCodes(new Int8Array(8), 3)), 'E_SHAPE');
    assert.is(codeOf(() => xbar.forwardCodes(new Int8Array(4), 0)), 'E_RANGE');
    assert.is(codeOf(() => xbar.forward(new Float32Array([1, NaN, 0, 0]))), 'E_RANGE');
    using small = bs.mac.crossbar(w, [3, 4], { inputBits: 4 });
    assert.is(codeOf(() => small.forwardCodes(Int8Array.from([8, 0, 0, 0]))), 'E_RANGE');
    assert.is(codeOf(() => small.forwardCodes(Int8Array.from([-8, 7, 0, 0]))), 'no error');
    const gone = bs.mac.crossbar(w, [3, 4]);
    gone.dispose();
    assert.is(codeOf(() => gone.forward(new Float32Array(4))), 'E_DISPOSED');
    xbar.dispose();
    small.dispose();
    assert.is(bs.heap.inUseBytes, before);
  });
});
