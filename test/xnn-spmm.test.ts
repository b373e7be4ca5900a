// XnnSpmm (XNNPACK's packed sparse 1×1-convolution weights): hand-packed worked examples, packing /
// import / bytes round trips, malformed imports, and the NCHW SpMM kernels on every build against a
// float64 1×1-convolution reference.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, Dense, XnnSpmm, type Bitsieve, type XnnSpmmPacking } from '../src/index.js';
import { linearTolerance, randomFloats } from './reference/linear.js';
import { eachVariant, initVariant, runnableVariants } from './helpers/variants.js';
import { codeOf } from './helpers/errors.js';

// ---------------------------------------------------------------------------------------------------
// Worked examples, packed by hand from XNNPACK's rules (not by fromDense).

/** NR = 1. W [3, 4], bias [0.1, 0.2, 0.3]; row 1 is empty. */
const W1 = new Float32Array([
  0, 1.5, 0, -2,
  0, 0, 0, 0,
  3, 0, 0.5, 0,
]);
const BIAS1 = new Float32Array([0.1, 0.2, 0.3]);
// Nonzeros in pack order sit at input channels 1, 3 (row 0), 0, 2 (row 2): first channel 1, byte
// diffs (3−1)·4, (0−3)·4, (2−0)·4 and the wrap back (1−2)·4.
const HAND1 = (): XnnSpmmPacking => ({
  outChannels: 3,
  inChannels: 4,
  blockSize: 1,
  firstInputChannel: 1,
  inputChannelDiffs: new Int32Array([8, -12, 8, -4]),
  outputChannelNonzeros: new Uint32Array([2, 0, 2]),
  nonzeroValues: new Float32Array([0.1, 1.5, -2, 0.2, 0.3, 3, 0.5]),
});

/** NR = 4 with one tail channel. W [5, 3], bias 1..5. */
const W4 = new Float32Array([
  1, 0, 0,
  0, 0, 2,
  0, 0, 0,
  0, 0, 3,
  0, 4, 0,
]);
const BIAS4 = new Float32Array([1, 2, 3, 4, 5]);
// Block 0 (rows 0–3): biases 1..4, then the nonzero blocks at channel 0 [1, 0, 0, 0] and channel 2
// [0, 2, 0, 3] (channel 1 is zero in all four rows, so skipped). Row 4 follows as an NR = 1 block:
// bias 5, channel 1 → 4. Channels in pack order 0, 2, 1: diffs 8, −4, wrap −4.
const HAND4 = (): XnnSpmmPacking => ({
  outChannels: 5,
  inChannels: 3,
  blockSize: 4,
  firstInputChannel: 0,
  inputChannelDiffs: new Int32Array([8, -4, -4]),
  outputChannelNonzeros: new Uint32Array([2, 1]),
  nonzeroValues: new Float32Array([1, 2, 3, 4, 1, 0, 0, 0, 0, 2, 0, 3, 5, 4]),
});

/** Dense [out, in] weights with about `sparsity` zeros; `rows`-row groups are pruned together. */
function pruned(out: number, inC: number, sparsity: number, seed: number, rows = 1): Float32Array {
  const w = randomFloats(out * inC, seed);
  const keep = randomFloats(out * inC, seed + 7);
  for (let oc = 0; oc < out; oc += rows) {
    for (let ic = 0; ic < inC; ic++) {
      if ((keep[oc * inC + ic] + 1) / 2 < sparsity) for (let r = 0; r < rows && oc + r < out; r++) w[(oc + r) * inC + ic] = 0;
    }
  }
  return w;
}

function samePacking(a: XnnSpmmPacking, b: XnnSpmmPacking): void {
  assert.equal([a.outChannels, a.inChannels, a.blockSize, a.firstInputChannel], [b.outChannels, b.inChannels, b.blockSize, b.firstInputChannel]);
  assert.equal(Array.from(a.inputChannelDiffs), Array.from(b.inputChannelDiffs));
  assert.equal(Array.from(a.outputChannelNonzeros), Array.from(b.outputChannelNonzeros));
  assert.equal(Array.from(a.nonzeroValues), Array.from(b.nonzeroValues));
}

const format = suite('XnnSpmm format');

format('hand-packed worked examples import to the right weights and biases', () => {
  for (const [hand, w, bias] of [[HAND1, W1, BIAS1], [HAND4, W4, BIAS4]] as const) {
    const m = XnnSpmm.fromXnnpack(hand());
    assert.equal(m.toDense(), w);
    assert.equal(m.bias, bias);
    assert.is(m.kind, 'xnn-spmm');
    assert.equal(m.shape, [hand().outChannels, hand().inChannels]);
  }
});

format('fromDense packs exactly like the hand packing, and toXnnpack gives it back', () => {
  samePacking(XnnSpmm.fromDense(W1, [3, 4], { blockSize: 1, bias: BIAS1 }).toXnnpack(), HAND1());
  samePacking(XnnSpmm.fromDense(W4, [5, 3], { blockSize: 4, bias: BIAS4 }).toXnnpack(), HAND4());
  samePacking(XnnSpmm.fromXnnpack(HAND4()).toXnnpack(), HAND4());
});

format("blockSize 'auto' follows XNNPACK's 90 %-full rule", () => {
  assert.is(XnnSpmm.fromDense(W4, [5, 3]).blockSize, 1); // 3 nonzeros in 2 four-blocks, 3 in 3 pairs
  const blocks4 = pruned(12, 10, 0.5, 3, 4); // whole 4-row groups kept or dropped
  assert.is(XnnSpmm.fromDense(blocks4, [12, 10]).blockSize, 4);
  const pairs = pruned(12, 10, 0.5, 4, 2);
  assert.is(XnnSpmm.fromDense(pairs, [12, 10]).blockSize, 2);
  assert.is(XnnSpmm.fromDense(pruned(12, 10, 0.5, 5), [12, 10]).blockSize, 1);
  // 18 of 20 entries in five 4-blocks: 18·5 ≥ 5·18 → 4; one fewer → not 4.
  const w = new Float32Array(4 * 5).fill(1);
  w[0] = 0;
  w[6] = 0;
  assert.is(XnnSpmm.fromDense(w, [4, 5]).blockSize, 4);
  w[12] = 0; // 17 of 20: neither 17·5 ≥ 5·18 nor, in pairs, 17·5 ≥ 10·9
  assert.is(XnnSpmm.fromDense(w, [4, 5]).blockSize, 1);
  const p = new Float32Array(4 * 5).fill(1);
  p.set([0, 0], 10); // rows 2–3 lose channels 0–1: 16 in five 4-blocks (no), 16 in 8 full pairs (yes)
  p.set([0, 0], 15);
  assert.is(XnnSpmm.fromDense(p, [4, 5]).blockSize, 2);
  assert.is(XnnSpmm.fromDense(new Float32Array(6), [2, 3]).blockSize, 4, 'all zeros: XNNPACK picks 4 (0 ≥ 0)');
});

format('round trips: dense, XNNPACK arrays, bytes, for every NR and tails', () => {
  for (const nr of [1, 2, 4] as const) {
    for (const [out, inC] of [[7, 13], [8, 8], [1, 1], [3, 0], [0, 5], [9, 1]] as const) {
      for (const sparsity of [0, 0.5, 0.9, 1]) {
        const w = pruned(out, inC, sparsity, out * 31 + inC, nr);
        const bias = randomFloats(out, out + 3);
        const m = XnnSpmm.fromDense(w, [out, inC], { blockSize: nr, bias });
        assert.is(m.blockSize, nr);
        assert.equal(m.toDense(), w);
        assert.equal(m.bias, bias);
        samePacking(XnnSpmm.fromXnnpack(m.toXnnpack()).toXnnpack(), m.toXnnpack());
        const back = XnnSpmm.fromBytes(m.toBytes());
        samePacking(back.toXnnpack(), m.toXnnpack());
        assert.equal(back.toDense(), w);
      }
    }
  }
});

format('bits per weight counts stored weights, channel steps and block counts', () => {
  const m = XnnSpmm.fromXnnpack(HAND4());
  // 8 + 1 stored weights, 3 steps, 2 counts, 32 bits each, over 15 weights.
  assert.is(m.storedWeights, 9);
  assert.is(m.bitsPerWeight, (32 * (9 + 3 + 2)) / 15);
  assert.is(XnnSpmm.fromDense(new Float32Array(0), [0, 4]).bitsPerWeight, 0);
});

format('malformed imports → E_FORMAT / E_DTYPE / E_RANGE before anything runs', () => {
  const bad = (f: (p: XnnSpmmPacking) => void, base = HAND1) => () => {
    const p = base();
    f(p);
    return XnnSpmm.fromXnnpack(p);
  };
  assert.is(codeOf(bad(() => {})), 'no error');
  assert.is(codeOf(bad(() => {}, HAND4)), 'no error');
  assert.is(codeOf(bad((p) => (p.inputChannelDiffs[0] = 6))), 'E_FORMAT'); // not a whole channel
  assert.is(codeOf(bad((p) => (p.inputChannelDiffs[0] = 12))), 'E_FORMAT'); // channel 4 ≥ in
  assert.is(codeOf(bad((p) => (p.inputChannelDiffs[1] = -20))), 'E_FORMAT'); // channel 3 − 5 = −2
  assert.is(codeOf(bad((p) => (p.inputChannelDiffs[3] = 0))), 'E_FORMAT'); // wrap does not return to the first channel
  assert.is(codeOf(bad((p) => ((p.inputChannelDiffs = new Int32Array([-4, 12, -4, -4])), (p.firstInputChannel = 1)))), 'E_FORMAT'); // row 0 descending: 1 then 0
  assert.is(codeOf(bad((p) => ((p.inputChannelDiffs = new Int32Array([0, -4, 8, -4])), (p.firstInputChannel = 1)))), 'E_FORMAT'); // duplicate channel in row 0
  assert.is(codeOf(bad((p) => (p.firstInputChannel = 4))), 'E_FORMAT');
  assert.is(codeOf(bad((p) => (p.outputChannelNonzeros[1] = 1))), 'E_FORMAT'); // counts sum ≠ diffs
  assert.is(codeOf(bad((p) => (p.outputChannelNonzeros = new Uint32Array([2, 2])))), 'E_FORMAT'); // wrong number of blocks
  assert.is(codeOf(bad((p) => (p.outputChannelNonzeros = new Uint32Array([4, 0, 0])))), 'E_FORMAT'); // row 0 would hold channels 1, 3, 0, 2
  assert.is(codeOf(bad((p) => (p.outputChannelNonzeros[0] = 0xffffffff))), 'E_FORMAT'); // absurd count
  assert.is(codeOf(bad((p) => (p.nonzeroValues = p.nonzeroValues.subarray(1)))), 'E_FORMAT'); // value length ≠ N + Σ NR·count
  assert.is(codeOf(bad((p) => (p.nonzeroValues = new Float32Array(16)), HAND4)), 'E_FORMAT');
  assert.is(codeOf(bad((p) => (p.blockSize = 2))), 'E_FORMAT'); // NR = 2 means 2 blocks for 3 channels
  assert.is(codeOf(bad((p) => (p.blockSize = 4))), 'no error'); // 3 < NR: all three are NR = 1 tail blocks
  assert.is(codeOf(bad((p) => (p.blockSize = 3 as never))), 'E_RANGE');
  assert.is(codeOf(bad((p) => (p.nonzeroValues[2] = NaN))), 'E_RANGE');
  assert.is(codeOf(bad((p) => (p.nonzeroValues[0] = Infinity))), 'E_RANGE'); // a bias
  assert.is(codeOf(bad((p) => (p.inputChannelDiffs = new Uint32Array(4) as never))), 'E_DTYPE');
  assert.is(codeOf(bad((p) => (p.nonzeroValues = Array.from(p.nonzeroValues) as never))), 'E_DTYPE');
  assert.is(codeOf(bad((p) => (p.outChannels = -1))), 'E_RANGE');
  assert.is(codeOf(bad((p) => (p.inChannels = 2.5))), 'E_DTYPE');
  assert.is(codeOf(bad((p) => (p.outChannels = 2 ** 20), HAND1)), 'E_FORMAT');
  assert.is(codeOf(() => XnnSpmm.fromXnnpack(null as never)), 'E_DTYPE');
  // empty matrix: no nonzeros means first channel 0
  const empty = (): XnnSpmmPacking => ({ outChannels: 2, inChannels: 3, blockSize: 1, firstInputChannel: 0, inputChannelDiffs: new Int32Array(0), outputChannelNonzeros: new Uint32Array(2), nonzeroValues: new Float32Array(2) });
  assert.is(codeOf(bad(() => {}, empty)), 'no error');
  assert.is(codeOf(bad((p) => (p.firstInputChannel = 1), empty)), 'E_FORMAT');
  // fromDense argument checks
  assert.is(codeOf(() => XnnSpmm.fromDense(W1, [3, 5])), 'E_SHAPE');
  assert.is(codeOf(() => XnnSpmm.fromDense(W1, [3, 4], { bias: [1, 2] })), 'E_SHAPE');
  assert.is(codeOf(() => XnnSpmm.fromDense(W1, [3, 4], { blockSize: 8 as never })), 'E_RANGE');
  assert.is(codeOf(() => XnnSpmm.fromDense(W1.map((v) => (v === 3 ? NaN : v)), [3, 4])), 'E_RANGE');
});

format('corrupt bytes → E_CORRUPT', () => {
  const good = XnnSpmm.fromXnnpack(HAND4()).toBytes();
  const edit = (offset: number, value: number) => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(offset, value, true);
    return () => XnnSpmm.fromBytes(b);
  };
  assert.is(codeOf(() => XnnSpmm.fromBytes(good)), 'no error');
  assert.is(codeOf(() => XnnSpmm.fromBytes(good.subarray(0, good.length - 4))), 'E_CORRUPT');
  assert.is(codeOf(edit(16, 3)), 'E_CORRUPT'); // block size 3
  assert.is(codeOf(edit(16, 1)), 'E_CORRUPT'); // block size 1: counts no longer fit
  assert.is(codeOf(edit(24, 0xffffffff)), 'E_CORRUPT'); // absurd nonzero-block count
  assert.is(codeOf(edit(8, 0x7fffffff)), 'E_CORRUPT'); // absurd shape
  assert.is(codeOf(edit(32, 9 * 4)), 'E_CORRUPT'); // first diff jumps out of range
  assert.is(codeOf(edit(20, 2)), 'E_CORRUPT'); // first input channel 2 breaks the wrap
  assert.is(codeOf(() => XnnSpmm.fromBytes(new Uint8Array(3))), 'E_CORRUPT');
  assert.is(codeOf(() => XnnSpmm.fromBytes([1, 2] as never)), 'E_DTYPE');
});

format.run();

// ---------------------------------------------------------------------------------------------------
// Kernels vs a float64 1×1-convolution reference.

interface ConvCase {
  w: Float32Array; // [out, in]
  bias: Float32Array; // [out]
  x: Float32Array; // [batch, in, hw]
  out: number;
  inC: number;
  hw: number;
  batch: number;
  relu: boolean;
}

/** y[b, o, p] = act(bias[o] + Σ_i w[o, i]·x[b, i, p]) in float64, with Σ|terms| for the tolerance. */
function conv1x1Reference(c: ConvCase): { y: Float64Array; mag: Float64Array } {
  const y = new Float64Array(c.batch * c.out * c.hw);
  const mag = new Float64Array(y.length);
  for (let b = 0; b < c.batch; b++) {
    for (let o = 0; o < c.out; o++) {
      for (let p = 0; p < c.hw; p++) {
        let s = c.bias[o];
        let m = Math.abs(c.bias[o]);
        for (let i = 0; i < c.inC; i++) {
          const t = c.w[o * c.inC + i] * c.x[(b * c.inC + i) * c.hw + p];
          s += t;
          m += Math.abs(t);
        }
        const at = (b * c.out + o) * c.hw + p;
        y[at] = c.relu ? Math.max(s, 0) : s;
        mag[at] = m;
      }
    }
  }
  return { y, mag };
}

function compareConv(c: ConvCase, y: Float32Array): string | undefined {
  const ref = conv1x1Reference(c);
  if (y.length !== ref.y.length) return `length ${y.length}, expected ${ref.y.length}`;
  for (let i = 0; i < y.length; i++) {
    const tol = linearTolerance(c.inC, ref.mag[i]);
    if (!(Math.abs(y[i] - ref.y[i]) <= tol)) return `y[${i}] = ${y[i]}, reference ${ref.y[i]}, tolerance ${tol} (out ${c.out}, in ${c.inC}, hw ${c.hw}, batch ${c.batch})`;
  }
  return undefined;
}

const SPARSITIES = [0, 0.5, 0.8, 0.9, 0.99, 1];
const SHAPES: [out: number, inC: number][] = [[7, 13], [9, 5], [4, 1], [1, 9], [13, 33]];
const PIXELS = [1, 3, 4, 31, 33, 59, 196]; // tails of every tile width (28 / 16 / 8 / 4 / 1)

eachVariant('XNNPACK sparse 1×1 conv vs float64 reference', (test) => {
  for (const sparsity of SPARSITIES) {
    test(`sparsity ${sparsity * 100}%: NR 1, 2, 4, tails, HW 1 … 196, relu / bias`, ({ bs }) => {
      for (const nr of [1, 2, 4] as const) {
        for (const [out, inC] of SHAPES) {
          // NR-row groups pruned together half the time, so blocked packings see dense blocks too.
          const w = pruned(out, inC, sparsity, out * 17 + inC + nr, (out + inC) % 2 === 0 ? nr : 1);
          const bias = randomFloats(out, out + inC);
          const relu = (out + nr) % 2 === 0;
          const layer = bs.conv1x1(XnnSpmm.fromDense(w, [out, inC], { blockSize: nr, bias }), { activation: relu ? 'relu' : 'none' });
          for (const hw of PIXELS) {
            const x = randomFloats(inC * hw, hw + nr);
            const problem = compareConv({ w, bias, x, out, inC, hw, batch: 1, relu }, layer.forward(x, hw));
            assert.is(problem, undefined, `sparsity ${sparsity}, NR ${nr}: ${problem}`);
          }
          layer.dispose();
        }
      }
    });
  }

  test('hand-packed imports run: batch of 2 images, HW 5', ({ bs }) => {
    for (const [hand, w, bias] of [[HAND1, W1, BIAS1], [HAND4, W4, BIAS4]] as const) {
      const p = hand();
      const layer = bs.conv1x1(XnnSpmm.fromXnnpack(p));
      const x = randomFloats(2 * p.inChannels * 5, 9);
      const c = { w, bias, x, out: p.outChannels, inC: p.inChannels, hw: 5, batch: 2, relu: false };
      assert.is(compareConv(c, layer.forward(x, 5)), undefined);
      assert.is(compareConv(c, layer.forward(x, 5, 2)), undefined);
      layer.dispose();
    }
  });

  test('run() on resident tensors, changing HW between calls; Dense weights accepted', ({ bs }) => {
    const [out, inC] = [10, 12];
    const w = pruned(out, inC, 0.8, 21);
    const bias = randomFloats(out, 4);
    for (const layer of [bs.conv1x1(Dense.from(w, [out, inC]), { bias }), bs.conv1x1(XnnSpmm.fromDense(w, [out, inC], { bias }))]) {
      for (const [hw, batch] of [[33, 1], [6, 3], [33, 2]]) {
        const x = randomFloats(batch * inC * hw, hw);
        const xs = bs.tensor(x);
        const ys = bs.tensor(batch * out * hw);
        layer.run(xs, ys, hw);
        assert.is(compareConv({ w, bias, x, out, inC, hw, batch, relu: false }, ys.read()), undefined);
        xs.dispose();
        ys.dispose();
      }
      layer.dispose();
    }
  });

  test('MobileNetV2 shape 196×384×64 at 80 %, NR 1 and 4', ({ bs }) => {
    const [hw, out, inC] = [196, 384, 64];
    for (const nr of [1, 4] as const) {
      const w = pruned(out, inC, 0.8, 77, nr);
      const bias = randomFloats(out, 5);
      const layer = bs.conv1x1(XnnSpmm.fromDense(w, [out, inC], { blockSize: nr, bias }), { activation: 'relu' });
      const x = randomFloats(inC * hw, 6);
      assert.is(compareConv({ w, bias, x, out, inC, hw, batch: 1, relu: true }, layer.forward(x, hw)), undefined);
      layer.dispose();
    }
  });

  test('holds only its packed bytes (≤ bitsPerWeight promise + bias) and frees them', ({ bs }) => {
    const start = bs.heap.inUseBytes;
    for (const nr of [1, 4] as const) {
      const m = XnnSpmm.fromDense(pruned(64, 48, 0.8, 5, nr), [64, 48], { blockSize: nr });
      const layer = bs.conv1x1(m);
      assert.ok(layer.residentBytes <= (1.1 * m.bitsPerWeight * 64 * 48) / 8 + 4 * 64);
      assert.ok(bs.heap.inUseBytes - start <= layer.residentBytes + 3 * 16, 'only alignment padding on top');
      layer.forward(randomFloats(48 * 20, 1), 20);
      layer.dispose();
      assert.is(bs.heap.inUseBytes, start);
    }
  });

  test('bad calls → codes, nothing leaks', ({ bs }) => {
    const start = bs.heap.inUseBytes;
    const layer = bs.conv1x1(XnnSpmm.fromXnnpack(HAND1()));
    assert.is(codeOf(() => layer.forward(new Float32Array(4 * 3 + 1), 3)), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward(new Float32Array(8), 2, 2)), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward(new Float32Array(8), 2.5)), 'E_DTYPE');
    assert.is(codeOf(() => layer.forward([1, 2, 3, 4] as never, 1)), 'E_DTYPE');
    assert.is(codeOf(() => layer.forward(new Float32Array(4), 1, undefined, new Float32Array(2))), 'E_SHAPE');
    // channel step 3·4 bytes × HW 2^28 overflows int32: refused before any kernel call
    assert.is(codeOf(() => layer.forward(new Float32Array(0), 2 ** 28, 0)), 'E_RANGE');
    const t = bs.tensor(8);
    assert.is(codeOf(() => layer.run(t, t, 3)), 'E_SHAPE');
    assert.is(codeOf(() => layer.run(new Float32Array(8) as never, t, 2)), 'E_DTYPE');
    t.dispose();
    assert.is(codeOf(() => bs.conv1x1(XnnSpmm.fromXnnpack(HAND1()), { activation: 'gelu' as never })), 'E_RANGE');
    assert.is(codeOf(() => bs.conv1x1(XnnSpmm.fromXnnpack(HAND1()), { bias: [1, 2, 3] })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.conv1x1({ kind: 'csr' } as never)), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.conv1x1(null as never)), 'E_DTYPE');
    layer.dispose();
    assert.is(codeOf(() => layer.forward(new Float32Array(4), 1)), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, start);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties (fixed seed): packings round-trip, every build matches the reference, and a corrupted
// packing is either refused with a BitsieveError or, if still consistent, computes its own toDense().

const SEED = 20261122;
const props = suite<{ instances: Bitsieve[] }>('XnnSpmm properties', { instances: [] });

props.before(async (ctx) => {
  ctx.instances = await Promise.all(runnableVariants().map(initVariant));
});

const convCase = fc
  .record({ out: fc.integer({ min: 0, max: 11 }), inC: fc.integer({ min: 0, max: 19 }), hw: fc.integer({ min: 0, max: 40 }), nr: fc.constantFrom(1 as const, 2 as const, 4 as const), density: fc.double({ min: 0, max: 1, noNaN: true }) })
  .chain(({ out, inC, hw, nr, density }) =>
    fc.record({
      out: fc.constant(out),
      inC: fc.constant(inC),
      hw: fc.constant(hw),
      nr: fc.constant(nr),
      w: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true })), { minLength: out * inC, maxLength: out * inC })
        .map((cells) => Float32Array.from(cells, ([u, v]) => (u < density ? v : 0))),
      bias: fc.float32Array({ minLength: out, maxLength: out, min: -4, max: 4, noNaN: true, noDefaultInfinity: true }),
      x: fc.float32Array({ minLength: inC * hw, maxLength: inC * hw, min: -4, max: 4, noNaN: true, noDefaultInfinity: true }),
      relu: fc.boolean(),
    }),
  );

props('fromDense → toXnnpack → fromXnnpack → toDense is the identity; every build matches the reference', ({ instances }) => {
  fc.assert(
    fc.property(convCase, (c) => {
      const m = XnnSpmm.fromDense(c.w, [c.out, c.inC], { blockSize: c.nr, bias: c.bias });
      const back = XnnSpmm.fromXnnpack(m.toXnnpack());
      assert.equal(back.toDense(), c.w.map((v) => v + 0)); // -0 packs as a zero, like XNNPACK
      for (const bs of instances) {
        const layer = bs.conv1x1(back, { activation: c.relu ? 'relu' : 'none' });
        const problem = compareConv({ ...c, batch: 1 }, layer.forward(c.x, c.hw, 1));
        layer.dispose();
        if (problem) throw new Error(`${bs.variant}: ${problem}`);
      }
    }),
    { seed: SEED, numRuns: 120 },
  );
});

props('a corrupted packing is refused, or runs exactly its own toDense()', ({ instances }) => {
  const field = fc.constantFrom('diff', 'count', 'first', 'nr', 'truncate');
  fc.assert(
    fc.property(convCase, field, fc.integer({ min: -40, max: 40 }), fc.nat(), (c, which, delta, at) => {
      const p = XnnSpmm.fromDense(c.w, [c.out, c.inC], { blockSize: c.nr, bias: c.bias }).toXnnpack();
      const pick = (n: number) => at % Math.max(n, 1);
      if (which === 'diff' && p.inputChannelDiffs.length) p.inputChannelDiffs[pick(p.inputChannelDiffs.length)] += delta;
      if (which === 'count' && p.outputChannelNonzeros.length) p.outputChannelNonzeros[pick(p.outputChannelNonzeros.length)] += delta;
      if (which === 'first') p.firstInputChannel += delta;
      if (which === 'nr') p.blockSize = ([1, 2, 4] as const)[pick(3)];
      if (which === 'truncate') p.nonzeroValues = p.nonzeroValues.subarray(0, pick(p.nonzeroValues.length + 1));
      let m: XnnSpmm;
      try {
        m = XnnSpmm.fromXnnpack(p);
      } catch (err) {
        if (err instanceof BitsieveError) return;
        throw err;
      }
      const w = m.toDense();
      for (const bs of instances) {
        const layer = bs.conv1x1(m, { activation: c.relu ? 'relu' : 'none' });
        const problem = compareConv({ ...c, w, bias: m.bias, batch: 1 }, layer.forward(c.x, c.hw, 1));
        layer.dispose();
        if (problem) throw new Error(`${bs.variant}: ${problem}`);
      }
    }),
    { seed: SEED, numRuns: 200 },
  );
});

props.run();
