// A small MLP (784 → hidden tanh → 10) trained on the mnist digits with bitsieve's own dense kernels: every
// matrix product of the forward and backward passes is a bs.linear(Dense) call (the weight gradient
// δᵀ·X is the layer X' = δᵀ, W' = Xᵀ). Weights stay clipped to [−1, 1] so the network maps onto bipolar
// stochastic streams unchanged (SC-DCNN's setting). Softmax cross-entropy, minibatch SGD, seeded.
import { Dense } from '../../dist/index.js';
import { mulberry32, transpose } from '../data.mjs';
import { shuffle } from './mnist.mjs';

/**
 * Trains on data.train; returns { w1 [hidden, 784], b1, w2 [10, hidden], b2, trainSeconds }.
 * Options: hidden (100), epochs (8), batch (32), lr (0.1), seed (1), clip (1: |w| ≤ clip; 0 = no clip).
 */
export function trainMlp(bs, data, { hidden = 100, epochs = 8, batch = 32, lr = 0.1, seed = 1, clip = 1 } = {}) {
  const t0 = performance.now();
  const inF = 784, outF = 10;
  const next = mulberry32(seed);
  const init = (n, fanIn) => Float32Array.from({ length: n }, () => ((next() / 2 ** 32) * 2 - 1) * Math.sqrt(3 / fanIn));
  const w1 = init(hidden * inF, inF), b1 = new Float32Array(hidden);
  const w2 = init(outF * hidden, hidden), b2 = new Float32Array(outF);
  const order = Array.from({ length: data.count }, (_, i) => i);
  const x = new Float32Array(batch * inF);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, seed + 1 + epoch);
    for (let start = 0; start + batch <= data.count; start += batch) {
      for (let b = 0; b < batch; b++) x.set(data.x.subarray(order[start + b] * inF, (order[start + b] + 1) * inF), b * inF);
      const h = matmul(bs, x, w1, batch, hidden, inF, b1).map(Math.tanh);
      const z = matmul(bs, h, w2, batch, outF, hidden, b2);
      // δ2 = softmax(z) − onehot, averaged over the batch.
      const d2 = new Float32Array(batch * outF);
      for (let b = 0; b < batch; b++) {
        const row = z.subarray(b * outF, (b + 1) * outF);
        const m = Math.max(...row);
        let s = 0;
        for (let o = 0; o < outF; o++) s += Math.exp(row[o] - m);
        for (let o = 0; o < outF; o++) d2[b * outF + o] = (Math.exp(row[o] - m) / s - (o === data.labels[order[start + b]] ? 1 : 0)) / batch;
      }
      // δ1 = (δ2 · W2) ⊙ (1 − h²): the layer X = δ2, W = W2ᵀ [hidden, 10].
      const d1 = matmul(bs, d2, transpose(w2, outF, hidden), batch, hidden, outF);
      for (let i = 0; i < d1.length; i++) d1[i] *= 1 - h[i] * h[i];
      step(w2, gradient(bs, d2, h, batch, outF, hidden), lr, clip);
      step(w1, gradient(bs, d1, x, batch, hidden, inF), lr, clip);
      step(b2, columnSums(d2, batch, outF), lr, clip);
      step(b1, columnSums(d1, batch, hidden), lr, clip);
    }
  }
  return { w1, b1, w2, b2, hidden, trainSeconds: (performance.now() - t0) / 1e3 };
}

/** Fraction of test samples whose largest output is the label (f32 forward through bs.linear). */
export function accuracy(bs, net, data) {
  const h = matmul(bs, data.x, net.w1, data.count, net.hidden, 784, net.b1).map(Math.tanh);
  const z = matmul(bs, h, net.w2, data.count, 10, net.hidden, net.b2);
  return argmaxAccuracy(z, data.labels);
}

export function argmaxAccuracy(scores, labels, classes = 10) {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let o = 1; o < classes; o++) if (scores[i * classes + o] > scores[i * classes + best]) best = o;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

/** Y [rows, out] = X [rows, in] · Wᵀ + bias, through a resident dense layer. */
function matmul(bs, x, w, rows, out, inF, bias) {
  const layer = bs.linear(Dense.from(w, [out, inF]), { bias });
  try {
    return layer.forward(x, rows);
  } finally {
    layer.dispose();
  }
}

/** Σ_b δ[b, o]·a[b, i] as [out, in]: the layer X = δᵀ [out, batch], W = aᵀ [in, batch]. */
function gradient(bs, delta, a, batch, out, inF) {
  return matmul(bs, transpose(delta, batch, out), transpose(a, batch, inF), out, inF, batch);
}

function columnSums(d, rows, cols) {
  const s = new Float32Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) s[c] += d[r * cols + c];
  return s;
}

function step(p, g, lr, clip) {
  for (let i = 0; i < p.length; i++) {
    const v = p[i] - lr * g[i];
    p[i] = clip ? Math.min(clip, Math.max(-clip, v)) : v;
  }
}
