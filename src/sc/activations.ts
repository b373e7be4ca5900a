// FSM activations (sc_encoded_mac.md §2.6, §2.7, §3.4, §4, §5, §10): Stanh, Btanh (Kim's state-count rule),
// NStanh for integral streams, UnarySim's FSUReLU and FSUAdd, and the logistic reading of a tanh FSM. Each takes
// one input per neuron (a stream, a group of integral planes, or per-cycle counts) and returns one stream per
// neuron. Kernels: assembly/sc/counters.ts (stream → per-cycle values) and assembly/sc/fsm.ts.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { ENCODINGS, expectBatch, expectGroups, expectInt, expectOneOf } from './checks.js';
import { CycleCounts } from './counters.js';
import { withScratch } from './scratch.js';
import { StreamBatch, streamStride, type ScEncoding } from './stream.js';

/** Which state drives the output: before this cycle's update (Moore) or after it. */
export type ScOutputTiming = 'beforeUpdate' | 'afterUpdate';
/** Output 1 when the state is ≥ (ge) or > (gt) the threshold (half the states). */
export type ScThreshold = 'ge' | 'gt';

export interface FsmOptions {
  /** Default: 'beforeUpdate' for Stanh / NStanh (UnarySim, SCSimulation), 'afterUpdate' for Btanh (§10). */
  outputTiming?: ScOutputTiming;
  /** Default 'ge': output 1 iff state ≥ states/2. */
  threshold?: ScThreshold;
}

export interface StanhOptions extends FsmOptions {
  /** K, even, ≥ 2 (default 4): y ≈ tanh(K·x/2) for a bipolar input x; exactly tanh((K/2)·artanh(x)) at steady state. */
  states?: number;
}

export interface BtanhOptions extends FsmOptions {
  /** r, even, ≥ 2. Default: Kim's rule `btanhStates(n, weightScale)` (= 2n for s = 1: y ≈ tanh(Σ_i w_i x_i)). */
  states?: number;
  /** s ∈ (0, 1], the factor the weights were scaled down by to fit [−1, 1] (default 1); used only without `states`. */
  weightScale?: number;
}

export interface NStanhOptions extends FsmOptions {
  /** m: binary planes per integral stream (the batch holds neurons × m streams). Default 1. */
  planes?: number;
  /** N (default 4): the counter has m·N states (m·N even), reset m·N/2; y ≈ tanh(N·X/2). */
  states?: number;
}

interface Fsm {
  states: number;
  gain: number;
  offset: number;
  timing: ScOutputTiming;
  threshold: ScThreshold;
}

/** Kim et al. (DAC 2016) state count for Btanh after an n-input APC with weight scaling s ∈ (0, 1]. */
export function btanhStates(n: number, s = 1): number {
  expectInt('btanhStates n', n, 1, 65535);
  if (typeof s !== 'number' || !(s > 0 && s <= 1)) throw new BitsieveError('E_RANGE', `btanhStates s: expected a number in (0, 1], received ${describe(s)}`);
  const q = 1.835 * Math.pow(2 * n, -0.5552);
  return 2 * Math.round(((1 - s) * (n - 1)) / (s * (1 - q)) + n);
}

function expectStates(name: string, states: unknown): number {
  const k = expectInt(`${name} states`, states, 2, 1 << 30);
  if (k % 2 !== 0) throw new BitsieveError('E_RANGE', `${name} states: expected an even number, received ${k}`);
  return k;
}

function fsmOptions(name: string, options: FsmOptions, timing: ScOutputTiming): Pick<Fsm, 'timing' | 'threshold'> {
  return {
    timing: expectOneOf(`${name} outputTiming`, options.outputTiming ?? timing, ['beforeUpdate', 'afterUpdate'] as const),
    threshold: expectOneOf(`${name} threshold`, options.threshold ?? 'ge', ['ge', 'gt'] as const),
  };
}

/** Per-cycle input of each lane: counts (already in JS) or groups of `group` streams counted in wasm. */
type FsmInput = { counts: CycleCounts } | { streams: StreamBatch; group: number };

type Launch = (counts: number, pitch: number, out: number, lanes: number, length: number, stride: number) => void;

function runLanes(runtime: Runtime, input: FsmInput, launch: Launch): StreamBatch {
  const lanes = 'counts' in input ? input.counts.groups : input.streams.count / input.group;
  const length = 'counts' in input ? input.counts.length : input.streams.length;
  const stride = streamStride(length);
  if (lanes === 0) return new StreamBatch(0, length);
  return withScratch(runtime, (s) => {
    let counts: number;
    let pitch: number;
    if ('counts' in input) {
      counts = s.copy(input.counts.values);
      pitch = length;
    } else {
      pitch = stride * 32;
      const xp = s.copy(input.streams.words);
      counts = s.zeroed(lanes * pitch * 2);
      runtime.kernels.sc_cycle_counts(xp, xp, counts, lanes, input.group, stride, 0, 0);
    }
    const out = s.zeroed(lanes * stride * 4);
    launch(counts, pitch, out, lanes, length, stride);
    return new StreamBatch(lanes, length, s.words(out, lanes * stride));
  });
}

function runCounter(runtime: Runtime, input: FsmInput, fsm: Fsm): StreamBatch {
  const half = fsm.states / 2;
  return runLanes(runtime, input, (c, pitch, out, lanes, length, stride) =>
    runtime.kernels.sc_fsm_counter(c, out, lanes, pitch, length, stride, fsm.states, half, fsm.gain, fsm.offset, half, fsm.threshold === 'gt' ? 1 : 0, fsm.timing === 'afterUpdate' ? 1 : 0),
  );
}

/**
 * Stanh (Brown & Card): K-state saturating counter per stream, reset K/2, +1 on a 1, −1 on a 0, output 1 in the
 * upper half. Defaults: K = 4, 'beforeUpdate', 'ge'.
 */
export function stanh(runtime: Runtime, streams: StreamBatch, options: StanhOptions = {}): StreamBatch {
  expectBatch('stanh', streams);
  const states = expectStates('stanh', options.states ?? 4);
  return runCounter(runtime, { streams, group: 1 }, { states, gain: 2, offset: 1, ...fsmOptions('stanh', options, 'beforeUpdate') });
}

/**
 * Btanh (Kim et al.) on per-cycle parallel-counter outputs c_t ∈ [0, n]: S ← clamp(S + 2c_t − n, 0, r − 1),
 * reset r/2, output 1 in the upper half. Defaults: r = 2n (Kim's rule with s = 1), 'afterUpdate', 'ge'.
 */
export function btanh(runtime: Runtime, counts: CycleCounts, options: BtanhOptions = {}): StreamBatch {
  if (!(counts instanceof CycleCounts)) throw new BitsieveError('E_DTYPE', `btanh: expected CycleCounts, received ${describe(counts)}`);
  const states = expectStates('btanh', options.states ?? btanhStates(counts.inputs, options.weightScale ?? 1));
  return runCounter(runtime, { counts }, { states, gain: 2, offset: counts.inputs, ...fsmOptions('btanh', options, 'afterUpdate') });
}

/**
 * NStanh (Ardakani et al., integral SC) on bipolar integral streams of m planes: s_t = Σ_j (2b_j − 1) ∈ [−m, m],
 * S ← clamp(S + s_t, 0, m·N − 1), reset m·N/2, output 1 in the upper half. Defaults: m = 1, N = 4,
 * 'beforeUpdate', 'ge' (the public reproduction uses 'gt').
 */
export function nstanh(runtime: Runtime, streams: StreamBatch, options: NStanhOptions = {}): StreamBatch {
  expectBatch('nstanh', streams);
  const m = expectInt('nstanh planes', options.planes ?? 1, 1, 65535);
  expectGroups('nstanh', streams, m);
  const n = expectInt('nstanh states', options.states ?? 4, 1, 1 << 30);
  const states = expectStates('nstanh (planes × states)', m * n);
  return runCounter(runtime, { streams, group: m }, { states, gain: 2, offset: m, ...fsmOptions('nstanh', options, 'beforeUpdate') });
}

export interface LogisticOptions extends FsmOptions {
  /** FSM states. Default: K = 4 on streams (P(1) ≈ σ(4x)); r = n on counts (half of Kim's 2n: P(1) ≈ σ(Σ)). */
  states?: number;
}

/**
 * Logistic activation (Li et al. 2017 via σ(x) = (1 + tanh(x/2))/2): a tanh FSM whose output read as UNIPOLAR has
 * P(1) = σ(K·x) for Stanh with K states on a bipolar stream x, and σ((r/n)·Σ) for Btanh with r states on counts —
 * so the same σ(Σ) scale as Btanh's tanh(Σ) needs half the states (r = n, the default on counts).
 */
export function logistic(runtime: Runtime, input: StreamBatch | CycleCounts, options: LogisticOptions = {}): StreamBatch {
  if (input instanceof CycleCounts) {
    const states = options.states ?? 2 * Math.ceil(input.inputs / 2);
    return btanh(runtime, input, { ...options, states });
  }
  return stanh(runtime, expectBatch('logistic', input), options);
}

export interface ReluOptions {
  /** D, counter bits (default 5): A ∈ [0, 2^D − 1], reset 2^(D−1). */
  depth?: number;
  /** Output forced to 1 while A ≥ (ge, default) or > (gt) fails against 2^(D−1). */
  threshold?: ScThreshold;
}

/**
 * SC ReLU, UnarySim FSUReLU design (bipolar): out = in OR NOT(A ≥ 2^(D−1)); A ← clamp(A + 2·out − 1). While the
 * output's running bipolar sum is negative it emits 1, so the output value is ≈ max(0, x).
 */
export function relu(runtime: Runtime, streams: StreamBatch, options: ReluOptions = {}): StreamBatch {
  expectBatch('relu', streams);
  const depth = expectInt('relu depth', options.depth ?? 5, 1, 30);
  const strict = expectOneOf('relu threshold', options.threshold ?? 'ge', ['ge', 'gt'] as const) === 'gt' ? 1 : 0;
  return runLanes(runtime, { streams, group: 1 }, (c, pitch, out, lanes, length, stride) =>
    runtime.kernels.sc_fsu_relu(c, out, lanes, pitch, length, stride, depth, strict),
  );
}

export interface FsuAddOptions {
  /** Streams per adder (default: all, one adder). */
  groupSize?: number;
  /** Default 'unipolar'. Bipolar subtracts the offset (n − scale)/2 per cycle. */
  encoding?: ScEncoding;
  /** Output scale (default n = groupSize: scaled addition, value Σ/n; 1 = plain sum, saturating). */
  scale?: number;
  /** D, accumulator bits (default 10): A saturates in [−2^(D−2), 2^(D−2)]. */
  depth?: number;
}

/**
 * UnarySim FSUAdd (uGEMM accumulator adder), per group of n streams: A ← clamp(A + Σ_i in_i − offset);
 * out = A ≥ scale; A ← clamp(A − out·scale), with offset = (n − scale)/2 (bipolar) or 0 (unipolar), reset 0.
 */
export function fsuAdd(runtime: Runtime, streams: StreamBatch, options: FsuAddOptions = {}): StreamBatch {
  expectBatch('fsuAdd', streams);
  const n = expectInt('fsuAdd groupSize', options.groupSize ?? streams.count, 1, 65535);
  expectGroups('fsuAdd', streams, n);
  const encoding = expectOneOf('fsuAdd encoding', options.encoding ?? 'unipolar', ENCODINGS);
  const scale = expectInt('fsuAdd scale', options.scale ?? n, 1, n);
  const depth = expectInt('fsuAdd depth', options.depth ?? 10, 2, 30);
  const offset2 = encoding === 'bipolar' ? n - scale : 0;
  const bound2 = 2 ** (depth - 1);
  return runLanes(runtime, { streams, group: n }, (c, pitch, out, lanes, length, stride) =>
    runtime.kernels.sc_fsu_add(c, out, lanes, pitch, length, stride, scale, offset2, bound2),
  );
}
