// Float64 references for the group-wise integer grid, round-to-nearest and GPTQ, written from the
// definitions (lowbit.md §2.2, §5.1; Frantar et al. 2022) rather than from the library's code:
// - scales: the min/max range including 0 (all-zero group → [−1, 1]), s = (max − min)/(2^b − 1)
//   asymmetric, s = 2·max|w|/(2^b − 1) symmetric, then stored (clamped to [2^-24, 65504] in f16,
//   [2^-149, 2^119] in f32, rounded to nearest even in f32 or in f16 via f32);
// - codes: clamp(round_half_even(w/s) + z, 0, 2^b − 1), value f32(s·(q − z));
// - hybrid: per group the grid with the smaller squared error, ties symmetric;
// - GPTQ: the unblocked Optimal Brain Surgeon sweep with an explicit inverse G of the dampened
//   Hessian, downdated after every column: fixing column j of every row to its code costs
//   (w − ŵ)²/G_jj and moves δ = −(w − ŵ)/G_jj · G[j, :] onto the row; no Cholesky, no blocks.
import { dampedHessian, invert } from './obs.js';

export type Mode = 'symmetric' | 'asymmetric' | 'hybrid';
export interface GridSpec {
  bits: number;
  groupSize: number;
  mode: Mode;
  scaleDtype: 'f32' | 'f16';
}

/** Nearest integer, halves to the even neighbour, from floor. */
export function roundEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** The binary16 value nearest to x > 0 (ties to even), x first rounded to float32. */
export function f16Value(x: number): number {
  const v = Math.fround(x);
  let e = Math.floor(Math.log2(v));
  while (2 ** e > v) e--;
  while (2 ** (e + 1) <= v) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  return roundEven(v / ulp) * ulp;
}

export function stored(s: number, dtype: 'f32' | 'f16'): number {
  if (dtype === 'f16') return f16Value(Math.min(Math.max(s, 2 ** -24), 65504));
  return Math.fround(Math.min(Math.max(s, 2 ** -149), 2 ** 119)); // 2^119·2^8 < f32 max: every code decodes finite
}

export interface Params {
  scale: number;
  zero: number;
  symmetric: boolean;
}

export const code = (x: number, p: Params, bits: number) => Math.min(Math.max(roundEven(x / p.scale) + p.zero, 0), 2 ** bits - 1);
export const value = (q: number, p: Params) => Math.fround(p.scale * (q - p.zero));

export function groupParams(values: number[], spec: GridSpec): Params {
  const maxq = 2 ** spec.bits - 1;
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const amax = Math.max(Math.abs(lo), Math.abs(hi));
  const symmetric = { scale: stored(amax > 0 ? (2 * amax) / maxq : 2 / maxq, spec.scaleDtype), zero: 2 ** (spec.bits - 1), symmetric: true };
  const [a, b] = lo === 0 && hi === 0 ? [-1, 1] : [lo, hi];
  const s = stored((b - a) / maxq, spec.scaleDtype);
  const asymmetric = { scale: s, zero: Math.min(Math.max(roundEven(-a / s), 0), maxq), symmetric: false };
  if (spec.mode === 'symmetric') return symmetric;
  if (spec.mode === 'asymmetric') return asymmetric;
  const sse = (p: Params) => values.reduce((acc, x) => acc + (x - value(code(x, p, spec.bits), p)) ** 2, 0);
  return sse(asymmetric) < sse(symmetric) ? asymmetric : symmetric;
}

export interface Quantized {
  codes: number[];
  /** [rows][groups] */
  params: Params[][];
  dequantized: Float64Array;
  gIdx?: number[];
}

/** Round-to-nearest, group by group. */
export function rtnReference(w: ArrayLike<number>, rows: number, cols: number, spec: GridSpec): Quantized {
  const codes: number[] = [];
  const params: Params[][] = [];
  const dequantized = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    params.push([]);
    for (let g = 0; g < cols / spec.groupSize; g++) {
      const values = Array.from({ length: spec.groupSize }, (_, i) => w[r * cols + g * spec.groupSize + i]);
      const p = groupParams(values, spec);
      params[r].push(p);
      values.forEach((x, i) => {
        const k = r * cols + g * spec.groupSize + i;
        codes[k] = code(x, p, spec.bits);
        dequantized[k] = value(codes[k], p);
      });
    }
  }
  return { codes, params, dequantized };
}


export interface GptqSpec extends GridSpec {
  dampening: number;
  actOrder: boolean;
  staticGroups: boolean;
}

/** Unblocked GPTQ; also returns the dampened H and the dead-zeroed W the loss refers to. */
export function gptqReference(w: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>, spec: GptqSpec) {
  const { h, dead } = dampedHessian(x, cols, spec.dampening);
  const original = Float64Array.from(w, (v, i) => (dead[i % cols] ? 0 : v));
  const g = spec.groupSize;
  const order = Array.from({ length: cols }, (_, k) => k);
  if (spec.actOrder) order.sort((a, b) => h[b * cols + b] - h[a * cols + a] || a - b);
  // Work in sweep order: position j holds input order[j].
  const W = Float64Array.from({ length: rows * cols }, (_, i) => original[Math.floor(i / cols) * cols + order[i % cols]]);
  const G = invert(Float64Array.from({ length: cols * cols }, (_, i) => h[order[Math.floor(i / cols)] * cols + order[i % cols]]), cols);
  const params: Params[][] = Array.from({ length: rows }, () => []);
  const groupOfInput: number[] = Array.from({ length: cols }, (_, k) => Math.floor(k / g));
  if (spec.staticGroups) {
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < cols / g; q++) params[r][q] = groupParams(Array.from(original.subarray(r * cols + q * g, r * cols + (q + 1) * g)), spec);
    }
  } else {
    order.forEach((k, j) => (groupOfInput[k] = Math.floor(j / g)));
  }
  const codes: number[] = new Array(rows * cols);
  const dequantized = new Float64Array(rows * cols);
  let loss = 0;
  for (let j = 0; j < cols; j++) {
    const k = order[j];
    if (!spec.staticGroups && j % g === 0) {
      for (let r = 0; r < rows; r++) params[r][j / g] = groupParams(Array.from(W.subarray(r * cols + j, r * cols + j + g)), spec);
    }
    const pivot = G[j * cols + j];
    for (let r = 0; r < rows; r++) {
      const p = params[r][groupOfInput[k]];
      const wj = W[r * cols + j];
      const q = code(wj, p, spec.bits);
      codes[r * cols + k] = q;
      dequantized[r * cols + k] = value(q, p);
      const e = (wj - value(q, p)) / pivot;
      loss += ((wj - value(q, p)) ** 2 / pivot) / 2;
      for (let c = j; c < cols; c++) W[r * cols + c] -= e * G[j * cols + c];
    }
    // G ← G − G[:, j]·G[j, :] / G_jj: the inverse Hessian of the columns not yet quantized.
    const col = Array.from({ length: cols }, (_, i) => G[i * cols + j]);
    const row = Array.from({ length: cols }, (_, c) => G[j * cols + c]);
    for (let i = 0; i < cols; i++) for (let c = 0; c < cols; c++) G[i * cols + c] -= (col[i] * row[c]) / pivot;
  }
  return { codes, params, dequantized, gIdx: spec.actOrder ? groupOfInput : undefined, loss, h, original };
}

/** ½·Σ_r δ_r·H·δ_rᵀ for δ = a − b. */
export function halfQuadratic(a: ArrayLike<number>, b: ArrayLike<number>, h: Float64Array, rows: number, cols: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const d = Array.from({ length: cols }, (_, k) => a[r * cols + k] - b[r * cols + k]);
    for (let i = 0; i < cols; i++) for (let k = 0; k < cols; k++) total += d[i] * h[i * cols + k] * d[k];
  }
  return total / 2;
}
