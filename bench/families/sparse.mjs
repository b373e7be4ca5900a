// The sparse family (issue 3): each compressed format against the same layer run dense, at the
// issue's shapes. Weights are seeded random values with the format's zero pattern applied here,
// independently of the library's pruners, so every library multiplies the very same matrix.
import * as lib from '../../dist/index.js';
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

// `requires`: the library export the case needs (cases of formats this build lacks are skipped and
// reported as not measured). `full`: full runs only (quick runs keep the target cases).
const SPARSE = [
  { case: 'csr-90-b64', ...B64, format: { kind: 'csr' }, sparsity: 0.9, plainJs: true },
  { case: 'csr-95-b64', ...B64, format: { kind: 'csr' }, sparsity: 0.95, plainJs: true },
  { case: 'csr-90-gemv', ...GEMV, format: { kind: 'csr' }, sparsity: 0.9, plainJs: true },
  { case: 'csr-95-gemv', ...GEMV, format: { kind: 'csr' }, sparsity: 0.95, full: true },
  ...[[4, 4], [1, 8]].map((block) => ({ case: `bsr-${block.join('x')}-90-b64`, ...B64, format: { kind: 'bsr', block }, sparsity: 0.9, requires: 'Bsr' })),
  ...[[4, 1], [1, 4], [8, 1]].map((block) => ({ case: `bsr-${block.join('x')}-90-b64`, ...B64, format: { kind: 'bsr', block }, sparsity: 0.9, requires: 'Bsr', full: true })),
  ...[[4, 4], [4, 1], [1, 8]].map((block) => ({ case: `bsr-${block.join('x')}-90-gemv`, ...GEMV, format: { kind: 'bsr', block }, sparsity: 0.9, requires: 'Bsr', full: true })),
  { case: 'nm-2:4-gemv', ...GEMV, format: { kind: 'nm', n: 2, m: 4 }, sparsity: 0.5, requires: 'Nm' },
  { case: 'nm-2:4-b64', ...B64, format: { kind: 'nm', n: 2, m: 4 }, sparsity: 0.5, requires: 'Nm' },
  { case: 'nm-1:4-gemv', ...GEMV, format: { kind: 'nm', n: 1, m: 4 }, sparsity: 0.75, requires: 'Nm', full: true },
  { case: 'nm-1:4-b64', ...B64, format: { kind: 'nm', n: 1, m: 4 }, sparsity: 0.75, requires: 'Nm', full: true },
  { case: 'nm-4:8-b64', ...B64, format: { kind: 'nm', n: 4, m: 8 }, sparsity: 0.5, requires: 'Nm', full: true },
  { case: 'darb-90-b64', ...B64, format: { kind: 'darb', blockSize: 16 }, sparsity: 0.9, requires: 'Darb' },
  { case: 'darb-90-gemv', ...GEMV, format: { kind: 'darb', blockSize: 16 }, sparsity: 0.9, requires: 'Darb', full: true },
  { case: 'lfsr-90-b64', ...B64, format: { kind: 'lfsr' }, sparsity: 0.9, requires: 'LfsrSparse', full: true },
  { case: 'lfsr-90-gemv', ...GEMV, format: { kind: 'lfsr' }, sparsity: 0.9, requires: 'LfsrSparse', full: true },
  ...[0.9, 0.5, 0.99].map((a, i) => ({
    case: `zero-skip-act${a * 100}-gemv`, ...GEMV, format: { kind: 'zero-skip' }, sparsity: 0, activationSparsity: a, requires: 'DenseColumns', full: i > 0,
  })),
  { case: 'xnn-80-conv-3136x24x144', ...CONV_A, format: { kind: 'xnn' }, sparsity: 0.8, requires: 'XnnSpmm' },
  { case: 'xnn-80-conv-196x384x64', ...CONV_B, format: { kind: 'xnn' }, sparsity: 0.8, requires: 'XnnSpmm' },
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
  { case: 'bsr-4x4-90-b64', vs: 'tfjs', baseline: 'dense-b64', min: 6 },
  { case: 'bsr-1x8-90-b64', vs: 'tfjs', baseline: 'dense-b64', min: 6 },
  { case: 'nm-2:4-gemv', vs: 'own-dense', baseline: 'dense-gemv', min: 1.6 },
  { case: 'nm-2:4-b64', vs: 'own-dense', baseline: 'dense-b64', min: 1.3 },
  { case: 'darb-90-b64', vs: 'tfjs', baseline: 'dense-b64', min: 5 },
  { case: 'zero-skip-act90-gemv', vs: 'own-dense', baseline: 'dense-gemv', min: 5 },
  { case: 'csr-90-b64', vs: 'plain-js', min: 20 },
  { case: 'xnn-80-conv-3136x24x144', vs: 'tfjs', baseline: 'dense-conv-3136x24x144', min: 2 },
  { case: 'xnn-80-conv-196x384x64', vs: 'tfjs', baseline: 'dense-conv-196x384x64', min: 2 },
];

export function cases({ quick }) {
  const base = BASELINES.map((c) => ({ ...c, format: { kind: 'dense' }, sparsity: 0 }));
  const sameShape = (a, b) => a.m === b.m && a.n === b.n && a.k === b.k && (a.layout ?? 'rows') === (b.layout ?? 'rows');
  const sparse = SPARSE.filter((c) => !(quick && c.full) && (!c.requires || c.requires in lib)).map(({ plainJs, full, requires, ...c }) => ({
    ...c,
    baseline: base.find((b) => sameShape(b, c)).case, // the dense run this case is compared with
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

/** Cases whose format this build of the library does not export (reported as not measured). */
export const missing = () => SPARSE.filter((c) => c.requires && !(c.requires in lib)).map((c) => `${c.case} (needs ${c.requires})`);

/** Keeps each weight with probability 1 − sparsity (a second seeded stream decides). */
function dropUnstructured(w, sparsity, seed) {
  const u = fill(w.length, seed);
  for (let i = 0; i < w.length; i++) if ((u[i] + 1) / 2 < sparsity) w[i] = 0;
}

/** Keeps each r×c block (edge blocks clipped) with probability 1 − sparsity. */
function dropBlocks(w, { n, k }, [r, c], sparsity, seed) {
  const bc = Math.ceil(k / c);
  const u = fill(Math.ceil(n / r) * bc, seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) if ((u[Math.floor(i / r) * bc + Math.floor(j / c)] + 1) / 2 < sparsity) w[i * k + j] = 0;
}

/** Keeps the `keep(row)` largest |w| in every group of `size` consecutive weights of each row. */
function keepLargestPerGroup(w, { n, k }, size, keep) {
  const order = new Array(size);
  for (let i = 0; i < n; i++) {
    const kr = keep(i);
    for (let g = 0; g < k; g += size) {
      const len = Math.min(size, k - g);
      for (let j = 0; j < len; j++) order[j] = i * k + g + j;
      const sorted = order.slice(0, len).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b);
      for (let j = kr; j < len; j++) w[sorted[j]] = 0;
    }
  }
}

/** DARB rows: k_r = ⌊d·b + u_r⌋ per row (u_r uniform), so rows differ in density and the mean is d·b. */
function darbRows(w, c, b, sparsity, seed) {
  const u = fill(c.n, seed);
  keepLargestPerGroup(w, c, b, (i) => Math.floor((1 - sparsity) * b + (u[i] + 1) / 2));
}

export function data(c) {
  const seed = seedOf(c);
  let w = fill(c.n * c.k, seed);
  const x = fill(c.m * c.k, seed ^ 0x5bd1e995);
  const f = c.format;
  switch (f.kind) {
    case 'dense':
      break;
    case 'csr':
    case 'xnn':
      dropUnstructured(w, c.sparsity, seed + 1);
      break;
    case 'bsr':
      dropBlocks(w, c, f.block, c.sparsity, seed + 1);
      break;
    case 'nm':
      keepLargestPerGroup(w, c, f.m, () => f.n);
      break;
    case 'darb':
      darbRows(w, c, f.blockSize, c.sparsity, seed + 1);
      break;
    case 'lfsr': // positions come from the format's own LFSR; values from w
      w = lib.LfsrSparse.fromDense(w, [c.n, c.k], { density: 1 - c.sparsity, seed }).toDense();
      break;
    case 'zero-skip':
      dropUnstructured(x, c.activationSparsity, seed + 2);
      break;
    default:
      throw new Error(`sparse bench: no data generator for format ${f.kind}`);
  }
  return { w, x };
}
