// Shared pieces of the Hugging Face / ONNX low-bit importers (gptq.ts, awq.ts, matmul-nbits.ts,
// bnb4.ts): LSB-first code streams in words of 8 or 32 bits, scale decoding/encoding, and the
// argument checks every importer runs before it reads a single word.
import { floatToHalf, halfToFloat } from '../../formats/half.js';
import { BitsieveError, describe } from '../../runtime/errors.js';

/** Words a packed code stream is stored in: ORT/bnb bytes or GPTQ/AWQ int32 words. */
export type PackedWords = Uint8Array | Int32Array;

/**
 * Code `index` of an LSB-first stream of `bits`-bit codes laid over the words
 * `words[first], words[first + stride], …`: code i occupies stream bits [i·bits, (i+1)·bits),
 * and a code may straddle two words (GPTQ 3-bit), low bits in the earlier word.
 */
export function readCode(words: PackedWords, first: number, stride: number, index: number, bits: number): number {
  const width = words.BYTES_PER_ELEMENT * 8;
  const bit = index * bits;
  const word = Math.floor(bit / width);
  const shift = bit % width;
  let value = words[first + word * stride] >>> shift;
  if (shift + bits > width) value |= words[first + (word + 1) * stride] << (width - shift);
  return value & ((1 << bits) - 1);
}

/** Writes code `index` of the stream `readCode` reads; the words must start zeroed. */
export function writeCode(words: PackedWords, first: number, stride: number, index: number, bits: number, code: number): void {
  const width = words.BYTES_PER_ELEMENT * 8;
  const bit = index * bits;
  const word = Math.floor(bit / width);
  const shift = bit % width;
  words[first + word * stride] |= code << shift;
  if (shift + bits > width) words[first + (word + 1) * stride] |= code >>> (width - shift);
}

/** Scales as checkpoints store them: f16 bit patterns (Uint16Array) or f32 values. */
export type StoredScales = Uint16Array | Float32Array;

/**
 * Decodes stored scales to f32 values in the order `at(i)` gives (a transpose), E_DTYPE for another
 * array type, E_RANGE for NaN or ±∞. `signed` tells whether some scale is ≤ 0 or −0 (see
 * QuantizedWeights.signedScales).
 */
export function decodeScales(where: string, stored: unknown, count: number, at: (i: number) => number): { scales: Float32Array; scaleDtype: 'f16' | 'f32'; signed: boolean } {
  if (!(stored instanceof Uint16Array || stored instanceof Float32Array)) {
    throw new BitsieveError('E_DTYPE', `${where} scales: expected f16 bits (Uint16Array) or a Float32Array, received ${describe(stored)}`);
  }
  expectLength(`${where} scales`, stored, count);
  const half = stored instanceof Uint16Array;
  const scales = new Float32Array(count);
  let signed = false;
  for (let i = 0; i < count; i++) {
    const raw = stored[at(i)];
    const s = half ? halfToFloat(raw) : raw;
    if (!Number.isFinite(s)) throw new BitsieveError('E_RANGE', `${where} scales[${at(i)}]: expected a finite scale, received ${s}`);
    if (!(s > 0)) signed = true;
    scales[i] = s;
  }
  return { scales, scaleDtype: half ? 'f16' : 'f32', signed };
}

/** The inverse of decodeScales: `out[at(i)]` = scales[i] in the weights' scale dtype. */
export function encodeScales(scales: Float32Array, scaleDtype: 'f16' | 'f32', at: (i: number) => number): StoredScales {
  const out = scaleDtype === 'f16' ? new Uint16Array(scales.length) : new Float32Array(scales.length);
  for (let i = 0; i < scales.length; i++) out[at(i)] = scaleDtype === 'f16' ? floatToHalf(scales[i]) : scales[i];
  return out;
}

export function expectLength(name: string, array: ArrayLike<number>, length: number): void {
  if (array.length !== length) throw new BitsieveError('E_SHAPE', `${name}: expected ${length} elements, received ${array.length}`);
}

export function expectArrayType<T>(name: string, value: unknown, type: new (...args: never[]) => T, length: number): T {
  if (!(value instanceof type)) throw new BitsieveError('E_DTYPE', `${name}: expected a ${type.name}, received ${describe(value)}`);
  expectLength(name, value as ArrayLike<number>, length);
  return value;
}

/** One of the listed bit widths, else E_UNSUPPORTED (E_DTYPE for a non-integer). */
export function expectBits(where: string, bits: unknown, supported: readonly number[]): number {
  if (typeof bits !== 'number' || !Number.isInteger(bits)) throw new BitsieveError('E_DTYPE', `${where} bits: expected an integer, received ${describe(bits)}`);
  if (!supported.includes(bits)) throw new BitsieveError('E_UNSUPPORTED', `${where}: bits ${bits} is not implemented; supported: ${supported.join(', ')}`);
  return bits;
}

/** A positive integer (or −1 meaning "all of `size`"), dividing `size`. */
export function expectGroupSize(where: string, groupSize: unknown, size: number): number {
  if (groupSize === -1) return size;
  if (typeof groupSize !== 'number' || !Number.isInteger(groupSize) || groupSize < 1) {
    throw new BitsieveError('E_RANGE', `${where} group_size: expected a positive integer or -1, received ${describe(groupSize)}`);
  }
  if (size % groupSize !== 0) throw new BitsieveError('E_UNSUPPORTED', `${where}: in-features ${size} is not a multiple of group_size ${groupSize} (a partial last group is not supported)`);
  return groupSize;
}

/** [out, in] with both > 0 and their product within one buffer; `multiples` are required divisors. */
export function expectLinearShape(where: string, shape: unknown, multiples: { out: number; in: number }): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((n) => Number.isSafeInteger(n) && n > 0)) {
    throw new BitsieveError('E_SHAPE', `${where} shape: expected [out, in] positive integers, received ${describe(shape)}`);
  }
  const [out, inputs] = shape as [number, number];
  if (out * inputs > 2 ** 30) throw new BitsieveError('E_RANGE', `${where} shape: expected at most 2^30 weights, received ${out}×${inputs}`);
  if (out % multiples.out !== 0 || inputs % multiples.in !== 0) {
    throw new BitsieveError('E_SHAPE', `${where} shape: expected out a multiple of ${multiples.out} and in a multiple of ${multiples.in}, received [${out}, ${inputs}]`);
  }
  return [out, inputs];
}

/** Whether every zero point is 2^(bits−1), i.e. the grid is symmetric and needs no stored zeros. */
export function allMidpoint(zeros: Uint8Array, bits: number): boolean {
  const mid = 2 ** (bits - 1);
  return zeros.every((z) => z === mid);
}

/** The weights' zero point per (row, group) cell, 2^(bits−1) everywhere for a symmetric grid. */
export function zerosOf(weights: { zeros?: Uint8Array; bits: number; scales: Float32Array }): Uint8Array {
  return weights.zeros ?? new Uint8Array(weights.scales.length).fill(2 ** (weights.bits - 1));
}

/** E_DTYPE unless `value` is a (non-null) object: the tensor set or the config argument. */
export function expectObject(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object') throw new BitsieveError('E_DTYPE', `${name}: expected an object, received ${describe(value)}`);
}
