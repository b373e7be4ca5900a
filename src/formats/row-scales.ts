// The per-output-row float32 scale α of the binary and ternary weight formats.
import { BitsieveError, describe } from '../runtime/errors.js';

/** E_DTYPE unless a Float32Array, E_FORMAT unless `rows` long, E_RANGE unless every α is finite and ≥ 0. */
export function expectRowScales(name: string, alpha: unknown, rows: number): Float32Array {
  if (!(alpha instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `${name}: expected a Float32Array, received ${describe(alpha)}`);
  if (alpha.length !== rows) throw new BitsieveError('E_FORMAT', `${name}: expected one scale per row (${rows}), received ${alpha.length}`);
  for (let r = 0; r < rows; r++) {
    if (!(alpha[r] >= 0 && alpha[r] < Infinity)) {
      throw new BitsieveError('E_RANGE', `${name}[${r}]: expected a finite scale ≥ 0, received ${alpha[r]}`);
    }
  }
  return alpha;
}

/** A new Float32Array of `rows` scales from any array-like of numbers (rounded to float32), then checked. */
export function toRowScales(name: string, alpha: unknown, rows: number): Float32Array {
  if (alpha === null || typeof alpha !== 'object' || typeof (alpha as ArrayLike<number>).length !== 'number') {
    throw new BitsieveError('E_DTYPE', `${name}: expected an array-like of numbers, received ${describe(alpha)}`);
  }
  return expectRowScales(name, Float32Array.from(alpha as ArrayLike<number>), rows);
}
