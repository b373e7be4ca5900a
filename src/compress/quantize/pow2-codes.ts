// The log-domain rounding both power-of-two quantizers share once the top level 2^e0 of a scope is chosen:
// a weight goes to the level of index k = e0 − round(log2|w|), clipped to k = 0 above the ladder and
// pruned to 0 below it. They differ only in how e0 is chosen (max|w| or the standard deviation).
import { PowerOfTwoWeights, pow2Layout, type Pow2Layout } from '../../formats/pow2.js';
import { nearestLog2 } from './log2-round.js';
import { perScope, type QuantizeScope } from './scope.js';

/** e0 clamped into the range where every level of the layout is a normal float32. */
export function clampE0(e0: number, layout: Pow2Layout): number {
  return Math.min(layout.maxE0, Math.max(layout.minE0, e0));
}

/**
 * The code of w given the scope's e0:
 * - w = 0 or |w| < 2^(e0 − maxIndex − ½) → the zero code (pruned);
 * - |w| ≥ 2^(e0 + ½) → index 0 (clipped to ±2^e0);
 * - otherwise index e0 − round(log2|w|), with the sign bit set for w < 0.
 */
export function pow2Code(w: number, e0: number, layout: Pow2Layout): number {
  if (w === 0) return layout.zeroIndex;
  const k = Math.max(0, e0 - nearestLog2(Math.abs(w)));
  if (k > layout.maxIndex) return layout.zeroIndex;
  return w < 0 ? k | (1 << layout.exponentBits) : k;
}

/**
 * Encodes dense [rows, cols] weights with one e0 per scope group; `anchor(start, end)` returns the unclamped
 * e0 of the group (flat indices [start, end)). An empty matrix stores e0 = 0 for scope 'tensor'.
 */
export function encodePow2(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  bits: number,
  scope: QuantizeScope,
  anchor: (start: number, end: number) => number,
): PowerOfTwoWeights {
  const layout = pow2Layout(bits);
  const e0OfRow = perScope(scope, rows, cols, (start, end) => clampE0(anchor(start, end), layout));
  const codes = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) codes[i] = pow2Code(w[i], e0OfRow[Math.floor(i / cols)], layout);
  const e0 = scope === 'row' ? e0OfRow : [e0OfRow[0] ?? 0];
  return PowerOfTwoWeights.fromCodes([rows, cols], codes, { bits, scope, e0 });
}

/** The largest |w[i]| over [start, end) (0 when empty). */
export function maxAbs(w: ArrayLike<number>, start: number, end: number): number {
  let m = 0;
  for (let i = start; i < end; i++) m = Math.max(m, Math.abs(w[i]));
  return m;
}
