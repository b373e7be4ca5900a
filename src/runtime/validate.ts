// Argument checks shared by every public entry. They run before any wasm call, so a kernel
// only ever sees inputs that fit its buffers.
import { BitsieveError, describe } from './errors.js';

/** Largest element count a single buffer may have (wasm32 memory is at most 4 GiB). */
export const MAX_ELEMENTS = 2 ** 30 - 1;

export function expectInteger(name: string, value: unknown, min = 0, max = MAX_ELEMENTS): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new BitsieveError('E_DTYPE', `${name}: expected an integer, received ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new BitsieveError('E_RANGE', `${name}: expected an integer in [${min}, ${max}], received ${value}`);
  }
  return value;
}

/** A [rows, cols] shape whose element count fits one wasm buffer. */
export function expectShape2(name: string, shape: unknown): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw new BitsieveError('E_SHAPE', `${name}: expected [rows, cols], received ${describe(shape)}`);
  }
  const rows = expectInteger(`${name}[0]`, shape[0]);
  const cols = expectInteger(`${name}[1]`, shape[1]);
  if (rows * cols > MAX_ELEMENTS) {
    throw new BitsieveError('E_RANGE', `${name}: expected at most ${MAX_ELEMENTS} elements, received ${rows}×${cols}`);
  }
  return [rows, cols];
}

/** A finite number ≥ 0 (> 0 when `positive`); E_RANGE otherwise. */
export function expectFiniteScalar(name: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || !(positive ? value > 0 : value >= 0) || value === Infinity) {
    throw new BitsieveError('E_RANGE', `${name}: expected a finite number ${positive ? '>' : '≥'} 0, received ${describe(value)}`);
  }
  return value;
}

export function expectFloat32Array(name: string, value: unknown, length?: number): Float32Array {
  if (!(value instanceof Float32Array)) {
    throw new BitsieveError('E_DTYPE', `${name}: expected a Float32Array, received ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new BitsieveError('E_SHAPE', `${name}: expected ${length} elements, received ${value.length}`);
  }
  return value;
}

/** Throws E_RANGE at the first NaN or ±Infinity (used once per weight upload, never per call). */
export function expectFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new BitsieveError('E_RANGE', `${name}: expected finite values, received ${values[i]} at index ${i}`);
    }
  }
}

/**
 * An integer in [min, max]; anything else (a non-integer included) is E_RANGE — the convention of the SC and MAC
 * option checks, where a bad count is a bad value rather than a bad type (expectInteger reports E_DTYPE for it).
 */
export function expectInt(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BitsieveError('E_RANGE', `${name}: expected an integer in [${min}, ${max}], received ${describe(value)}`);
  }
  return value;
}

/** One of a fixed set of string options, else E_RANGE naming them all. */
export function expectOneOf<T extends string>(name: string, value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) throw new BitsieveError('E_RANGE', `${name}: expected one of ${options.join(' | ')}, received ${describe(value)}`);
  return value as T;
}
