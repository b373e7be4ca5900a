// Position-weight fitting for encoded MACs (sc_encoded_mac.md §8.3, A.11): least squares / ridge over ALL 4^w
// operand pairs, s = v·Cᵀ·(C·Cᵀ + α·I)^−1 with C the (M [+1 constant]) × 4^w 0/1 matrix of encoded bits and v the
// target products. C·Cᵀ is built from bit-plane popcounts (popcount(plane_i AND plane_j)); the system is solved
// by Cholesky with diagonal pivoting that stops at the numerical rank, so α = 0 works when code bits are
// collinear (a basic solution: bits dependent on earlier pivots get weight 0). As in EncodingNet, α penalizes
// the constant's weight too.
// Selection keeps the M outputs with the largest |s| (the constant row, when fitted, is always kept and not
// counted in M — EncodingNet lets it compete; here it is a separate option of the encoder) and refits.
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectInteger } from '../runtime/validate.js';
import { allPairPlanes, checkEncoder, checkNetlist, type CheckedNetlist, type Encoder, type Netlist } from './netlist.js';
import { codeValue } from './operands.js';

export interface FitOptions {
  /** Ridge parameter α ≥ 0. Default 0 (exact least squares). */
  alpha?: number;
  /** Fit a constant-1 row (its weight comes last). Default true. */
  constant?: boolean;
  /** Target value of the product of signed operands (a, w). Default a·w. */
  target?: (a: number, w: number) => number;
}

export interface FitResult {
  /** The netlist with `constant` set as fitted. */
  netlist: Netlist;
  /** Fitted weights: one per output, then the constant's. */
  weights: Float64Array;
  /** max over all pairs of |ŝ·C − v| / max|v|. */
  maxRelativeError: number;
  /** mean over all pairs of |ŝ·C − v|. */
  meanAbsError: number;
}

/** Targets v over all pairs, pair p = activation code · 2^w + weight code. */
function targets(bits: number, target: (a: number, w: number) => number): Float64Array {
  const dim = 1 << bits;
  const v = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let w = 0; w < dim; w++) {
      const t = target(codeValue(a, bits), codeValue(w, bits));
      if (!Number.isFinite(t)) throw new BitsieveError('E_RANGE', `fit target: expected finite values, received ${t} for (${codeValue(a, bits)}, ${codeValue(w, bits)})`);
      v[a * dim + w] = t;
    }
  }
  return v;
}

/** Planes of the fitted rows over all pairs (outputs, then an all-ones constant), unused high bits cleared. */
function rowPlanes(checked: CheckedNetlist, constant: boolean): Int32Array[] {
  const planes = allPairPlanes(checked);
  const pairs = 1 << (2 * checked.bits);
  const words = Math.ceil(pairs / 32);
  const lastMask = pairs % 32 === 0 ? -1 : (1 << pairs % 32) - 1;
  const rows = checked.netlist.outputs.map((id) => {
    const p = planes[id].slice();
    p[words - 1] &= lastMask;
    return p;
  });
  if (constant) {
    const ones = new Int32Array(words).fill(-1);
    ones[words - 1] = lastMask;
    rows.push(ones);
  }
  return rows;
}

const POP16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (i & 1) + t[i >> 1];
  return t;
})();

function andOnes(x: Int32Array, y: Int32Array): number {
  let c = 0;
  for (let t = 0; t < x.length; t++) {
    const v = x[t] & y[t];
    c += POP16[v & 0xffff] + POP16[v >>> 16];
  }
  return c;
}

/**
 * A solution of the symmetric positive semi-definite system G·s = b (n × n, row-major, destroyed) by Cholesky with
 * diagonal pivoting: the variable with the largest remaining diagonal goes next, and the factorization stops when
 * that diagonal is ≤ 1e−10 · the largest initial one. Variables left out (bits that are linear combinations of the
 * chosen ones) get weight 0, so α = 0 works on collinear codes; on full-rank systems this is the exact solution.
 */
export function solvePivotedCholesky(g: Float64Array, b: Float64Array, n: number): Float64Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, g[i * n + i]);
  const tol = 1e-10 * top;
  let rank = 0;
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let j = k + 1; j < n; j++) if (g[perm[j] * n + perm[j]] > g[perm[best] * n + perm[best]]) best = j;
    if (!(g[perm[best] * n + perm[best]] > tol)) break;
    [perm[k], perm[best]] = [perm[best], perm[k]];
    const pk = perm[k];
    const d = Math.sqrt(g[pk * n + pk]);
    g[pk * n + pk] = d;
    for (let i = k + 1; i < n; i++) g[perm[i] * n + pk] /= d; // column k of L, stored in row perm[i]
    for (let i = k + 1; i < n; i++) {
      const pi = perm[i];
      const lik = g[pi * n + pk];
      if (lik === 0) continue;
      for (let j = k + 1; j <= i; j++) {
        const pj = perm[j];
        const v = g[pi * n + pj] - lik * g[pj * n + pk];
        g[pi * n + pj] = v;
        g[pj * n + pi] = v;
      }
    }
    rank = k + 1;
  }
  // L·y = P·b, then Lᵀ·z = y over the first `rank` pivots. L[i][k] (i > k) is at g[perm[i] * n + perm[k]].
  const y = new Float64Array(rank);
  for (let i = 0; i < rank; i++) {
    let v = b[perm[i]];
    for (let k = 0; k < i; k++) v -= g[perm[i] * n + perm[k]] * y[k];
    y[i] = v / g[perm[i] * n + perm[i]];
  }
  const s = new Float64Array(n);
  for (let i = rank - 1; i >= 0; i--) {
    let v = y[i];
    for (let j = i + 1; j < rank; j++) v -= g[perm[j] * n + perm[i]] * s[perm[j]];
    s[perm[i]] = v / g[perm[i] * n + perm[i]];
  }
  return s;
}

/** Exhaustive error of weights `s` on rows `rows` against targets v. */
function errorOf(rows: Int32Array[], s: ArrayLike<number>, v: Float64Array): { maxRelativeError: number; meanAbsError: number } {
  const pairs = v.length;
  const predicted = new Float64Array(pairs);
  rows.forEach((plane, i) => {
    const si = s[i];
    if (si === 0) return;
    for (let p = 0; p < pairs; p++) if ((plane[p >> 5] >>> (p & 31)) & 1) predicted[p] += si;
  });
  let maxErr = 0;
  let sumErr = 0;
  let maxV = 0;
  for (let p = 0; p < pairs; p++) {
    const e = Math.abs(predicted[p] - v[p]);
    maxErr = Math.max(maxErr, e);
    sumErr += e;
    maxV = Math.max(maxV, Math.abs(v[p]));
  }
  return { maxRelativeError: maxV > 0 ? maxErr / maxV : maxErr, meanAbsError: sumErr / pairs };
}

function fitOptions(options: unknown): Required<FitOptions> {
  if (typeof options !== 'object' || options === null) throw new BitsieveError('E_DTYPE', `fit options: expected an object, received ${describe(options)}`);
  const { alpha = 0, constant = true, target = (a: number, w: number) => a * w } = options as FitOptions;
  if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw new BitsieveError('E_RANGE', `fit alpha: expected a finite number ≥ 0, received ${describe(alpha)}`);
  if (typeof constant !== 'boolean') throw new BitsieveError('E_DTYPE', `fit constant: expected a boolean, received ${describe(constant)}`);
  if (typeof target !== 'function') throw new BitsieveError('E_DTYPE', `fit target: expected a function (a, w) => number, received ${describe(target)}`);
  return { alpha, constant, target };
}

/**
 * Fits position weights for `netlist`'s outputs (+ a constant) over all 4^w operand pairs (see the file comment).
 * Defaults: alpha 0, constant true, target a·w.
 * @example const fit = fitPositionWeights(identityEncoder(4).netlist); // fit.weights ≈ [-128, 64, …, 1, 0]
 */
export function fitPositionWeights(netlist: Netlist, options: FitOptions = {}): FitResult {
  const { alpha, constant, target } = fitOptions(options);
  const checked = checkNetlist('fitPositionWeights netlist', netlist);
  return fitChecked(checked, alpha, constant, target);
}

function fitChecked(checked: CheckedNetlist, alpha: number, constant: boolean, target: (a: number, w: number) => number): FitResult {
  const v = targets(checked.bits, target);
  const rows = rowPlanes(checked, constant);
  const n = rows.length;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) g[i * n + j] = g[j * n + i] = andOnes(rows[i], rows[j]);
    g[i * n + i] += alpha;
  }
  const b = new Float64Array(n);
  rows.forEach((plane, i) => {
    let sum = 0;
    for (let p = 0; p < v.length; p++) if ((plane[p >> 5] >>> (p & 31)) & 1) sum += v[p];
    b[i] = sum;
  });
  const weights = solvePivotedCholesky(g, b, n);
  return { netlist: { ...checked.netlist, constant }, weights, ...errorOf(rows, weights, v) };
}

/**
 * Exhaustive error of an encoder (its own weights, e.g. rounded ones) against the target over all 4^w pairs.
 * @example encoderError(identityEncoder(8)).maxRelativeError === 0
 */
export function encoderError(encoder: Encoder, target: (a: number, w: number) => number = (a, w) => a * w): { maxRelativeError: number; meanAbsError: number } {
  const checked = checkEncoder('encoderError encoder', encoder);
  return errorOf(rowPlanes(checked, checked.netlist.constant ?? false), checked.weights, targets(checked.bits, target));
}

/**
 * Keeps the `count` outputs with the largest |weight| (ties: lower position first; positions keep their order;
 * the constant, if any, is kept and not counted) and refits their weights with `options` (defaults as
 * fitPositionWeights; constant defaults to the given netlist's).
 * @example const fit48 = selectOutputs(fitPositionWeights(net), 48);
 */
export function selectOutputs(fit: { netlist: Netlist; weights: ArrayLike<number> }, count: number, options: FitOptions = {}): FitResult {
  const checked = checkNetlist('selectOutputs netlist', fit?.netlist);
  const m = checked.netlist.outputs.length;
  const constant = options.constant ?? checked.netlist.constant ?? false;
  const want = m + (checked.netlist.constant ? 1 : 0);
  if (!fit.weights || fit.weights.length !== want) throw new BitsieveError('E_SHAPE', `selectOutputs weights: expected ${want} weights, received ${fit.weights?.length}`);
  expectInteger('selectOutputs count', count, 1, m);
  const ranked = Array.from({ length: m }, (_, i) => i).sort((p, q) => Math.abs(fit.weights[q]) - Math.abs(fit.weights[p]) || p - q);
  const keep = ranked.slice(0, count).sort((p, q) => p - q);
  const netlist: Netlist = { ...checked.netlist, outputs: keep.map((i) => checked.netlist.outputs[i]), constant };
  const { alpha, target } = fitOptions(options);
  return fitChecked(checkNetlist('selectOutputs netlist', netlist), alpha, constant, target);
}
