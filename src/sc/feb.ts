// Pieces shared by the SC layers (bs.sc.linear, bs.sc.conv2d, bs.sc.integralLinear): SC-DCNN feature-extraction
// block options (sc_encoded_mac.md §3.2–3.5) resolved once, the MUX select check, the saturating-counter FSM
// launch (Btanh / Stanh / NStanh are all S ← clamp(S + gain·c_t − offset)), and sums decoded from per-cycle counts.
import { BitsieveError } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { btanhStates, type ScOutputTiming, type ScThreshold } from './activations.js';
import { ENCODINGS, expectInt, expectOneOf } from './checks.js';
import type { ScEncoding } from './stream.js';

export type ScInnerProduct = 'apc' | 'exact' | 'mux';
export type ScLayerActivation = 'btanh' | 'stanh' | 'none';

/** The feature-extraction-block choices common to bs.sc.linear and bs.sc.conv2d. */
export interface ScFebOptions {
  /** 'bipolar' (default): values in [−1, 1], XNOR products; 'unipolar': [0, 1], AND products. */
  encoding?: ScEncoding;
  /** Inner-product block. Default 'apc'. */
  innerProduct?: ScInnerProduct;
  /** Default: 'btanh' after 'apc' / 'exact', 'stanh' after 'mux'; 'none' returns the sums only. */
  activation?: ScLayerActivation;
  /**
   * FSM states. Btanh: r, default Kim's rule btanhStates(n, weightScale) (= 2n for s = 1: ≈ tanh(Σ w·x));
   * Stanh after the MUX: K, default 2n (the MUX scales by 1/n, K/2 = n restores tanh(Σ w·x)).
   */
  states?: number;
  /** Kim's weight-scaling factor s ∈ (0, 1] for the default Btanh state count. Default 1. */
  weightScale?: number;
  /** FSM output timing; defaults as bs.sc.btanh ('afterUpdate') and bs.sc.stanh ('beforeUpdate'). */
  outputTiming?: ScOutputTiming;
  /** FSM threshold: output 1 when the state is ≥ (default) or > half the states. */
  threshold?: ScThreshold;
  /** 'mux' only: the select index of every cycle, integers in [0, n) (e.g. from a seeded uniform source). */
  select?: ArrayLike<number>;
}

/** Resolved, validated block choices. */
export interface Feb {
  encoding: ScEncoding;
  innerProduct: ScInnerProduct;
  activation: ScLayerActivation;
  /** FSM states (0 with activation 'none'). */
  states: number;
  timing: ScOutputTiming;
  threshold: ScThreshold;
}

const INNER: readonly ScInnerProduct[] = ['apc', 'exact', 'mux'];
const ACTIVATIONS: readonly ScLayerActivation[] = ['btanh', 'stanh', 'none'];

/** Validates the block options of an n-input inner product (MUX → Stanh, counters → Btanh). */
export function resolveFeb(name: string, n: number, options: ScFebOptions): Feb {
  const encoding = expectOneOf(`${name} encoding`, options.encoding ?? 'bipolar', ENCODINGS);
  const innerProduct = expectOneOf(`${name} innerProduct`, options.innerProduct ?? 'apc', INNER);
  const mux = innerProduct === 'mux';
  const activation = expectOneOf(`${name} activation`, options.activation ?? (mux ? 'stanh' : 'btanh'), ACTIVATIONS);
  if (activation === (mux ? 'btanh' : 'stanh')) {
    throw new BitsieveError('E_UNSUPPORTED', `${name}: ${activation} does not follow the ${innerProduct} block (MUX → stanh, counters → btanh)`);
  }
  const timing = expectOneOf(`${name} outputTiming`, options.outputTiming ?? (mux ? 'beforeUpdate' : 'afterUpdate'), ['beforeUpdate', 'afterUpdate'] as const);
  const threshold = expectOneOf(`${name} threshold`, options.threshold ?? 'ge', ['ge', 'gt'] as const);
  let states = 0;
  if (activation !== 'none') {
    states = expectInt(`${name} states`, options.states ?? (mux ? 2 * n : btanhStates(n, options.weightScale ?? 1)), 2, 1 << 30);
    if (states % 2 !== 0) throw new BitsieveError('E_RANGE', `${name} states: expected an even number, received ${states}`);
  }
  return { encoding, innerProduct, activation, states, timing, threshold };
}

/** One select index per cycle, each an integer in [0, n), as the u16 array sc_mux_index reads. */
export function checkSelect(name: string, select: ArrayLike<number> | undefined, length: number, n: number): Uint16Array {
  if (select === undefined || select === null || typeof select.length !== 'number' || select.length !== length) {
    throw new BitsieveError('E_SHAPE', `${name}: a MUX needs one select index per cycle (${length}), received ${select == null ? 'none' : `${select.length}`}`);
  }
  const idx = new Uint16Array(length);
  for (let t = 0; t < length; t++) {
    const v = select[t];
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new BitsieveError('E_RANGE', `${name}[${t}]: expected an integer in [0, ${n}), received ${v}`);
    idx[t] = v;
  }
  return idx;
}

/** How a lane's per-cycle count c_t drives its FSM and its decoded value: value_t = gain·c_t − offset. */
export interface CountScale {
  gain: number;
  offset: number;
}

/** The per-cycle value of a count of `inputs` products (or a single stream, inputs = 1) in an encoding. */
export function countScale(encoding: ScEncoding, inputs: number): CountScale {
  return encoding === 'bipolar' ? { gain: 2, offset: inputs } : { gain: 1, offset: 0 };
}

/**
 * Saturating-counter FSM per lane on u16 counts (pitch per lane) into `out` (zeroed, lanes streams):
 * S ← clamp(S + gain·c_t − offset, 0, states − 1), reset states/2, output against states/2.
 */
export function runCounterFsm(runtime: Runtime, counts: number, out: number, lanes: number, pitch: number, length: number, stride: number, states: number, scale: CountScale, timing: ScOutputTiming, threshold: ScThreshold): void {
  const half = states / 2;
  runtime.kernels.sc_fsm_counter(counts, out, lanes, pitch, length, stride, states, half, scale.gain, scale.offset, half, threshold === 'gt' ? 1 : 0, timing === 'afterUpdate' ? 1 : 0);
}

/**
 * sums[at + j] = factor · (1/L)·Σ_t (gain·c_jt − offset) for each of `lanes` rows of u16 counts, read as u32 pairs
 * (pitch is even; an odd last cycle is added alone; cycles past L are never read).
 */
export function decodeSums(pairs: Uint32Array, lanes: number, pitch: number, length: number, scale: CountScale, factor: number, sums: Float64Array, at: number): void {
  const half = length >> 1;
  for (let j = 0; j < lanes; j++) {
    const row = (j * pitch) >> 1;
    let total = 0;
    for (let i = row; i < row + half; i++) {
      const v = pairs[i];
      total += (v & 0xffff) + (v >>> 16);
    }
    if (length & 1) total += pairs[row + half] & 0xffff;
    sums[at + j] = factor * ((scale.gain * total) / length - scale.offset);
  }
}
