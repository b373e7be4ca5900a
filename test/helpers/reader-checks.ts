// Checks shared by the reader fuzz tests: only BitsieveErrors escape, memory stays bounded, and views
// stay inside the input.
import { BitsieveError } from '../../src/index.js';

/** Largest ArrayBuffer growth a read of a small fuzzed input may cause. */
const MAX_GROWTH = 2 ** 20;

/**
 * Runs `read`: returns its result, or undefined when it threw a BitsieveError. Throws for any other
 * exception and when ArrayBuffer memory grew by more than 1 MiB meanwhile.
 */
export function readOrBitsieveError<T>(read: () => T, what: string): T | undefined {
  const before = process.memoryUsage().arrayBuffers;
  try {
    return read();
  } catch (e) {
    if (!(e instanceof BitsieveError)) throw new Error(`${what} threw a non-BitsieveError: ${e}`);
    return undefined;
  } finally {
    const grown = process.memoryUsage().arrayBuffers - before;
    if (grown > MAX_GROWTH) throw new Error(`${what} grew ArrayBuffer memory by ${grown} bytes`);
  }
}

/** Throws unless `view` is a view of `input`'s bytes. */
export function expectViewInside(view: Uint8Array, input: Uint8Array, what: string): void {
  const end = input.byteOffset + input.byteLength;
  if (view.buffer !== input.buffer || view.byteOffset < input.byteOffset || view.byteOffset + view.byteLength > end) {
    throw new Error(`${what}: view [${view.byteOffset}, +${view.byteLength}) lies outside the input`);
  }
}

/** Typed arrays as plain arrays and Maps as entry lists, so NaN equals NaN whatever its payload. */
export function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (value instanceof Map) return [...value].map(plain);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
