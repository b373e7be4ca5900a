// GGUF metadata values (lowbit.md §1.22): 13 value types, ids 0–12 in file order. Arrays carry their
// element type and a u64 count, and may hold arrays (each with its own element type). Values are typed
// so a file reads back and writes out unchanged: 64-bit integers are bigints, numeric arrays are typed
// arrays (copied out of the file: metadata is small, and its offsets are not aligned). Floats pass
// through JS numbers, so a NaN keeps its NaN-ness but not necessarily its payload bits.
import { BitsieveError, describe } from '../runtime/errors.js';
import { labelText, type ByteReader, type Label } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { decodeUtf8, expectWellFormed } from './text.js';

/** Value type names, indexed by their GGUF id. */
export const GGUF_VALUE_TYPES = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'float32',
  'bool',
  'string',
  'array',
  'uint64',
  'int64',
  'float64',
] as const;

export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];

/** Deepest nesting of arrays read or written (a top-level array is depth 1); real files use 1. */
export const GGUF_MAX_ARRAY_DEPTH = 8;

/** The JS value of each scalar type. */
export interface GgufScalars {
  uint8: number;
  int8: number;
  uint16: number;
  int16: number;
  uint32: number;
  int32: number;
  float32: number;
  bool: boolean;
  string: string;
  uint64: bigint;
  int64: bigint;
  float64: number;
}

/** How the reader returns the items of an array of each element type. */
export interface GgufArrayItems {
  uint8: Uint8Array;
  int8: Int8Array;
  uint16: Uint16Array;
  int16: Int16Array;
  uint32: Uint32Array;
  int32: Int32Array;
  float32: Float32Array;
  bool: boolean[];
  string: string[];
  array: GgufArray[];
  uint64: BigUint64Array;
  int64: BigInt64Array;
  float64: Float64Array;
}

/** What the writer accepts as the items of an array (typed arrays or plain arrays). */
export interface GgufArrayItemsInput {
  uint8: ArrayLike<number>;
  int8: ArrayLike<number>;
  uint16: ArrayLike<number>;
  int16: ArrayLike<number>;
  uint32: ArrayLike<number>;
  int32: ArrayLike<number>;
  float32: ArrayLike<number>;
  bool: ArrayLike<boolean>;
  string: ArrayLike<string>;
  array: ArrayLike<GgufArrayInput>;
  uint64: ArrayLike<bigint>;
  int64: ArrayLike<bigint>;
  float64: ArrayLike<number>;
}

type ArrayOf<Items> = { [T in keyof Items]: { readonly type: T; readonly items: Items[T] } }[keyof Items];
type ValueOf<Array> =
  | { [T in keyof GgufScalars]: { readonly type: T; readonly value: GgufScalars[T] } }[keyof GgufScalars]
  | { readonly type: 'array'; readonly value: Array };

/** A GGUF array as read: `{ type: 'float32', items: Float32Array }`, `{ type: 'string', items: string[] }`, … */
export type GgufArray = ArrayOf<GgufArrayItems>;
/** A GGUF array to write. */
export type GgufArrayInput = ArrayOf<GgufArrayItemsInput>;
/** A typed metadata value as read: `{ type: 'uint32', value: 32 }`, `{ type: 'array', value: GgufArray }`, … */
export type GgufValue = ValueOf<GgufArray>;
/** A typed metadata value to write (every GgufValue is one). */
export type GgufValueInput = ValueOf<GgufArrayInput>;

interface FixedCodec {
  readonly size: number;
  readonly array: new (length: number) => { [i: number]: unknown };
  read(view: DataView, at: number): number | bigint;
  write(view: DataView, at: number, value: number | bigint): void;
  /** Inclusive range for integers; undefined for floats. */
  readonly range?: readonly [number | bigint, number | bigint];
}

function fixed(
  size: number,
  array: FixedCodec['array'],
  read: FixedCodec['read'],
  write: FixedCodec['write'],
  range?: FixedCodec['range'],
): FixedCodec {
  return { size, array, read, write, range };
}

// Numeric types: every number type except bool, string and array.
type NumericType = Exclude<GgufValueType, 'bool' | 'string' | 'array'>;
const NUMERIC: Readonly<Record<NumericType, FixedCodec>> = {
  uint8: fixed(1, Uint8Array, (v, o) => v.getUint8(o), (v, o, x) => v.setUint8(o, Number(x)), [0, 0xff]),
  int8: fixed(1, Int8Array, (v, o) => v.getInt8(o), (v, o, x) => v.setInt8(o, Number(x)), [-0x80, 0x7f]),
  uint16: fixed(2, Uint16Array, (v, o) => v.getUint16(o, true), (v, o, x) => v.setUint16(o, Number(x), true), [0, 0xffff]),
  int16: fixed(2, Int16Array, (v, o) => v.getInt16(o, true), (v, o, x) => v.setInt16(o, Number(x), true), [-0x8000, 0x7fff]),
  uint32: fixed(4, Uint32Array, (v, o) => v.getUint32(o, true), (v, o, x) => v.setUint32(o, Number(x), true), [0, 0xffffffff]),
  int32: fixed(4, Int32Array, (v, o) => v.getInt32(o, true), (v, o, x) => v.setInt32(o, Number(x), true), [-0x80000000, 0x7fffffff]),
  float32: fixed(4, Float32Array, (v, o) => v.getFloat32(o, true), (v, o, x) => v.setFloat32(o, Number(x), true)),
  uint64: fixed(8, BigUint64Array, (v, o) => v.getBigUint64(o, true), (v, o, x) => v.setBigUint64(o, BigInt(x), true), [0n, 2n ** 64n - 1n]),
  int64: fixed(8, BigInt64Array, (v, o) => v.getBigInt64(o, true), (v, o, x) => v.setBigInt64(o, BigInt(x), true), [-(2n ** 63n), 2n ** 63n - 1n]),
  float64: fixed(8, Float64Array, (v, o) => v.getFloat64(o, true), (v, o, x) => v.setFloat64(o, Number(x), true)),
};

function isNumeric(type: GgufValueType): type is NumericType {
  return Object.hasOwn(NUMERIC, type);
}

/** Fewest bytes one value of a type takes in a file (strings: the u64 length; arrays: type + count). */
function minBytes(type: GgufValueType): number {
  if (type === 'bool') return 1;
  if (type === 'string') return 8;
  if (type === 'array') return 12;
  return NUMERIC[type].size;
}

// ---- reading ----

/** A GGUF string: u64 byte length, then that many UTF-8 bytes. */
export function readGgufString(r: ByteReader, field: Label): string {
  const at = r.pos;
  return decodeUtf8(r.lengthPrefixed(field), () => `${r.what}: ${labelText(field)} at byte ${at}`);
}

/** A value type id (u32); E_CORRUPT for ids outside 0–12. */
export function readGgufValueType(r: ByteReader, field: Label): GgufValueType {
  const at = r.pos;
  const id = r.u32(field);
  const type = GGUF_VALUE_TYPES[id];
  if (type === undefined) throw r.corrupt(`${labelText(field)} at byte ${at}: expected a value type 0–12, received ${id}`);
  return type;
}

/** One value of a known type. `depth` = arrays enclosing it. */
export function readGgufValue(r: ByteReader, type: GgufValueType, field: string, depth = 0): GgufValue {
  if (type === 'array') return { type, value: readArray(r, field, depth + 1) };
  if (type === 'string') return { type, value: readGgufString(r, field) };
  if (type === 'bool') return { type, value: readBool(r, field) };
  const codec = NUMERIC[type];
  const view = r.takeView(codec.size, field);
  return { type, value: codec.read(view, 0) } as GgufValue;
}

function readBool(r: ByteReader, field: Label): boolean {
  const at = r.pos;
  const byte = r.u8(field);
  if (byte > 1) throw r.corrupt(`${labelText(field)} at byte ${at}: expected a bool 0 or 1, received ${byte}`);
  return byte === 1;
}

function readArray(r: ByteReader, field: string, depth: number): GgufArray {
  const at = r.pos;
  if (depth > GGUF_MAX_ARRAY_DEPTH) {
    throw r.corrupt(`${field} at byte ${at}: arrays nested deeper than ${GGUF_MAX_ARRAY_DEPTH} levels`);
  }
  const type = readGgufValueType(r, () => `${field} element type`);
  const n = r.count(() => `${field} count`, minBytes(type));
  if (isNumeric(type)) {
    const codec = NUMERIC[type];
    const view = r.takeView(n * codec.size, field);
    const items = new codec.array(n);
    for (let i = 0; i < n; i++) items[i] = codec.read(view, i * codec.size);
    return { type, items } as GgufArray;
  }
  // Item labels are built only on error: a tokenizer array has 10^5 strings.
  if (type === 'bool') return { type, items: Array.from({ length: n }, (_, i) => readBool(r, () => `${field}[${i}]`)) };
  if (type === 'string') return { type, items: Array.from({ length: n }, (_, i) => readGgufString(r, () => `${field}[${i}]`)) };
  return { type, items: Array.from({ length: n }, (_, i) => readArray(r, `${field}[${i}]`, depth + 1)) };
}

// ---- writing ----

function inputError(field: Label, expected: string, value: unknown): BitsieveError {
  return new BitsieveError('E_DTYPE', `${labelText(field)}: expected ${expected}, received ${describe(value)}`);
}

export function writeGgufString(w: ByteWriter, text: unknown, field: Label): void {
  w.u64Utf8(expectWellFormed(text, field));
}

function valueTypeId(type: unknown, field: Label): number {
  const id = GGUF_VALUE_TYPES.indexOf(type as GgufValueType);
  if (id < 0) throw inputError(() => `${labelText(field)} type`, `one of ${GGUF_VALUE_TYPES.join(', ')}`, type);
  return id;
}

/** Writes a value's type id and then the value. */
export function writeGgufValue(w: ByteWriter, value: GgufValueInput, field: string): void {
  if (value === null || typeof value !== 'object') throw inputError(field, 'a { type, value } object', value);
  w.u32(valueTypeId(value.type, field));
  writeValueBody(w, value.type, value.value, field, 0);
}

function writeValueBody(w: ByteWriter, type: GgufValueType, value: unknown, field: Label, depth: number): void {
  if (type === 'array') return writeArray(w, value, field, depth + 1);
  if (type === 'string') return writeGgufString(w, value, field);
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw inputError(field, 'a boolean', value);
    return w.u8(value ? 1 : 0);
  }
  const codec = NUMERIC[type];
  checkNumber(codec, type, value, field);
  w.with(codec.size, (view, at) => codec.write(view, at, value as number | bigint));
}

function checkNumber(codec: FixedCodec, type: NumericType, value: unknown, field: Label): void {
  const wide = codec.size === 8 && codec.range !== undefined;
  if (wide ? typeof value !== 'bigint' : typeof value !== 'number') {
    throw inputError(field, `a ${wide ? 'bigint' : 'number'} for ${type}`, value);
  }
  if (codec.range === undefined) return;
  const [min, max] = codec.range;
  if ((typeof value === 'number' && !Number.isInteger(value)) || (value as number | bigint) < min || (value as number | bigint) > max) {
    throw new BitsieveError('E_RANGE', `${labelText(field)}: expected a ${type} integer in [${min}, ${max}], received ${String(value)}`);
  }
}

function writeArray(w: ByteWriter, array: unknown, field: Label, depth: number): void {
  if (depth > GGUF_MAX_ARRAY_DEPTH) {
    throw new BitsieveError('E_RANGE', `${labelText(field)}: arrays nest at most ${GGUF_MAX_ARRAY_DEPTH} levels deep`);
  }
  if (array === null || typeof array !== 'object') throw inputError(field, 'a { type, items } array', array);
  const { type, items } = array as { type: unknown; items: unknown };
  const id = valueTypeId(type, () => `${labelText(field)} element`);
  if (items === null || typeof items !== 'object' || !Number.isSafeInteger((items as ArrayLike<unknown>).length)) {
    throw inputError(() => `${labelText(field)} items`, 'an array or typed array', items);
  }
  const list = items as ArrayLike<unknown>;
  w.u32(id);
  w.u64(BigInt(list.length));
  for (let i = 0; i < list.length; i++) writeValueBody(w, GGUF_VALUE_TYPES[id], list[i], () => `${labelText(field)}[${i}]`, depth);
}
