// Argument checks shared by the SC arithmetic entry points (all run before any kernel).
import { BitsieveError, describe } from '../runtime/errors.js';
import { StreamBatch, type ScEncoding } from './stream.js';

export function expectBatch(name: string, value: unknown): StreamBatch {
  if (!(value instanceof StreamBatch)) throw new BitsieveError('E_DTYPE', `${name}: expected a StreamBatch, received ${describe(value)}`);
  return value;
}

export function expectSameLength(name: string, a: StreamBatch, b: StreamBatch): void {
  if (a.length !== b.length) throw new BitsieveError('E_SHAPE', `${name}: expected streams of ${a.length} cycles, received ${b.length}`);
}

export function expectInt(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BitsieveError('E_RANGE', `${name}: expected an integer in [${min}, ${max}], received ${describe(value)}`);
  }
  return value;
}

export function expectOneOf<T extends string>(name: string, value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) throw new BitsieveError('E_RANGE', `${name}: expected one of ${options.join(' | ')}, received ${describe(value)}`);
  return value as T;
}

export const ENCODINGS: readonly ScEncoding[] = ['unipolar', 'bipolar'];

/** `group` streams per group: the batch must hold a whole number of groups. */
export function expectGroups(name: string, batch: StreamBatch, group: number): number {
  expectInt(`${name} groupSize`, group, 1);
  if (batch.count % group !== 0) throw new BitsieveError('E_SHAPE', `${name}: expected a multiple of ${group} streams (groups of ${group}), received ${batch.count}`);
  return batch.count / group;
}
