// SC-DCNN pooling blocks (sc_encoded_mac.md §3.3): MUX average pooling (an n:1 MUX per window, value (1/n)Σ x_i)
// and the hardware-oriented approximate max pooling (segment counters + comparator). Kernel: assembly/sc/pool.ts.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { muxN } from './arithmetic.js';
import { expectBatch, expectGroups, expectInt } from './checks.js';
import { withScratch } from './scratch.js';
import { StreamBatch } from './stream.js';

export interface MaxPoolOptions {
  /** Inputs per pooling window (default 4); the batch holds whole windows, each gives one output stream. */
  groupSize?: number;
  /** Segment length c in cycles (default 16). */
  segment?: number;
  /** Input copied during the first segment in causal mode (default 0). */
  initial?: number;
  /**
   * Default true: segment k copies the input with the most ones in segment k − 1 (hardware-realizable).
   * false: the input with the most ones in segment k itself (SCSimulation MaxApprox style, optimistic).
   * Ties → the lowest index in both modes.
   */
  causal?: boolean;
}

/** Approximate max pooling: per window, the output copies, segment by segment, the input that looked largest. */
export function maxPool(runtime: Runtime, streams: StreamBatch, options: MaxPoolOptions = {}): StreamBatch {
  expectBatch('maxPool', streams);
  const n = expectInt('maxPool groupSize', options.groupSize ?? 4, 1, 65535);
  const groups = expectGroups('maxPool', streams, n);
  const segment = expectInt('maxPool segment', options.segment ?? 16, 1);
  const initial = expectInt('maxPool initial', options.initial ?? 0, 0, n - 1);
  const causal = options.causal ?? true;
  if (typeof causal !== 'boolean') throw new BitsieveError('E_DTYPE', `maxPool causal: expected a boolean, received ${describe(causal)}`);
  if (groups === 0) return new StreamBatch(0, streams.length);
  return withScratch(runtime, (s) => {
    const xp = s.copy(streams.words);
    const out = s.zeroed(groups * streams.stride * 4);
    runtime.kernels.sc_max_pool(xp, out, groups, n, streams.stride, streams.length, Math.min(segment, streams.length), initial, causal ? 1 : 0);
    return new StreamBatch(groups, streams.length, s.words(out, groups * streams.stride));
  });
}

/**
 * MUX average pooling: windows of 2^k consecutive streams, each through an n:1 MUX driven by the k shared
 * `select` streams (uniform selects ⇒ value = the window's average, in either encoding).
 */
export function avgPool(runtime: Runtime, streams: StreamBatch, select: StreamBatch): StreamBatch {
  return muxN(runtime, streams, expectBatch('avgPool select', select));
}
