// safetensors: u64 little-endian header length N, N bytes of UTF-8 JSON starting with "{" (space-padded
// at the end), then the data. The JSON maps each tensor name to { dtype, shape, data_offsets: [begin,
// end] } (offsets relative to the data) plus an optional "__metadata__" map of strings to strings.
// The reference implementation requires the tensors, sorted by offset, to cover the data exactly:
// no gaps, no overlaps, nothing after. Tensors are read as views of the input (no copy).
import { halfToFloat, bf16ToFloatBits, bitsToFloat } from '../formats/half.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import { jsonSafeInteger, parseStrictJson, type Json, type JsonObject } from './strict-json.js';
import { decodeUtf8, encodeUtf8 } from './text.js';

/**
 * Bits per element of every dtype the reference implementation defines, in its enum order (which its
 * writer uses, descending, to place wider types first so each tensor starts aligned).
 */
export const SAFETENSORS_DTYPES = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
} as const;

export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;
const DTYPE_ORDER = Object.keys(SAFETENSORS_DTYPES) as SafetensorsDtype[];

/** The reference implementation refuses headers above 100 MB; so do the reader and the writer. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/**
 * What `array()` returns per dtype: the natural typed array; F16/BF16 as their bit patterns; C64 as
 * interleaved (re, im) float32 pairs; BOOL, FP8 and the packed F4/F6 types as raw bytes.
 */
export interface SafetensorsArrays {
  BOOL: Uint8Array;
  F4: Uint8Array;
  F6_E2M3: Uint8Array;
  F6_E3M2: Uint8Array;
  U8: Uint8Array;
  I8: Int8Array;
  F8_E5M2: Uint8Array;
  F8_E4M3: Uint8Array;
  F8_E8M0: Uint8Array;
  I16: Int16Array;
  U16: Uint16Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I32: Int32Array;
  U32: Uint32Array;
  F32: Float32Array;
  C64: Float32Array;
  F64: Float64Array;
  I64: BigInt64Array;
  U64: BigUint64Array;
}

type TypedArrayClass = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => SafetensorsArrays[SafetensorsDtype];
const ARRAY_CLASS: Readonly<Record<SafetensorsDtype, TypedArrayClass & { BYTES_PER_ELEMENT: number }>> = {
  BOOL: Uint8Array,
  F4: Uint8Array,
  F6_E2M3: Uint8Array,
  F6_E3M2: Uint8Array,
  U8: Uint8Array,
  I8: Int8Array,
  F8_E5M2: Uint8Array,
  F8_E4M3: Uint8Array,
  F8_E8M0: Uint8Array,
  I16: Int16Array,
  U16: Uint16Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I32: Int32Array,
  U32: Uint32Array,
  F32: Float32Array,
  C64: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
};

// Typed arrays read in the host's byte order; safetensors is little-endian (as is every current JS engine).
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Bits that `shape` elements of `dtype` take. */
function sizeInBits(dtype: SafetensorsDtype, shape: readonly number[]): bigint {
  return shape.reduce((a, b) => a * BigInt(b), 1n) * BigInt(SAFETENSORS_DTYPES[dtype]);
}

function checkDtype(dtype: unknown, where: string): asserts dtype is SafetensorsDtype {
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPES, dtype)) {
    throw new BitsieveError('E_DTYPE', `${where}: expected a dtype among ${DTYPE_ORDER.join(', ')}, received ${describe(dtype)}`);
  }
}

function checkShape(shape: unknown, where: string): asserts shape is readonly number[] {
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new BitsieveError('E_SHAPE', `${where}: expected a shape of non-negative integers, received ${describe(shape)}`);
  }
}

/** E_SHAPE unless `byteLength` is exactly what `shape` elements of `dtype` take, in whole bytes. */
function checkSize(dtype: SafetensorsDtype, shape: readonly number[], byteLength: number, where: string): void {
  const bits = sizeInBits(dtype, shape);
  if (bits % 8n !== 0n || bits / 8n !== BigInt(byteLength)) {
    const need = bits % 8n === 0n ? `${bits / 8n} bytes` : `${bits} bits (not whole bytes)`;
    throw new BitsieveError('E_SHAPE', `${where}: ${dtype} [${shape.join(', ')}] takes ${need}, data has ${byteLength} bytes`);
  }
}

/** One tensor of a safetensors file. */
export class SafetensorsTensor<D extends SafetensorsDtype = SafetensorsDtype> {
  readonly name: string;
  readonly dtype: D;
  /** Row-major (C order) shape; [] for a scalar. */
  readonly shape: readonly number[];
  /** The tensor's bytes: a view of the input (no copy). */
  readonly data: Uint8Array;

  /** Wraps bytes without copying; E_DTYPE for an unknown dtype or non-Uint8Array data, E_SHAPE when sizes differ. */
  constructor(name: string, dtype: D, shape: readonly number[], data: Uint8Array) {
    const where = `SafetensorsTensor ${JSON.stringify(name)}`;
    checkDtype(dtype, where);
    checkShape(shape, where);
    if (!(data instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `${where}: expected data as a Uint8Array, received ${describe(data)}`);
    checkSize(dtype, shape, data.byteLength, where);
    this.name = name;
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  /** Number of elements (the product of the shape). */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /**
   * The elements as a typed array (see SafetensorsArrays). A view of the file bytes when they sit at a
   * multiple of the element size in their ArrayBuffer; otherwise (a typed array cannot start
   * misaligned) a copy. Files from the reference writer, read from a buffer that starts aligned, are
   * always views.
   */
  array(): SafetensorsArrays[D] {
    if (!HOST_LITTLE_ENDIAN) throw new BitsieveError('E_UNSUPPORTED', 'SafetensorsTensor.array: needs a little-endian host');
    const Class = ARRAY_CLASS[this.dtype];
    const width = Class.BYTES_PER_ELEMENT;
    const bytes = this.data.byteOffset % width === 0 ? this.data : this.data.slice();
    return new Class(bytes.buffer, bytes.byteOffset, bytes.byteLength / width) as SafetensorsArrays[D];
  }

  /**
   * The elements converted to a new Float32Array: exact for F16, BF16, F32, 8/16-bit integers and
   * BOOL (nonzero → 1), rounded to nearest for F64, 32/64-bit integers. E_UNSUPPORTED for C64, the
   * FP8 types and the packed F4/F6 types.
   */
  toFloat32(): Float32Array {
    const values = this.array();
    switch (this.dtype) {
      case 'F16':
        return Float32Array.from(values as Uint16Array, halfToFloat);
      case 'BF16':
        return Float32Array.from(values as Uint16Array, (b) => bitsToFloat(bf16ToFloatBits(b)));
      case 'BOOL':
        return Float32Array.from(values as Uint8Array, (b) => (b === 0 ? 0 : 1));
      case 'I64':
      case 'U64':
        return Float32Array.from(values as BigInt64Array, (b) => Number(b));
      case 'F32':
      case 'F64':
      case 'U8':
      case 'I8':
      case 'I16':
      case 'U16':
      case 'I32':
      case 'U32':
        return Float32Array.from(values as ArrayLike<number>);
      default:
        throw new BitsieveError('E_UNSUPPORTED', `SafetensorsTensor.toFloat32 ${JSON.stringify(this.name)}: no float32 conversion for ${this.dtype}`);
    }
  }
}

/** A parsed safetensors file. */
export interface SafetensorsFile {
  /** The "__metadata__" strings (empty when absent). */
  readonly metadata: ReadonlyMap<string, string>;
  /** Every tensor, in header order. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** Where the data starts, in bytes from the start of the input (8 + header length). */
  readonly dataOffset: number;
}

/**
 * Parses a safetensors file. Tensor `data` (and `array()` where aligned) are views of `bytes`: nothing
 * is copied, so keep `bytes` unmodified while you use them.
 *
 * Throws `E_CORRUPT` for a header length beyond the file, invalid UTF-8, a header not starting with
 * "{", malformed JSON or duplicate keys, entries of the wrong shape (dtype/shape/data_offsets missing
 * or mistyped, non-string metadata), a shape × dtype size that differs from its offsets' span, or
 * offsets that leave gaps, overlap or do not end at the end of the file; `E_UNSUPPORTED` for an
 * unknown dtype or a header above 100 MB.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readSafetensors } from 'bitsieve';
 *
 * const file = readSafetensors(readFileSync('model.safetensors'));
 * const w = file.tensors.get('model.layers.0.mlp.down_proj.weight')!;
 * console.log(w.dtype, w.shape);       // 'BF16', [576, 1536]
 * const values = w.toFloat32();       // Float32Array of 576·1536, row-major
 * ```
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) {
    throw new BitsieveError('E_DTYPE', `readSafetensors: expected a Uint8Array, received ${describe(bytes)}`);
  }
  const corrupt = (message: string) => new BitsieveError('E_CORRUPT', `readSafetensors: ${message}`);
  if (bytes.byteLength < 8) throw corrupt(`expected at least 8 bytes (the header length), received ${bytes.byteLength}`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.byteLength - 8)) {
    throw corrupt(`header length ${headerLength} exceeds the ${bytes.byteLength - 8} bytes after it`);
  }
  const n = Number(headerLength);
  if (n > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new BitsieveError('E_UNSUPPORTED', `readSafetensors: header of ${n} bytes exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit`);
  }
  const text = decodeUtf8(bytes.subarray(8, 8 + n), 'readSafetensors header');
  if (text[0] !== '{') throw corrupt(`expected the header to start with "{", received ${JSON.stringify(text.slice(0, 8))}`);
  const root = parseStrictJson(text, 'readSafetensors header', 16) as JsonObject;

  const dataOffset = 8 + n;
  const dataLength = bytes.byteLength - dataOffset;
  let metadata: ReadonlyMap<string, string> = new Map();
  const entries: Entry[] = [];
  for (const [name, value] of root) {
    if (name === '__metadata__') metadata = parseMetadata(value, corrupt);
    else entries.push(parseEntry(name, value, corrupt));
  }

  // Sorted by offsets, each tensor must start where the previous one ended, and the last end the data.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin !== cursor) {
      throw corrupt(`tensor ${JSON.stringify(e.name)} starts at data byte ${e.begin}, expected ${cursor}: the tensors must cover the data without gaps or overlaps`);
    }
    cursor = e.end;
  }
  if (cursor !== dataLength) {
    throw corrupt(`the tensors cover ${cursor} bytes of data, the file has ${dataLength} after the header`);
  }

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    tensors.set(e.name, new SafetensorsTensor(e.name, e.dtype, e.shape, bytes.subarray(dataOffset + e.begin, dataOffset + e.end)));
  }
  return Object.freeze({ metadata, tensors, dataOffset });
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

type Corrupt = (message: string) => BitsieveError;

function isObject(value: Json): value is JsonObject {
  return value instanceof Map;
}

function parseMetadata(value: Json, corrupt: Corrupt): Map<string, string> {
  if (value === null) return new Map(); // the reference reader takes null as "no metadata"
  if (!isObject(value)) throw corrupt('"__metadata__": expected an object of strings');
  for (const [key, v] of value) {
    if (typeof v !== 'string') throw corrupt(`"__metadata__" ${JSON.stringify(key)}: expected a string value`);
  }
  return value as Map<string, string>;
}

function parseEntry(name: string, value: Json, corrupt: Corrupt): Entry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!isObject(value)) throw corrupt(`${where}: expected an object { dtype, shape, data_offsets }`);
  const dtype = value.get('dtype');
  if (typeof dtype !== 'string') throw corrupt(`${where}: expected a string dtype`);
  if (!Object.hasOwn(SAFETENSORS_DTYPES, dtype)) {
    throw new BitsieveError('E_UNSUPPORTED', `readSafetensors ${where}: unknown dtype ${JSON.stringify(dtype)}`);
  }
  const shape = integers(value.get('shape'));
  if (shape === undefined) throw corrupt(`${where}: expected shape to be an array of non-negative integers below 2^53`);
  const offsets = integers(value.get('data_offsets'));
  if (offsets === undefined || offsets.length !== 2 || offsets[0] > offsets[1]) {
    throw corrupt(`${where}: expected data_offsets [begin, end] with begin ≤ end`);
  }
  const bits = sizeInBits(dtype as SafetensorsDtype, shape);
  if (bits % 8n !== 0n) throw corrupt(`${where}: ${dtype} [${shape.join(', ')}] is not a whole number of bytes`);
  const [begin, end] = offsets;
  if (bits / 8n !== BigInt(end - begin)) {
    throw corrupt(`${where}: ${dtype} [${shape.join(', ')}] takes ${bits / 8n} bytes, data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape, begin, end };
}

function integers(value: Json | undefined): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = value.map(jsonSafeInteger);
  return out.every((n) => n !== undefined) ? (out as number[]) : undefined;
}

// ---- writing ----

/** A tensor to write: `data` is any typed array (or DataView) whose bytes are the elements, little-endian. */
export interface SafetensorsTensorInput {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
}

type Named<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

function entriesOf<T>(value: Named<T> | undefined): [string, T][] {
  if (value === undefined) return [];
  return value instanceof Map ? [...value] : Object.entries(value);
}

const utf8Order = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};

/**
 * Writes a safetensors file the way the reference implementation does: tensors ordered by dtype (widest
 * first, its enum order) then name, packed without gaps, the header JSON written compactly ("__metadata__"
 * first) and space-padded to a multiple of 8 bytes, so every tensor starts at a multiple of its element
 * size when the file is loaded at an aligned address.
 *
 * Throws `E_DTYPE` for an unknown dtype, non-view data or a non-string metadata value, `E_SHAPE` when
 * the data length differs from shape × dtype size (or is not whole bytes), `E_FORMAT` for the reserved
 * name "__metadata__", `E_RANGE` for a header above 100 MB.
 */
export function writeSafetensors(tensors: Named<SafetensorsTensorInput>, metadata?: Named<string>): Uint8Array {
  if (tensors === null || typeof tensors !== 'object') {
    throw new BitsieveError('E_DTYPE', `writeSafetensors: expected a Map or record of tensors, received ${describe(tensors)}`);
  }
  const planned = entriesOf(tensors).map(([name, t]) => planTensor(name, t));
  planned.sort((a, b) => DTYPE_ORDER.indexOf(b.dtype) - DTYPE_ORDER.indexOf(a.dtype) || utf8Order(a.nameBytes, b.nameBytes));

  const parts: string[] = [];
  const meta = entriesOf(metadata);
  if (meta.length > 0) {
    const fields = meta.map(([key, value]) => {
      encodeUtf8(key, 'writeSafetensors metadata key');
      encodeUtf8(value, `writeSafetensors metadata ${JSON.stringify(key)}`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`"__metadata__":{${fields.join(',')}}`);
  }
  let offset = 0;
  for (const t of planned) {
    const end = offset + t.bytes.byteLength;
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = encodeUtf8(`{${parts.join(',')}}`, 'writeSafetensors header');
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  if (headerLength > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new BitsieveError('E_RANGE', `writeSafetensors: the header takes ${headerLength} bytes, above the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit`);
  }

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of planned) {
    out.set(t.bytes, at);
    at += t.bytes.byteLength;
  }
  return out;
}

interface Planned {
  name: string;
  nameBytes: Uint8Array;
  dtype: SafetensorsDtype;
  shape: readonly number[];
  bytes: Uint8Array;
}

function planTensor(name: string, t: SafetensorsTensorInput): Planned {
  const where = `writeSafetensors tensor ${JSON.stringify(name)}`;
  if (name === '__metadata__') throw new BitsieveError('E_FORMAT', `${where}: the name is reserved for the metadata`);
  const nameBytes = encodeUtf8(name, `${where} name`);
  if (t === null || typeof t !== 'object') throw new BitsieveError('E_DTYPE', `${where}: expected { dtype, shape, data }, received ${describe(t)}`);
  const { dtype, shape, data } = t;
  checkDtype(dtype, where);
  checkShape(shape, where);
  if (!ArrayBuffer.isView(data)) throw new BitsieveError('E_DTYPE', `${where}: expected data as a typed array, received ${describe(data)}`);
  checkSize(dtype, shape, data.byteLength, where);
  return { name, nameBytes, dtype, shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
