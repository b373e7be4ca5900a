// Which weights share one scale: each output row, or the whole matrix.
import { BitsieveError, describe } from '../../runtime/errors.js';

export type QuantizeScope = 'row' | 'tensor';

/** E_RANGE unless 'row' or 'tensor'; undefined → 'row'. */
export function expectScope(fn: string, scope: unknown): QuantizeScope {
  if (scope === undefined) return 'row';
  if (scope !== 'row' && scope !== 'tensor') throw new BitsieveError('E_RANGE', `${fn} scope: expected 'row' | 'tensor', received ${describe(scope)}`);
  return scope;
}

/**
 * Calls `each(start, end)` for every group of weights sharing a scale (flat row-major indices
 * [start, end)) and returns its result once per row: `rows` values for both scopes.
 */
export function perScope<T>(scope: QuantizeScope, rows: number, cols: number, each: (start: number, end: number) => T): T[] {
  if (scope === 'row') return Array.from({ length: rows }, (_, r) => each(r * cols, (r + 1) * cols));
  if (rows === 0) return [];
  const shared = each(0, rows * cols);
  return Array.from({ length: rows }, () => shared);
}

/** Σ |w[i]| / (end − start) in float64, in index order (0 for an empty range). */
export function meanAbs(w: ArrayLike<number>, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += Math.abs(w[i]);
  return end > start ? sum / (end - start) : 0;
}
