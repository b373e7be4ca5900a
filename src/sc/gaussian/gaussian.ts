// One entry point for the seeded Gaussian generators (sc_encoded_mac.md §7).
import { BitsieveError, describe } from '../../runtime/errors.js';
import { binomialGaussian, type BinomialGaussianOptions } from './binomial.js';
import { wallaceGaussian, type WallaceGaussianOptions } from './wallace.js';

export type GaussianOptions = ({ method: 'binomial' } & BinomialGaussianOptions) | ({ method: 'wallace' } & WallaceGaussianOptions);

/** `count` ≈ N(0, 1) samples from the LFSR-window binomial generator or the Wallace generator. */
export function gaussian(options: GaussianOptions): Float64Array {
  const method = (options as { method?: unknown } | null)?.method;
  if (method === 'binomial') return binomialGaussian(options as BinomialGaussianOptions);
  if (method === 'wallace') return wallaceGaussian(options as WallaceGaussianOptions);
  throw new BitsieveError('E_RANGE', `gaussian method: expected 'binomial' or 'wallace', received ${describe(method)}`);
}
