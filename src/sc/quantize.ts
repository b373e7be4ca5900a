// Value quantization of the comparator SNG (sc_encoded_mac.md §0 choice 5, §1.1): a value becomes the w-bit
// comparator threshold X = q(y), y = p·2^w (exact in binary floating point).
import { BitsieveError, describe } from '../runtime/errors.js';

/** How y = p·2^w becomes an integer: 'round-half-even' (default; torch.round, UnarySim), 'round-half-up',
 *  'floor', 'trunc' (toward zero; differs from floor only for negative y, see bipolarMapping). */
export type ScQuantization = 'round-half-even' | 'round-half-up' | 'floor' | 'trunc';

export const SC_QUANTIZATIONS: readonly ScQuantization[] = ['round-half-even', 'round-half-up', 'floor', 'trunc'];

export function quantizer(rule: ScQuantization): (y: number) => number {
  switch (rule) {
    case 'round-half-even':
      return (y) => {
        const f = Math.floor(y);
        const d = y - f;
        return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
      };
    case 'round-half-up':
      return (y) => Math.floor(y + 0.5);
    case 'floor':
      return Math.floor;
    case 'trunc':
      return Math.trunc;
    default:
      throw new BitsieveError('E_RANGE', `quantization: expected one of ${SC_QUANTIZATIONS.join(', ')}, received ${describe(rule)}`);
  }
}
