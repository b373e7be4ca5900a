// Switching-activity model of a weight-stationary MAC, after PowerPruning (Petri, Zhang, Chen, Schlichtmann, Li,
// "PowerPruning: Selecting Weights and Activations for Power-Efficient Neural Network Acceleration", DAC 2023).
// PowerPruning measures, per weight value, the average power of a synthesized MAC unit of a weight-stationary
// systolic array while the activation stream passes (gate-level power analysis), then retrains the network
// restricted to the low-power weight values. This module replaces the gate-level power with a toggle-count proxy
// that needs no netlist, counting bits that change between two consecutive activations x → x' while the weight
// w stays in place:
//   operand          Hamming distance between the w-bit activation codes (the same for every weight; with
//                    'sign-magnitude' the register holds a sign bit and the w-bit magnitude);
//   partialProducts  PP bits x_i AND w_j of the array multiplier that change. Baugh–Wooley (signed default)
//                    inverts some PP bits (NAND), which does not change whether they toggle, so this is
//                    popcount(code(w)) · HD(code(x), code(x')); with signedForm 'sign-magnitude' the PP array
//                    sees the magnitudes: popcount(|w|) · HD(|x|, |x'|);
//   product          product register bits that change: the 2w-bit two's-complement pattern of x·w (unsigned:
//                    2w-bit unsigned), or with 'sign-magnitude' a sign bit (set iff x·w < 0) plus a (2w − 1)-bit
//                    magnitude.
// The total is Σ component · model weight (default 1 each). The accumulator's toggles are not modelled (they
// depend on the partial-sum stream, not on the weight alone).
// Activations come either as a sample sequence (the average over its consecutive pairs) or as a histogram over
// the activation codes (the exact expectation for two independent draws: per output bit, 2·q·(1 − q)).
import { BitsieveError, describe } from '../../runtime/errors.js';
import { operandOptions, type SignedForm } from '../approx/multipliers.js';
import { popcount32 } from '../../sc/stream.js';

export interface ToggleModel {
  /** Cost of one activation-operand toggle (default 1). */
  operand?: number;
  /** Cost of one partial-product toggle (default 1). */
  partialProducts?: number;
  /** Cost of one product-bit toggle (default 1). */
  product?: number;
}

export interface ToggleTableOptions {
  /** Operand width w, 2..8 (default 8). */
  bits?: number;
  /** Activation sample sequence in stream order (values, length ≥ 2): Int8Array when signed, Uint8Array when not. */
  activations?: Int8Array | Uint8Array;
  /** Activation histogram instead of a sequence: 2^w non-negative counts or probabilities indexed by code. */
  histogram?: ArrayLike<number>;
  /** Two's-complement operands (default true). */
  signed?: boolean;
  /** How signed operands reach the PP array (default 'baugh-wooley'). */
  signedForm?: SignedForm;
  model?: ToggleModel;
}

/** Average toggles per MAC for each weight, indexed by weight code (the w-bit pattern). */
export interface ToggleTable {
  bits: number;
  signed: boolean;
  signedForm: SignedForm;
  /** Σ component · model cost. */
  total: Float64Array;
  operand: Float64Array;
  partialProducts: Float64Array;
  product: Float64Array;
}

/**
 * Average MAC toggle counts per weight value over an activation distribution.
 * Example: `toggleTable({ activations: Int8Array.from([3, -1, 7, 0]) }).total[5]`.
 * Defaults: bits 8, signed true, signedForm 'baugh-wooley', model costs 1.
 */
export function toggleTable(options: ToggleTableOptions): ToggleTable {
  if (typeof options !== 'object' || options === null) throw new BitsieveError('E_RANGE', `toggleTable: expected an options object, received ${describe(options)}`);
  const { w, signed, signedForm } = operandOptions('toggleTable', options, 8);
  const model = options.model ?? {};
  const cost = (name: keyof ToggleModel) => {
    const c = model[name] ?? 1;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new BitsieveError('E_RANGE', `toggleTable model.${name}: expected a finite number ≥ 0, received ${describe(c)}`);
    return c;
  };
  const costs = { operand: cost('operand'), partialProducts: cost('partialProducts'), product: cost('product') };
  const n = 1 << w;
  const mask = n - 1;
  const min = signed ? -(n >> 1) : 0;
  const max = signed ? (n >> 1) - 1 : n - 1;
  const decode = (code: number) => (signed && code > max ? code - n : code);
  const magnitudeForm = signed && signedForm === 'sign-magnitude';
  // The bits each register holds for activation code c (and weight code v).
  const magnitudeBits = (c: number) => (magnitudeForm ? Math.abs(decode(c)) : c);
  const operandBits = (c: number) => (magnitudeForm ? (decode(c) < 0 ? n : 0) + Math.abs(decode(c)) : c);
  const productBits = (c: number, v: number) => {
    const p = decode(c) * decode(v);
    if (magnitudeForm) return (p < 0 ? 2 ** (2 * w - 1) : 0) + Math.abs(p);
    return p < 0 ? p + 2 ** (2 * w) : p;
  };

  // Pair weights: pairs[c·n + c'] = probability of the transition c → c'.
  let pairs: Float64Array | undefined;
  let marginal: Float64Array | undefined;
  if ((options.activations === undefined) === (options.histogram === undefined)) {
    throw new BitsieveError('E_RANGE', 'toggleTable: expected exactly one of activations (a sequence) or histogram');
  }
  if (options.activations !== undefined) {
    const seq = options.activations;
    const want = signed ? Int8Array : Uint8Array;
    if (!(seq instanceof want)) throw new BitsieveError('E_DTYPE', `toggleTable activations: expected ${want.name} (signed ${signed}), received ${describe(seq)}`);
    if (seq.length < 2) throw new BitsieveError('E_SHAPE', `toggleTable activations: expected at least 2 samples, received ${seq.length}`);
    for (let t = 0; t < seq.length; t++) {
      if (seq[t] < min || seq[t] > max) throw new BitsieveError('E_RANGE', `toggleTable activations[${t}]: expected a ${w}-bit value in [${min}, ${max}], received ${seq[t]}`);
    }
    pairs = new Float64Array(n * n);
    const share = 1 / (seq.length - 1);
    for (let t = 1; t < seq.length; t++) pairs[(seq[t - 1] & mask) * n + (seq[t] & mask)] += share;
  } else {
    const h = options.histogram!;
    if (typeof h !== 'object' || h === null || h.length !== n) throw new BitsieveError('E_SHAPE', `toggleTable histogram: expected ${n} entries (one per ${w}-bit code), received ${describe(h)}`);
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const v = h[c];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BitsieveError('E_RANGE', `toggleTable histogram[${c}]: expected a finite number ≥ 0, received ${describe(v)}`);
      sum += v;
    }
    if (!(sum > 0)) throw new BitsieveError('E_RANGE', 'toggleTable histogram: expected a positive total');
    marginal = Float64Array.from({ length: n }, (_, c) => h[c] / sum);
  }

  const operand = new Float64Array(n);
  const partialProducts = new Float64Array(n);
  const product = new Float64Array(n);
  // Expected Hamming distance of a register f(x) between consecutive draws.
  const expectedDistance = (f: (c: number) => number, width: number): number => {
    if (pairs) {
      let e = 0;
      for (let c = 0; c < n; c++) {
        const fc = f(c);
        for (let d = 0; d < n; d++) {
          const p = pairs[c * n + d];
          if (p !== 0) e += p * popcount32(fc ^ f(d)); // registers ≤ 16 bits: 32-bit XOR is exact
        }
      }
      return e;
    }
    // Independent draws: per bit, P(differs) = 2·q·(1 − q) with q = P(bit = 1).
    const q = new Float64Array(width);
    for (let c = 0; c < n; c++) {
      const v = f(c);
      for (let b = 0; b < width; b++) if (Math.floor(v / 2 ** b) % 2 === 1) q[b] += marginal![c];
    }
    let e = 0;
    for (let b = 0; b < width; b++) e += 2 * q[b] * (1 - q[b]);
    return e;
  };
  const operandDistance = expectedDistance(operandBits, magnitudeForm ? w + 1 : w);
  const arrayDistance = magnitudeForm ? expectedDistance(magnitudeBits, w) : operandDistance;
  for (let v = 0; v < n; v++) {
    operand[v] = operandDistance;
    partialProducts[v] = popcount32(magnitudeBits(v)) * arrayDistance;
    product[v] = expectedDistance((c) => productBits(c, v), 2 * w);
  }
  const total = Float64Array.from({ length: n }, (_, v) => costs.operand * operand[v] + costs.partialProducts * partialProducts[v] + costs.product * product[v]);
  return { bits: w, signed, signedForm, total, operand, partialProducts, product };
}
