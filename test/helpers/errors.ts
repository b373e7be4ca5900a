import { BitsieveError } from '../../src/index.js';

/** The BitsieveError code `fn` throws, 'no error', or a marker for any other exception. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof BitsieveError ? e.code : `not a BitsieveError: ${e}`;
  }
}
