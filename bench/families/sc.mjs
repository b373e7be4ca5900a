// The stochastic-computing family (issue 5): bit-level SC arithmetic on bit-packed streams (LSB-first u32
// words, src/sc/stream.ts) against a plain typed-array JS implementation of the same operations, in the
// same run. Every output is an exact integer (ones counts), so bitsieve and plain JS must agree bit for bit.
//   sc-dot:   per neuron j, Σ_i popcount(x_i ∘ w_ji) with ∘ = XNOR (bipolar) or AND (unipolar)
//   sc-sng:   comparator SNG, bit_t = X > R_t against one precomputed 16-bit source sequence
//   sc-layer: a 784 → 100 layer, XNOR products → APC per cycle → Btanh (r = 2n, update then output, ≥)
import { mulberry32, randomBytes, seedOf } from '../data.mjs';
import { scReference } from '../peers/plain-js-sc.mjs';

const L = 1024;
const OWN = ['bitsieve-relaxed', 'bitsieve-simd', 'bitsieve-scalar'];
const LIBRARIES = [...OWN, 'plain-js'];

const CASES = [
  { case: 'xnor-popcount', op: 'sc-dot', product: 'xnor', n: 256, k: 784 },
  { case: 'and-popcount', op: 'sc-dot', product: 'and', n: 256, k: 784 },
  { case: 'sng-16bit', op: 'sc-sng', n: 4096, k: 1 },
  { case: 'layer-784x100-apc-btanh', op: 'sc-layer', n: 100, k: 784 },
];

/** Work per call: bit-ops (one input-bit pair combined and counted), bits generated, or just ms for the layer. */
const WORK = {
  'sc-dot': (c) => ({ amount: c.n * c.k * c.length, unit: 'G bit-ops/s' }),
  'sc-sng': (c) => ({ amount: c.n * c.length, unit: 'G bits/s' }),
  'sc-layer': (c) => ({ amount: c.n * c.k * c.length, unit: 'G bit-ops/s' }),
};

export function cases({ quick }) {
  return CASES.map((c) => ({ ...c, length: L })).map((c) => ({
    ...c,
    suite: 'sc',
    m: 1,
    layout: 'rows',
    format: { kind: 'sc' },
    libraries: LIBRARIES,
    work: WORK[c.op](c),
    tolerance: 0,
    // The layer in plain JS takes ~0.5 s per call; once is enough (and not at all in quick mode for scalar).
    rounds: c.op === 'sc-layer' ? { 'plain-js': 1, 'bitsieve-scalar': quick ? 0 : 1 } : {},
  }));
}

/** Words per stream: whole 128-bit vectors. */
export const strideOf = (length) => Math.ceil(length / 128) * 4;

/**
 * Seeded inputs in the stream layout: x [k streams], w [n·k streams] (random bits, pad bits zero) for the
 * products and the layer; for the SNG, n 16-bit values X ∈ [0, 2^16] and one source sequence R_t.
 */
export function data(c) {
  const seed = seedOf(c);
  if (c.op === 'sc-sng') {
    const next = mulberry32(seed);
    const values = Uint32Array.from({ length: c.n }, () => next() % 65537);
    const source = new Uint16Array(c.length);
    for (let t = 0, s = 0xace1; t < c.length; t++) {
      source[t] = s; // Fibonacci LFSR-16, taps 16,15,13,4 (state before the update)
      s = ((s << 1) | (((s >> 15) ^ (s >> 14) ^ (s >> 12) ^ (s >> 3)) & 1)) & 0xffff;
    }
    return { values, source };
  }
  return { x: streams(c.k, c.length, seed), w: streams(c.n * c.k, c.length, seed ^ 0x5bd1e995) };
}

function streams(count, length, seed) {
  const stride = strideOf(length);
  const words = new Uint32Array(randomBytes(count * stride * 4, seed).buffer);
  for (let i = 0; i < count; i++) {
    for (let w = 0; w < stride; w++) {
      const bits = length - 32 * w;
      if (bits < 32) words[i * stride + w] &= bits <= 0 ? 0 : 2 ** bits - 1;
    }
  }
  return words;
}

/** The exact results at the probe positions, from the plain-JS implementation (the outputs are integers). */
export function referenceAt(c, d, indices) {
  const y = scReference(c, d);
  return indices.map((i) => y[i]);
}

export const missing = () => [];

/** The targets, checked on the relaxed build (its faster mode). */
export const TARGETS = [
  { case: 'xnor-popcount', label: 'XNOR + popcount inner products', needs: '≥ 80 G bit-ops/s', rate: 80 },
  { case: 'and-popcount', label: 'AND + popcount inner products', needs: '≥ 80 G bit-ops/s', rate: 80 },
  { case: 'sng-16bit', label: 'stream generation (comparator SNG, precomputed source)', needs: '≥ 5 G bits/s', rate: 5 },
  { case: 'layer-784x100-apc-btanh', label: '784→100 layer, L = 1024, APC + Btanh', needs: '≤ 20 ms', maxMs: 20 },
  { case: 'layer-784x100-apc-btanh', label: 'same layer vs plain JS', needs: '≥ 10×', min: 10 },
];
