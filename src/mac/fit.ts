// Position-weight fitting for encoded MACs (sc_encoded_mac.md §8.3, A.11): least squares / ridge over ALL 4^w
// operand pairs, s = v·Cᵀ·(C·Cᵀ + α·I)^−1 with C the (M [+1 constant]) × 4^w 0/1 matrix of encoded bits and v the
// target products. C·Cᵀ is built from bit-plane popcounts (popcount(plane_i AND plane_j)); the system is solved
// through a symmetric eigendecomposition (cyclic Jacobi) and a pseudo-inverse that drops eigenvalues below
// 1e−9·λ_max, so α = 0 works when code bits are collinear (minimum-norm solution). As in EncodingNet, α
// penalizes the constant's weight too.
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

/** Symmetric eigendecomposition by cyclic Jacobi rotations: A (n×n, row-major, destroyed) → eigenvalues + eigenvectors (columns of V). */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}

/** Minimum-norm solution of the symmetric system G·s = b (pseudo-inverse, eigenvalues ≤ 1e−9·λ_max dropped). */
function solveSymmetric(g: Float64Array, b: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(g, n);
  const top = values.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const s = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (!(Math.abs(values[k]) > 1e-9 * top)) continue;
    let proj = 0;
    for (let i = 0; i < n; i++) proj += vectors[i * n + k] * b[i];
    const f = proj / values[k];
    for (let i = 0; i < n; i++) s[i] += f * vectors[i * n + k];
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
  const weights = solveSymmetric(g, b, n);
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
