// bs.sc.conv2d against the bit-level FEB reference (test/reference/sc-conv.ts, written from §3.2–3.5): every inner
// product × pooling × activation combination, both encodings, several shapes and strides, every build; the decoded
// sums; typed errors for bad shapes and options; nothing leaks.
import * as assert from 'uvu/assert';
import { StreamBatch, btanhStates } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { convFebRef } from './reference/sc-conv.js';
import type { Bits } from './reference/sc-arith.js';
import { packStreams, unpackStream } from './reference/sc-streams.js';

const SEED = 20261202;

function randomBits(count: number, length: number, seed: number, p = 0.5): Bits[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => (next() < p ? 1 : 0)));
}

function randomIndices(length: number, n: number, seed: number): number[] {
  const next = rng(seed);
  return Array.from({ length }, () => Math.floor(next() * n));
}

type Shape = { kernel: [number, number, number, number]; input: [number, number, number]; stride: number };
const SHAPES: Shape[] = [
  { kernel: [4, 2, 3, 3], input: [2, 5, 5], stride: 1 }, // 3×3 → pooled 1×1 (odd row/column dropped)
  { kernel: [3, 2, 3, 2], input: [2, 7, 6], stride: 1 }, // 5×5 → pooled 2×2, non-square kernel
  { kernel: [2, 3, 2, 2], input: [3, 7, 7], stride: 2 }, // stride 2: 3×3 → pooled 1×1
];

eachVariant('sc.conv2d', (test) => {
  test('every FEB (mux | apc | exact) × (none | average | max) × (activation | none) equals the bit-level reference', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    let i = 0;
    for (const innerProduct of ['apc', 'exact', 'mux'] as const) {
      for (const pooling of ['none', 'average', 'max'] as const) {
        for (const activate of [true, false]) {
          i++;
          const { kernel, input, stride } = SHAPES[i % SHAPES.length];
          const bipolar = i % 4 !== 1;
          const length = i % 2 ? 150 : 96;
          const batch = 2;
          const fan = kernel[1] * kernel[2] * kernel[3];
          const image = input[0] * input[1] * input[2];
          const x = randomBits(batch * image, length, SEED + i, 0.55);
          const w = randomBits(kernel[0] * fan, length, SEED + 50 + i, 0.45);
          const mux = innerProduct === 'mux';
          const select = mux ? randomIndices(length, fan, SEED + 100 + i) : undefined;
          const poolSelect = mux && pooling === 'average' ? randomIndices(length, 4, SEED + 150 + i) : undefined;
          const states = i % 3 === 0 ? 2 * fan + 4 : undefined;
          const after = i % 5 < 2;
          const strict = i % 7 === 3;
          const segment = i % 2 ? 16 : 10;
          const causal = i % 4 < 2;
          const initial = i % 4;
          const conv = bs.sc.conv2d(packStreams(w), kernel, {
            innerProduct, pooling, stride, select, poolSelect, states, segment, causal, initial,
            encoding: bipolar ? 'bipolar' : 'unipolar',
            activation: activate ? undefined : 'none',
            outputTiming: after ? 'afterUpdate' : 'beforeUpdate',
            threshold: strict ? 'gt' : 'ge',
          });
          const r = activate ? (states ?? (mux ? 2 * fan : btanhStates(fan))) : 0;
          assert.is(conv.states, r);
          const got = conv.run(packStreams(x), input);
          const label = `${innerProduct}/${pooling}/${activate ? 'fsm' : 'none'} ${bipolar ? 'bipolar' : 'unipolar'} stride ${stride}`;
          for (let b = 0; b < batch; b++) {
            const want = convFebRef(x.slice(b * image, (b + 1) * image), w, {
              kernel, input, stride, bipolar, innerProduct, pooling, activation: activate, states: r, after, strict,
              select, poolSelect, segment, causal, initial,
            });
            assert.equal(got.shape, want.shape, label);
            const outputs = want.sums.length;
            assert.ok(outputs > 0);
            for (let o = 0; o < outputs; o++) {
              assert.ok(Math.abs(got.sums[b * outputs + o] - want.sums[o]) < 1e-9, `${label}: sum ${o} ${got.sums[b * outputs + o]} vs ${want.sums[o]}`);
              if (want.streams) assert.equal(unpackStream(got.streams!, b * outputs + o), want.streams[o], `${label}: sample ${b} output ${o}`);
            }
            if (!want.streams) assert.is(got.streams, undefined);
          }
          conv.dispose();
        }
      }
    }
    assert.is(bs.heap.inUseBytes, before);
  });

  test('a 1×1 kernel with one input channel is the per-pixel product; conv equals sc.linear on one receptive field', ({ bs }) => {
    // 1 × 2 × 3 × 3 kernel on a 2 × 3 × 3 image has one output position: the same inner product as sc.linear.
    const length = 200;
    const x = randomBits(18, length, SEED + 7);
    const w = randomBits(2 * 18, length, SEED + 8);
    using conv = bs.sc.conv2d(packStreams(w), [2, 2, 3, 3]);
    using linear = bs.sc.linear(packStreams(w), 18);
    const a = conv.run(packStreams(x), [2, 3, 3]);
    const b = linear.run(packStreams(x));
    assert.equal(Array.from(a.streams!.words), Array.from(b.streams!.words));
    assert.equal(Array.from(a.sums), Array.from(b.sums));
  });

  test('bad shapes and options → typed errors before any kernel; nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const w = packStreams(randomBits(4 * 18, 64, SEED));
    const sel = new Array(64).fill(0);
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 2])), 'E_SHAPE'); // 72 streams ≠ 4·2·3·2
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3] as unknown as [number, number, number, number])), 'E_SHAPE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 0])), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d({} as StreamBatch, [4, 2, 3, 3])), 'E_DTYPE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { pooling: 'min' as 'max' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { stride: 0 })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { segment: 0, pooling: 'max' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { initial: 4, pooling: 'max' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { causal: 1 as unknown as boolean })), 'E_DTYPE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { innerProduct: 'mux' })), 'E_SHAPE'); // no select
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { innerProduct: 'mux', select: new Array(64).fill(18) })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { innerProduct: 'mux', select: sel, pooling: 'average' })), 'E_SHAPE'); // no poolSelect
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { innerProduct: 'mux', select: sel, pooling: 'average', poolSelect: new Array(64).fill(4) })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { innerProduct: 'mux', select: sel, activation: 'btanh' })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { activation: 'stanh' })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.sc.conv2d(w, [4, 2, 3, 3], { states: 9 })), 'E_RANGE');
    const conv = bs.sc.conv2d(w, [4, 2, 3, 3], { pooling: 'max' });
    const x = new StreamBatch(2 * 25, 64);
    assert.is(codeOf(() => conv.run(x, [3, 5, 5])), 'E_SHAPE'); // channels
    assert.is(codeOf(() => conv.run(x, [2, 2, 5])), 'E_SHAPE'); // smaller than the kernel
    assert.is(codeOf(() => conv.run(x, [2, 4, 4])), 'E_SHAPE'); // 50 streams are not batch × 32
    assert.is(codeOf(() => conv.run(new StreamBatch(50, 65), [2, 5, 5])), 'E_SHAPE'); // length
    assert.is(codeOf(() => conv.run(x, [2, 5] as unknown as [number, number, number])), 'E_SHAPE');
    assert.equal(conv.outputShape([2, 5, 5]), [4, 1, 1]);
    assert.equal(conv.run(new StreamBatch(2 * 2 * 4 * 4, 64), [2, 4, 4]).shape, [4, 1, 1]);
    // A pooled output with no whole 2×2 window: empty results, no kernel call.
    assert.is(conv.run(new StreamBatch(2 * 3 * 5, 64), [2, 3, 5]).sums.length, 0);
    conv.dispose();
    assert.is(codeOf(() => conv.run(x, [2, 5, 5])), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before);
  });
});
