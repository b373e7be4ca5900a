// The issue-5 demonstration: a 784-100-10 MLP trained in f32 with bitsieve's dense kernels (bench/e2e/mnist-mlp.mjs),
// then evaluated in stochastic computing at stream lengths 64 … 4096 with SC-DCNN's feature-extraction blocks:
//   APC → Btanh (hidden) and APC counts (output), MUX → Stanh (hidden) and MUX (output), or integral SC
//   (Ardakani et al.: weights as bipolar integral streams of range 2, exact per-cycle sums, NStanh; output sums).
// Bipolar streams throughout; each bias is two extra inputs held at +1 (an all-ones stream) with weight b/2.
// Inputs read one 16-bit Fibonacci LFSR table, weights one xoshiro128** table, every stream at its own seeded
// phase, so products pair independent sources. The class is the largest decoded output sum.
//   node --experimental-wasm-relaxed-simd bench/e2e/mnist-sc.mjs [testSamples]
import { init, StreamBatch } from '../../dist/index.js';
import { mulberry32 } from '../data.mjs';
import { loadMnist } from './mnist.mjs';
import { accuracy, argmaxAccuracy, trainMlp } from './mnist-mlp.mjs';

const LENGTHS = [64, 128, 256, 512, 1024, 2048, 4096];
const BLOCKS = ['apc-btanh', 'mux-stanh', 'integral-nstanh'];
/** Integral range of the weight streams in the integral-SC rows. */
const RANGE = 2;

/** [rows, cols] weights with the bias as two extra columns of b/2 (their inputs are held at +1). */
function withBias(w, b, rows, cols) {
  const out = new Float32Array(rows * (cols + 2));
  for (let r = 0; r < rows; r++) {
    out.set(w.subarray(r * cols, (r + 1) * cols), r * (cols + 2));
    out[r * (cols + 2) + cols] = out[r * (cols + 2) + cols + 1] = b[r] / 2;
  }
  return out;
}

/** Streams for values in [−1, 1] (bipolar), each stream at a seeded phase of `source`. */
function encode(bs, values, length, source, seed, range = 1) {
  const next = mulberry32(seed);
  const offsets = Uint32Array.from({ length: values.length * range }, () => next() % source.values.length);
  return bs.sc.encode(values, { length, source, offsets, encoding: 'bipolar', range });
}

/** Appends two all-ones streams (the bias inputs) after every sample's `n` streams. */
function appendOnes(batch, n) {
  const samples = batch.count / n;
  const out = new StreamBatch(samples * (n + 2), batch.length);
  const ones = new StreamBatch(1, batch.length);
  for (let t = 0; t < batch.length; t++) ones.words[t >>> 5] |= (1 << (t & 31)) >>> 0;
  for (let s = 0; s < samples; s++) {
    out.words.set(batch.words.subarray(s * n * batch.stride, (s + 1) * n * batch.stride), s * (n + 2) * out.stride);
    out.words.set(ones.words, (s * (n + 2) + n) * out.stride);
    out.words.set(ones.words, (s * (n + 2) + n + 1) * out.stride);
  }
  return out;
}

function selects(length, n, seed) {
  const next = mulberry32(seed);
  return Array.from({ length }, () => next() % n);
}

/** Test accuracy of the network run in SC with one block type at stream length L. */
function scAccuracy(bs, net, test, block, length, sources) {
  const mux = block === 'mux-stanh';
  const integral = block === 'integral-nstanh';
  const range = integral ? RANGE : 1;
  const w1 = encode(bs, withBias(net.w1, net.b1, net.hidden, 784), length, sources.weights, 11, range);
  const w2 = encode(bs, withBias(net.w2, net.b2, 10, net.hidden), length, sources.weights, 12, range);
  const common = { innerProduct: mux ? 'mux' : 'apc' };
  const layer = (w, n, options, seed) =>
    integral ? bs.sc.integralLinear(w, n, { range, ...(options.activation && { activation: options.activation }) }) : bs.sc.linear(w, n, { ...common, ...options, ...(mux && { select: selects(length, n, seed) }) });
  const hidden = layer(w1, 786, {}, 13);
  const output = layer(w2, net.hidden + 2, { activation: 'none' }, 14);
  try {
    const scores = new Float64Array(test.count * 10);
    const chunk = 50;
    for (let s0 = 0; s0 < test.count; s0 += chunk) {
      const n = Math.min(chunk, test.count - s0);
      const x = appendOnes(encode(bs, test.x.subarray(s0 * 784, (s0 + n) * 784), length, sources.inputs, 1000 + s0), 784);
      const h = appendOnes(hidden.run(x).streams, net.hidden);
      scores.set(output.run(h).sums, s0 * 10);
    }
    return argmaxAccuracy(scores, test.labels);
  } finally {
    hidden.dispose();
    output.dispose();
  }
}

export async function mnistSc({ testSamples = 500 } = {}) {
  const bs = await init();
  const data = loadMnist();
  const net = trainMlp(bs, data.train);
  const test = { x: data.test.x.subarray(0, testSamples * 784), labels: data.test.labels.subarray(0, testSamples), count: testSamples };
  const sources = { inputs: bs.sc.lfsr({ width: 16 }), weights: bs.sc.uniform({ seed: 7, bits: 16, length: 65536 }) };
  const rows = [];
  for (const block of BLOCKS) {
    for (const length of LENGTHS) {
      const t0 = performance.now();
      rows.push({ block, length, accuracy: scAccuracy(bs, net, test, block, length, sources), seconds: (performance.now() - t0) / 1e3 });
    }
  }
  return { variant: bs.variant, f32: accuracy(bs, net, test), f32Full: accuracy(bs, net, data.test), trainSeconds: net.trainSeconds, testSamples, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await mnistSc({ testSamples: Number(process.argv[2] ?? 500) });
  console.log(`f32: ${(r.f32 * 100).toFixed(1)} % on ${r.testSamples} test digits (${(r.f32Full * 100).toFixed(1)} % on all), trained in ${r.trainSeconds.toFixed(1)} s, ${r.variant} build`);
  console.log(`| block | ${LENGTHS.map((l) => `L = ${l}`).join(' | ')} |`);
  console.log(`|---|${LENGTHS.map(() => '---:').join('|')}|`);
  for (const block of BLOCKS) console.log(`| ${block} | ${r.rows.filter((x) => x.block === block).map((x) => `${(x.accuracy * 100).toFixed(1)} %`).join(' | ')} |`);
}
