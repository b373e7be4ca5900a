// The SC papers' central table: how far a layer run in stochastic computing lands from its f64 reference as the
// stream length grows. `sweepLinear` encodes the weights and inputs at each length (bipolar, every stream at a
// seeded phase of its source), runs `bs.sc.linear`, decodes, and reports the error statistics per length.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectInt } from './checks.js';
import { encode } from './encode.js';
import { decode } from './decode.js';
import { ScLinear, type ScLinearOptions } from './layer.js';
import type { ScSource } from './sources/source.js';

export interface SweepLinearOptions extends Omit<ScLinearOptions, 'encoding' | 'select'> {
  /** Stream lengths to evaluate. Default 64, 128, …, 4096. */
  lengths?: readonly number[];
  /** Source of the input streams and of the weight streams (use independent ones: their products must not correlate). */
  sources: { inputs: ScSource; weights: ScSource };
  /** Seed of the stream phases (and of the MUX select indices). Default 1. */
  seed?: number;
}

export interface SweepRow {
  length: number;
  /** Mean and largest |SC − reference| over all outputs, and the root mean square. */
  meanAbsError: number;
  maxAbsError: number;
  rmse: number;
}

/**
 * Runs y = act(W·x) in SC at every length and compares with the f64 reference: tanh(W·x) after Btanh / Stanh
 * (their targets with the default state counts), W·x with activation 'none' (from the decoded sums).
 * weights: [out, in] row-major in [−1, 1]; inputs: [batch, in] in [−1, 1].
 */
export function sweepLinear(runtime: Runtime, weights: Float32Array, shape: readonly [number, number], inputs: Float32Array, options: SweepLinearOptions): SweepRow[] {
  const [out, n] = shape;
  expectInt('sweepLinear out', out, 1);
  expectInt('sweepLinear in', n, 1, 65535);
  if (!(weights instanceof Float32Array) || weights.length !== out * n) throw new BitsieveError('E_SHAPE', `sweepLinear weights: expected a Float32Array of ${out * n}, received ${describe(weights)}`);
  if (!(inputs instanceof Float32Array) || inputs.length % n !== 0 || inputs.length === 0) throw new BitsieveError('E_SHAPE', `sweepLinear inputs: expected a Float32Array of batch × ${n}, received ${describe(inputs)}`);
  const batch = inputs.length / n;
  const lengths = options.lengths ?? [64, 128, 256, 512, 1024, 2048, 4096];
  const seed = options.seed ?? 1;
  const activate = (options.activation ?? (options.innerProduct === 'mux' ? 'stanh' : 'btanh')) !== 'none';
  const reference = new Float64Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < out; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[j * n + i] * inputs[b * n + i];
      reference[b * out + j] = activate ? Math.tanh(s) : s;
    }
  }
  return lengths.map((length) => {
    expectInt('sweepLinear length', length, 1);
    const next = lcg(seed + length);
    const phases = (count: number, period: number) => Uint32Array.from({ length: count }, () => next() % period);
    const w = encode(runtime, weights, { length, source: options.sources.weights, offsets: phases(weights.length, options.sources.weights.values.length), encoding: 'bipolar' });
    const x = encode(runtime, inputs, { length, source: options.sources.inputs, offsets: phases(inputs.length, options.sources.inputs.values.length), encoding: 'bipolar' });
    const select = options.innerProduct === 'mux' ? Array.from({ length }, () => next() % n) : undefined;
    const layer = new ScLinear(runtime, w, n, { ...options, encoding: 'bipolar', select });
    try {
      const r = layer.run(x);
      const got = activate ? decode(r.streams!, { encoding: 'bipolar' }) : r.sums;
      let sum = 0, sq = 0, max = 0;
      for (let i = 0; i < got.length; i++) {
        const e = Math.abs(got[i] - reference[i]);
        sum += e;
        sq += e * e;
        max = Math.max(max, e);
      }
      return { length, meanAbsError: sum / got.length, maxAbsError: max, rmse: Math.sqrt(sq / got.length) };
    } finally {
      layer.dispose();
    }
  });
}

/** Numerical Recipes' 32-bit LCG: the phases only need to be spread and reproducible. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}
