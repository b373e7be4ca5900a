// Ramp (counter) sources (sc_encoded_mac.md §1.4): R_t = t mod 2^w (up) or 2^w − 1 − (t mod 2^w) (down). With the
// comparator `X > R` an up ramp gives a thermometer (unary) stream whose first X bits are 1; a down ramp puts the
// X ones last. ANDing two streams from the same ramp gives min(A, B), not A·B.
import { BitsieveError } from '../../runtime/errors.js';
import { expectInt, expectLength, type ScSource } from './source.js';

export interface RampOptions {
  /** Value width w (1..32). */
  bits: number;
  /** 'up' (default) or 'down'. */
  direction?: 'up' | 'down';
  /** Values to produce. Default 2^w (at most 2^28). */
  length?: number;
}

/**
 * A ramp (counter) source.
 *
 * @example
 * ```ts
 * ramp({ bits: 2, direction: 'down' }).values; // Uint32Array [3, 2, 1, 0]
 * ```
 */
export function ramp(options: RampOptions): ScSource {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', 'ramp options: expected an object');
  const bits = expectInt('ramp bits', options.bits, 1, 32);
  const direction = options.direction ?? 'up';
  if (direction !== 'up' && direction !== 'down') throw new BitsieveError('E_RANGE', `ramp direction: expected 'up' or 'down', received ${JSON.stringify(direction)}`);
  const length = expectLength('ramp length', options.length ?? Math.min(2 ** bits, 2 ** 28));
  const size = 2 ** bits;
  const values = new Uint32Array(length);
  for (let t = 0; t < length; t++) values[t] = direction === 'up' ? t % size : size - 1 - (t % size);
  return { bits, values };
}
