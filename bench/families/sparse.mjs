// The sparse family (issue 3): each compressed format against the same layer run dense, at the
// issue's shapes. Weights are seeded random values with the format's zero pattern applied here,
// independently of the library's pruners, so every library multiplies the very same matrix.
import { fill, seedOf } from '../data.mjs';

const B64 = { m: 64, n: 1024, k: 1024 };
const GEMV = { m: 1, n: 4096, k: 4096 };
const OWN = ['bitsieve-relaxed', 'bitsieve-simd'];
// MobileNetV2 1×1 convolutions (XNNPACK's spmm benchmark shapes): M = H·W pixels, N = out, K = in channels.
const CONV_A = { m: 3136, n: 24, k: 144, h: 56, w: 56, layout: 'chw' };
const CONV_B = { m: 196, n: 384, k: 64, h: 14, w: 14, layout: 'chw' };

/** Dense baselines: the speed a user gets without the sparse format (tfjs) or without sparsity (own dense). */
const BASELINES = [
  { case: 'dense-b64', ...B64, libraries: [...OWN, 'tfjs'] },
  { case: 'dense-gemv', ...GEMV, libraries: [...OWN, 'tfjs'] },
  { case: 'dense-conv-3136x24x144', ...CONV_A, libraries: ['tfjs'] },
  { case: 'dense-conv-196x384x64', ...CONV_B, libraries: ['tfjs'] },
];

const SPARSE = [
  { case: 'csr-90-b64', ...B64, format: { kind: 'csr' }, sparsity: 0.9, plainJs: true },
  { case: 'csr-95-b64', ...B64, format: { kind: 'csr' }, sparsity: 0.95, plainJs: true },
  { case: 'csr-90-gemv', ...GEMV, format: { kind: 'csr' }, sparsity: 0.9, plainJs: true },
  { case: 'csr-95-gemv', ...GEMV, format: { kind: 'csr' }, sparsity: 0.95, full: true },
];

/**
 * The acceptance ratios: `vs` is the peer ('tfjs' or 'own-dense' measured on `baseline`,
 * or 'plain-js' on the case itself); ratio = peer ms / bitsieve ms, resident, checked on the
 * relaxed build (what engines with relaxed SIMD get by default) and shown for simd too.
 */
export const TARGETS = [
  { case: 'csr-90-b64', vs: 'tfjs', baseline: 'dense-b64', min: 5 },
  { case: 'csr-95-b64', vs: 'tfjs', baseline: 'dense-b64', min: 8 },
  { case: 'csr-90-gemv', vs: 'tfjs', baseline: 'dense-gemv', min: 4 },
  { case: 'csr-90-b64', vs: 'plain-js', min: 20 },
];

export function cases({ quick }) {
  const base = BASELINES.map((c) => ({ ...c, format: { kind: 'dense' }, sparsity: 0 }));
  const sparse = SPARSE.filter((c) => !(quick && c.full)).map(({ plainJs, full, ...c }) => ({
    ...c,
    libraries: plainJs ? [...OWN, 'plain-js'] : OWN,
  }));
  return [...base, ...sparse].map((c) => ({
    suite: 'sparse',
    layout: 'rows',
    ...c,
    flops: 2 * c.m * c.n * c.k, // dense-equivalent work, so GFLOP/s compare across formats
    rounds: {},
  }));
}

/** Keeps each weight with probability 1 − sparsity (a second seeded stream decides). */
function dropUnstructured(w, sparsity, seed) {
  const u = fill(w.length, seed);
  for (let i = 0; i < w.length; i++) if ((u[i] + 1) / 2 < sparsity) w[i] = 0;
}

export function data(c) {
  const seed = seedOf(c);
  const w = fill(c.n * c.k, seed);
  const x = fill(c.m * c.k, seed ^ 0x5bd1e995);
  const s = c.sparsity;
  switch (c.format.kind) {
    case 'dense':
      break;
    case 'csr':
      dropUnstructured(w, s, seed + 1);
      break;
    default:
      throw new Error(`sparse bench: no data generator for format ${c.format.kind}`);
  }
  return { w, x };
}
