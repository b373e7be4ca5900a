// The dense family: which shapes are measured, the data every library sees, and the
// correctness probe. Shared by the orchestrator and every worker process, so all libraries
// regenerate bit-identical inputs from a seed instead of shipping megabytes over IPC.

// GEMM notation of the issue: M = batch, N = out features, K = in features; FLOPs = 2·M·N·K.
const CASES = [
  { suite: 'dense-gemm', case: '256x256x256', m: 256, n: 256, k: 256 },
  { suite: 'dense-gemm', case: '512x512x512', m: 512, n: 512, k: 512 },
  { suite: 'dense-gemm', case: '1024x1024x1024', m: 1024, n: 1024, k: 1024 },
  { suite: 'dense-linear', case: 'batch1-1024x1024', m: 1, n: 1024, k: 1024 },
  { suite: 'dense-linear', case: 'batch8-1024x1024', m: 8, n: 1024, k: 1024 },
  { suite: 'dense-linear', case: 'batch64-1024x1024', m: 64, n: 1024, k: 1024 },
  { suite: 'dense-gemv', case: 'gemv-4096x4096', m: 1, n: 4096, k: 4096 },
];

/**
 * The cases of one run. `rounds[worker]` caps how many rounds a worker (run.mjs ids) joins for
 * that case (0 = skipped). At 1024³ plain JS takes ~2 s and scalar bitsieve ~0.5 s per call and
 * neither is in a headline ratio, so they run once in full mode and not at all in quick mode.
 */
export function denseCases({ quick }) {
  return CASES.map((c) => {
    const slow = c.m * c.n * c.k >= 1 << 30 ? (quick ? 0 : 1) : Infinity;
    return { ...c, flops: 2 * c.m * c.n * c.k, rounds: { 'plain-js': slow, 'bitsieve-scalar': slow } };
  });
}

/** mulberry32: tiny, fast, and identical in every process. Values uniform in [-1, 1). */
function fill(length, seed) {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** w: [n, k] row-major (bitsieve's [out, in]); x: [m, k]. */
export function denseData(c) {
  const seed = c.m * 7919 + c.n * 104729 + c.k;
  return { w: fill(c.n * c.k, seed), x: fill(c.m * c.k, seed ^ 0x5bd1e995) };
}

/** [n, k] → [k, n]: the layout tfjs (fast path) and ONNX MatMul want for B. */
export function transpose(w, rows, cols) {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
  return t;
}

/** ~1k output positions (corners, first/last rows and columns, a stride through the rest). */
export function probeIndices(c) {
  const total = c.m * c.n;
  const set = new Set([0, c.n - 1, total - c.n, total - 1]);
  const stride = Math.max(1, Math.floor(total / 1021));
  for (let i = 0; i < total; i += stride) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** Float64 reference at the probe positions: Y[i,j] = Σ_k X[i,k]·W[j,k]. */
export function referenceAt(c, { w, x }, indices) {
  return indices.map((idx) => {
    const i = Math.floor(idx / c.n);
    const j = idx % c.n;
    let acc = 0;
    for (let p = 0; p < c.k; p++) acc += x[i * c.k + p] * w[j * c.k + p];
    return acc;
  });
}

/**
 * f32 accumulation of K products of magnitude ≤ 1 drifts by roughly √K·ε·|y|; a wrong layout,
 * stale buffer or missing tile is off by O(√K). 1e-4·√K sits orders of magnitude between.
 */
export const tolerance = (c) => 1e-4 * Math.sqrt(c.k);
