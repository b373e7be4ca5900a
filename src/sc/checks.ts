// Argument checks shared by the SC arithmetic entry points (all run before any kernel).
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectInt } from '../runtime/validate.js';
import { StreamBatch, type ScEncoding } from './stream.js';

export function expectBatch(name: string, value: unknown): StreamBatch {
  if (!(value instanceof StreamBatch)) throw new BitsieveError('E_DTYPE', `${name}: expected a StreamBatch, received ${describe(value)}`);
  return value;
}

export function expectSameLength(name: string, a: StreamBatch, b: StreamBatch): void {
  if (a.length !== b.length) throw new BitsieveError('E_SHAPE', `${name}: expected streams of ${a.length} cycles, received ${b.length}`);
}

// The integer and option checks live in the runtime (the MAC family uses them too); re-exported for src/sc.
export { expectInt, expectOneOf } from '../runtime/validate.js';

export const ENCODINGS: readonly ScEncoding[] = ['unipolar', 'bipolar'];

/** `group` streams per group: the batch must hold a whole number of groups. */
export function expectGroups(name: string, batch: StreamBatch, group: number): number {
  expectInt(`${name} groupSize`, group, 1);
  if (batch.count % group !== 0) throw new BitsieveError('E_SHAPE', `${name}: expected a multiple of ${group} streams (groups of ${group}), received ${batch.count}`);
  return batch.count / group;
}
