// Data every process regenerates bit-identically from a seed (nothing megabyte-sized crosses IPC),
// plus the float64 correctness probe shared by all families.
//
// Every case is a linear map in GEMM notation: M = batch (or pixels), N = out, K = in, W [N, K].
// layout 'rows': X [M, K], Y [M, N] (a linear layer). layout 'chw': X [K, M], Y [N, M] (a 1×1
// convolution over M = H·W pixels in NCHW).

/** mulberry32: tiny, fast, and identical in every process. Returns the next 32-bit value. */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Values uniform in [-1, 1). */
export function fill(length, seed) {
  const out = new Float32Array(length);
  const next = mulberry32(seed);
  for (let i = 0; i < length; i++) out[i] = next() / 2 ** 31 - 1;
  return out;
}

/** Uniform random bytes, four per draw (low byte first). */
export function randomBytes(length, seed) {
  const out = new Uint8Array(length);
  const next = mulberry32(seed);
  for (let i = 0; i < length; i += 4) {
    const v = next();
    for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = v >>> (8 * b);
  }
  return out;
}

export const seedOf = (c) => c.m * 7919 + c.n * 104729 + c.k;

/** [rows, cols] → [cols, rows]. */
export function transpose(a, rows, cols) {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
  return t;
}

/**
 * How many values a case outputs: Y [M, N] for a linear map; for op 'dequantize' (one call turns
 * the packed [N, K] weights back into f32) the weights themselves, N·K.
 */
const outputLength = (c) => (c.op === 'dequantize' ? c.n * c.k : c.m * c.n);

/** ~1k output positions (corners, first/last rows and columns, a stride through the rest). */
export function probeIndices(c) {
  const total = outputLength(c);
  const last = c.op === 'dequantize' ? c.k : c.layout === 'chw' ? c.m : c.n; // length of one output row in memory
  const set = new Set([0, last - 1, total - last, total - 1]);
  const stride = Math.max(1, Math.floor(total / 1021));
  for (let i = 0; i < total; i += stride) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** Float64 reference at the probe positions: Y = X·Wᵀ in the case's layout, or W itself for 'dequantize'. */
export function referenceAt(c, { w, x }, indices) {
  if (c.op === 'dequantize') return indices.map((idx) => w[idx]);
  const chw = c.layout === 'chw';
  return indices.map((idx) => {
    const i = chw ? idx % c.m : Math.floor(idx / c.n); // batch row / pixel
    const j = chw ? Math.floor(idx / c.m) : idx % c.n; // output feature / channel
    let acc = 0;
    for (let p = 0; p < c.k; p++) acc += (chw ? x[p * c.m + i] : x[i * c.k + p]) * w[j * c.k + p];
    return acc;
  });
}

/**
 * f32 accumulation of K products of magnitude ≤ 1 drifts by roughly √K·ε·|y|; a wrong layout,
 * stale buffer or missing tile is off by O(√K). 1e-4·√K sits orders of magnitude between.
 * Dequantization promises the reference's exact f32 values, so it gets no slack at all.
 */
export const tolerance = (c) => c.tolerance ?? (c.op === 'dequantize' ? 0 : 1e-4 * Math.sqrt(c.k));
