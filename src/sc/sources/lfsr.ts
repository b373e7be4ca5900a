// LFSR number sources (sc_encoded_mac.md §1.2, §1.5, §10). State s is an n-bit unsigned integer, stage k = bit k−1.
//   'fibonacci-xor'  (default) f = XOR of the tapped stages; s' = ((s << 1) | f) mod 2^n. Lock-up state: 0.
//   'fibonacci-xnor' (Xilinx XAPP052) f = NOT XOR …; same shift. Lock-up state: all ones (so seed 0 is legal).
//   'galois'         shift right: s' = (s >> 1) XOR (s & 1 ? mask : 0), mask = Σ 2^(t−1) over the taps.
// The value at cycle t is the state BEFORE the t-th update (R_0 = the state after `phase` steps from `seed`).
//
// Bias consequences (§1.2): a maximal register visits each non-lock-up state once per period 2^n − 1, so over one
// full period the XOR forms produce every value 1..2^n − 1 once (0 never): the comparator `X > R` then counts
// X − 1 ones, i.e. encodes (X − 1)/(2^n − 1) rather than X/2^n; over 2^n cycles (one value repeated) the count is
// X − 1 + [R_0 < X]. `insertZero` removes the bias: it splices the lock-up state into the cycle (de Bruijn
// sequence, period 2^n), so one period is a permutation of 0..2^n − 1 and the count is exactly X.
//
// Seeds and phases: every non-lock-up seed is a phase (a cyclic shift) of ONE sequence per (form, taps); streams
// with different seeds are shifted copies, and small shifts are strongly correlated (seeds 1, 2, 4, … are
// consecutive states of the shift-left form). `lfsrPhaseOf` gives a state's phase. Decorrelation by one shared
// register read differently per consumer (§1.5 item 3) is the `view` option: pick a subset/order of stages,
// reverse or rotate the value before the comparator.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { popcount32 } from '../stream.js';
import { checkTaps, LFSR_MAX_WIDTH, LFSR_MIN_WIDTH, maximalTaps, tapMask } from './lfsr-taps.js';
import { expectInt, expectLength, type ScSource } from './source.js';

export type LfsrForm = 'fibonacci-xor' | 'fibonacci-xnor' | 'galois';

/** How the register state becomes the w-bit number compared against (§0 choice 3). Applied in this order:
 *  `stages` (selection), then `reverse`, then `rotate`. Default: the whole state as an unsigned integer. */
export interface LfsrView {
  /** Stages (1..n) forming the value, least significant first: value bit j = stage stages[j]. The value has
   *  stages.length bits. Default: [1, 2, …, n]. */
  stages?: readonly number[];
  /** Reverse the value's bits (MSB ↔ LSB). Default false. */
  reverse?: boolean;
  /** Rotate the value left by this many bits (circularly, within its width). Default 0. */
  rotate?: number;
}

export interface LfsrOptions {
  /** Register width n, 4..32. */
  width: number;
  /** Register form. Default 'fibonacci-xor'. */
  form?: LfsrForm;
  /** Tapped stages (1..n, must include n). Default: the XAPP052 maximal taps for n (`maximalTaps(n)`). */
  taps?: readonly number[];
  /** Accept custom taps that are not maximal-length (checked algebraically). Default false. */
  allowNonMaximal?: boolean;
  /** Initial state, an integer in [0, 2^n). Must not be the lock-up state (0 for the XOR forms, 2^n − 1 for XNOR)
   *  unless `insertZero` is set. Default: 1 for the XOR forms, 0 for XNOR. */
  seed?: number;
  /** Steps taken from `seed` before cycle 0 (a phase offset into the same sequence). Default 0. */
  phase?: number;
  /** Splice the lock-up state into the cycle (period 2^n, unbiased counts; see the file comment). Default false.
   *  The inserted state comes after 2^(n−1) for 'fibonacci-xor' (2^(n−1) → 0 → 1), after 2^(n−1) − 1 for
   *  'fibonacci-xnor' (→ all ones → all ones − 1) and after 1 for 'galois' (1 → 0 → mask). */
  insertZero?: boolean;
  /** Values to produce. Default: one period (2^n − 1, or 2^n with insertZero); required when that exceeds 2^28. */
  length?: number;
  /** State → number mapping. Default: the whole state. */
  view?: LfsrView;
}

interface Register {
  width: number;
  form: LfsrForm;
  mask: number;
  insertZero: boolean;
}

function lockState(r: Register): number {
  return r.form === 'fibonacci-xnor' ? 2 ** r.width - 1 : 0;
}

function step(r: Register, s: number): number {
  const full = 2 ** r.width - 1;
  if (r.form === 'galois') {
    let feed = s & 1;
    if (r.insertZero && s >>> 1 === 0) feed ^= 1; // 1 → 0 → mask instead of 1 → mask
    return ((s >>> 1) ^ (feed ? r.mask : 0)) >>> 0;
  }
  let f = popcount32((s & r.mask) >>> 0) & 1;
  if (r.form === 'fibonacci-xnor') f ^= 1;
  if (r.insertZero) {
    const low = full >>> 1;
    const lowBits = (s & low) >>> 0;
    if (lowBits === (r.form === 'fibonacci-xnor' ? low : 0)) f ^= 1;
  }
  return (((s * 2) & full) | f) >>> 0; // s * 2 keeps bit 31 out of the sign for n = 32
}

function register(options: LfsrOptions): Register {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', `lfsr options: expected an object, received ${describe(options)}`);
  const width = expectInt('lfsr width', options.width, LFSR_MIN_WIDTH, LFSR_MAX_WIDTH);
  const form = options.form ?? 'fibonacci-xor';
  if (form !== 'fibonacci-xor' && form !== 'fibonacci-xnor' && form !== 'galois') {
    throw new BitsieveError('E_RANGE', `lfsr form: expected 'fibonacci-xor', 'fibonacci-xnor' or 'galois', received ${describe(form)}`);
  }
  const taps = options.taps === undefined ? maximalTaps(width) : checkTaps(width, options.taps, options.allowNonMaximal ?? false);
  return { width, form, mask: tapMask(taps), insertZero: options.insertZero ?? false };
}

function initialState(r: Register, options: LfsrOptions): number {
  const seed = expectInt('lfsr seed', options.seed ?? (r.form === 'fibonacci-xnor' ? 0 : 1), 0, 2 ** r.width - 1);
  if (!r.insertZero && seed === lockState(r)) {
    throw new BitsieveError('E_RANGE', `lfsr seed: ${seed} is the lock-up state of a ${r.form} register (it never leaves it); use another seed or insertZero`);
  }
  const phase = expectInt('lfsr phase', options.phase ?? 0, 0, Number.MAX_SAFE_INTEGER);
  // Maximal registers repeat every 2^n − 1 (2^n) steps: only the phase modulo the period is walked.
  const steps = options.allowNonMaximal ? phase : phase % (2 ** r.width - (r.insertZero ? 0 : 1));
  let s = seed;
  for (let k = 0; k < steps; k++) s = step(r, s);
  return s;
}

/** The period of the register: 2^n − 1 for maximal taps (2^n with insertZero); measured for non-maximal taps. */
function period(r: Register, seed: number, allowNonMaximal: boolean): number {
  if (!allowNonMaximal) return 2 ** r.width - (r.insertZero ? 0 : 1);
  let s = step(r, seed);
  let n = 1;
  while (s !== seed) {
    s = step(r, s);
    n++;
  }
  return n;
}

function viewOf(width: number, view: LfsrView | undefined): (s: number) => number {
  if (view === undefined) return (s) => s;
  const stages = view.stages ?? Array.from({ length: width }, (_, k) => k + 1);
  if (!Array.isArray(stages) || stages.length === 0 || stages.length > 32) {
    throw new BitsieveError('E_RANGE', `lfsr view.stages: expected 1..32 stages, received ${describe(stages)}`);
  }
  for (const k of stages) expectInt('lfsr view.stages[]', k, 1, width);
  const bits = stages.length;
  const rotate = expectInt('lfsr view.rotate', view.rotate ?? 0, 0, bits - 1);
  const reverse = view.reverse ?? false;
  return (s) => {
    let v = 0;
    for (let j = 0; j < bits; j++) v += ((s >>> (stages[j] - 1)) & 1) * 2 ** (reverse ? bits - 1 - j : j);
    if (rotate === 0) return v;
    const hi = Math.floor(v / 2 ** (bits - rotate));
    return ((v * 2 ** rotate) % 2 ** bits) + hi;
  };
}

/** Bits of the values an LFSR source with this view produces. */
function viewBits(width: number, view: LfsrView | undefined): number {
  return view?.stages?.length ?? width;
}

/**
 * An LFSR number source: the register's values R_0 … R_{L−1} (state before each update, mapped by `view`).
 *
 * Bias: one full period (2^n − 1 values) never contains the lock-up state, so the comparator `X > R` counts
 * X − 1 ones (not X) over a period of an XOR-form register, and X − 1 + [R_0 < X] over 2^n cycles; set
 * `insertZero` for a period of 2^n that is a permutation of 0..2^n − 1 (count exactly X).
 *
 * @example
 * ```ts
 * const r = lfsr({ width: 8 });                 // Fibonacci XOR, taps 8,6,5,4, seed 1: 1, 2, 4, 8, 17, …
 * r.values.length;                              // 255 (one period)
 * const s = lfsr({ width: 8, insertZero: true }); // 256 values: a permutation of 0..255
 * ```
 */
export function lfsr(options: LfsrOptions): ScSource {
  const r = register(options);
  const s0 = initialState(r, options);
  const length = options.length === undefined ? period(r, s0, options.allowNonMaximal ?? false) : expectLength('lfsr length', options.length);
  if (length > 2 ** 28) throw new BitsieveError('E_RANGE', `lfsr length: a period of ${length} values is too large to materialize; pass length ≤ 2^28`);
  const map = viewOf(r.width, options.view);
  const values = new Uint32Array(length);
  let s = s0;
  for (let t = 0; t < length; t++) {
    values[t] = map(s);
    s = step(r, s);
  }
  return { bits: viewBits(r.width, options.view), values };
}

/** The phase of `state` in the sequence that `options` (form, taps, seed, insertZero) define: the number of steps
 *  from the seed to reach it, or −1 if the sequence never visits it (e.g. the lock-up state). */
export function lfsrPhaseOf(state: number, options: LfsrOptions): number {
  const r = register(options);
  const s0 = initialState(r, { ...options, phase: 0 });
  expectInt('lfsr state', state, 0, 2 ** r.width - 1);
  let s = s0;
  let k = 0;
  do {
    if (s === state) return k;
    s = step(r, s);
    k++;
  } while (s !== s0);
  return -1;
}
