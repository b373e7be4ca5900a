// bs.sc.integralLinear (§5 integral SC) against the per-cycle integer reference (test/reference/sc-conv.ts):
// planes → per-cycle weight values, bipolar ±1 products or unipolar gating, exact integer sums, NStanh with m·N
// states; the identity with sc.linear's exact PC → Btanh at m = 1; sums beyond the binary range; errors.
import * as assert from 'uvu/assert';
import { StreamBatch } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { integralNeuronRef } from './reference/sc-conv.js';
import type { Bits } from './reference/sc-arith.js';
import { packStreams, unpackStream } from './reference/sc-streams.js';

const SEED = 20261203;

function randomBits(count: number, length: number, seed: number, p = 0.5): Bits[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => (next() < p ? 1 : 0)));
}

eachVariant('sc.integralLinear', (test) => {
  test('NStanh outputs and sums equal the per-cycle integer reference (bipolar and unipolar inputs, m = 1…3)', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    let i = 0;
    for (const [n, out, m, length, batch] of [[5, 3, 2, 150, 2], [9, 2, 3, 64, 1], [4, 4, 1, 200, 2]] as const) {
      for (const encoding of ['bipolar', 'unipolar'] as const) {
        i++;
        const x = randomBits(batch * n, length, SEED + i, 0.6);
        const w = randomBits(out * n * m, length, SEED + 20 + i, 0.4);
        const N = i % 2 ? undefined : 2 * n + 2;
        const after = i % 3 === 0;
        const strict = i % 4 === 1;
        using layer = bs.sc.integralLinear(packStreams(w), n, { range: m, encoding, states: N, outputTiming: after ? 'afterUpdate' : 'beforeUpdate', threshold: strict ? 'gt' : 'ge' });
        const K = m * (N ?? 2 * n);
        assert.is(layer.states, K);
        const { streams, sums } = layer.run(packStreams(x));
        for (let b = 0; b < batch; b++) {
          for (let j = 0; j < out; j++) {
            const planes = Array.from({ length: n }, (_, k) => w.slice((j * n + k) * m, (j * n + k + 1) * m));
            const want = integralNeuronRef(x.slice(b * n, (b + 1) * n), planes, encoding === 'bipolar', { states: K, after, strict });
            assert.equal(unpackStream(streams!, b * out + j), want.stream, `n ${n} m ${m} ${encoding} sample ${b} neuron ${j}`);
            assert.ok(Math.abs(sums[b * out + j] - want.sum) < 1e-9, `sum ${sums[b * out + j]} vs ${want.sum}`);
          }
        }
      }
    }
    assert.is(bs.heap.inUseBytes, before);
  });

  test('m = 1, bipolar, N = 2n is exactly sc.linear with the exact PC → Btanh (r = 2n) at the same timing', ({ bs }) => {
    const [n, length] = [12, 300];
    const x = packStreams(randomBits(2 * n, length, SEED + 40));
    const w = packStreams(randomBits(3 * n, length, SEED + 41));
    using integral = bs.sc.integralLinear(w, n, { range: 1, outputTiming: 'afterUpdate' });
    using linear = bs.sc.linear(w, n, { innerProduct: 'exact', states: 2 * n, outputTiming: 'afterUpdate' });
    const a = integral.run(x);
    const b = linear.run(x);
    assert.equal(Array.from(a.streams!.words), Array.from(b.streams!.words));
    assert.equal(Array.from(a.sums), Array.from(b.sums));
  });

  test('integral weights reach beyond ±1: the sum is the exact mean of the per-cycle integer sums', ({ bs }) => {
    // Exact identity, no statistics: the layer's sum is the mean of z_t, and z_t sums the per-cycle plane values,
    // so it equals Σ_i mean_t((2x−1)·s_t) computed here from the streams' bits.
    const [n, m, length] = [3, 2, 256];
    const x = randomBits(n, length, SEED + 50, 0.7);
    const planes = randomBits(n * m, length, SEED + 51, 0.8); // weights ≈ +1.2 each
    using layer = bs.sc.integralLinear(packStreams(planes), n, { range: m, activation: 'none' });
    const { sums, streams } = layer.run(packStreams(x));
    assert.is(streams, undefined);
    let want = 0;
    for (let i = 0; i < n; i++) for (let t = 0; t < length; t++) want += (2 * x[i][t] - 1) * ((2 * planes[2 * i][t] - 1) + (2 * planes[2 * i + 1][t] - 1));
    assert.ok(Math.abs(sums[0] - want / length) < 1e-9);
    assert.ok(sums[0] > 1, 'a sum beyond the binary range of one product');
  });

  test('bad arguments → typed errors; nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const w = packStreams(randomBits(12, 64, SEED));
    assert.is(codeOf(() => bs.sc.integralLinear(w, 4, { range: 0 })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.integralLinear(w, 5, { range: 2 })), 'E_SHAPE'); // 12 planes ≠ out × 5 × 2
    assert.is(codeOf(() => bs.sc.integralLinear(w, 3, { range: 2, encoding: 'integral' as 'bipolar' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.integralLinear(w, 3, { range: 1, states: 3 })), 'E_RANGE'); // m·N odd
    assert.is(codeOf(() => bs.sc.integralLinear(w, 3, { range: 2, activation: 'btanh' as 'nstanh' })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.integralLinear(w, 3, undefined as unknown as { range: number })), 'E_RANGE');
    assert.is(codeOf(() => bs.sc.integralLinear(w, 40000, { range: 1 })), 'E_RANGE');
    const layer = bs.sc.integralLinear(w, 3, { range: 2, encoding: 'unipolar' });
    assert.is(codeOf(() => layer.run(new StreamBatch(3, 65))), 'E_SHAPE');
    assert.is(codeOf(() => layer.run(new StreamBatch(4, 64))), 'E_SHAPE');
    layer.dispose();
    assert.is(codeOf(() => layer.run(new StreamBatch(3, 64))), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before);
  });
});
