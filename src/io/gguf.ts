// GGUF container (lowbit.md §1.22), versions 2 and 3, little-endian: "GGUF", u32 version, u64 tensor
// count, u64 metadata count, the metadata key/values, the tensor infos (name, n_dims, ne[], ggml type,
// offset), padding to the alignment, then the data section. The reader checks every count, length and
// offset against the bytes it has before using it, and returns tensor data as views of the input (no
// copy), so holding a file costs its bytes and nothing per tensor.
import { GgufMatrix } from '../formats/gguf/matrix.js';
import { GGUF_TYPES, ggufRowBytes, ggufType, type GgufTypeInfo } from '../formats/gguf/types.js';
import { BitsieveError, describe } from '../runtime/errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import {
  readGgufString,
  readGgufValue,
  readGgufValueType,
  writeGgufString,
  writeGgufValue,
  type GgufValue,
  type GgufValueInput,
} from './gguf-metadata.js';
import { encodeUtf8 } from './text.js';

/** Alignment of the data section and of every tensor when `general.alignment` is absent. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml keeps tensor names in 64-byte NUL-terminated fields, so the writer allows at most 63 bytes. */
export const GGUF_MAX_NAME_BYTES = 63;
const MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"
const MAX_DIMS = 4;
const INT64_MAX = 2n ** 63n - 1n;
// Fewest bytes a tensor info takes: name length u64, n_dims u32, type u32, offset u64.
const MIN_TENSOR_INFO_BYTES = 24;
// Fewest bytes a key/value takes: key length u64, value type u32, one byte of value.
const MIN_KV_BYTES = 13;

/** One tensor of a GGUF file. */
export interface GgufTensor {
  readonly name: string;
  /** The ggml type (block geometry included). */
  readonly type: GgufTypeInfo;
  /** Dimensions in ggml's `ne` order: `dims[0]` is contiguous, so a [out, in] weight has dims [in, out]. */
  readonly dims: readonly number[];
  /** Byte offset from the start of the data section (a multiple of the alignment). */
  readonly offset: number;
  /** The tensor's bytes: a view of the input buffer (no copy). */
  readonly data: Uint8Array;
}

/** A parsed GGUF file. */
export interface GgufFile {
  readonly version: 2 | 3;
  /** `general.alignment`, or 32. */
  readonly alignment: number;
  /** Every key/value, in file order. */
  readonly metadata: ReadonlyMap<string, GgufValue>;
  /** Every tensor, in file order. */
  readonly tensors: readonly GgufTensor[];
  /** Where the data section starts, in bytes from the start of the input. */
  readonly dataOffset: number;
}

/** A tensor to write. `type` is a ggml id, name or GgufTypeInfo; `data` holds exactly its blocks. */
export interface GgufTensorInput {
  readonly name: string;
  readonly type: number | string | GgufTypeInfo;
  /** ne order (contiguous first), 0–4 dimensions. */
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export interface GgufWriteInput {
  /** Key/values in the order to write (a Map keeps insertion order; a Record keeps its key order). */
  readonly metadata?: ReadonlyMap<string, GgufValueInput> | Readonly<Record<string, GgufValueInput>>;
  readonly tensors?: readonly GgufTensorInput[];
  /**
   * Data alignment: a power of two that is a multiple of 8. Defaults to `general.alignment` when the
   * metadata has it, else 32; any other value is also written as `general.alignment` (appended).
   */
  readonly alignment?: number;
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/**
 * Parses a GGUF file (version 2 or 3, little-endian). Tensor `data` are views of `bytes`: nothing is
 * copied, so keep `bytes` unmodified while you use them.
 *
 * Throws `E_CORRUPT` for anything malformed (bad magic; a count, length or offset beyond the bytes
 * left; more than 4 dims; dims whose product overflows int64; ne[0] not a whole number of blocks;
 * misaligned, out-of-range or overlapping tensor data; duplicate keys or tensor names; a bool other
 * than 0/1; invalid UTF-8; an unknown value type; arrays nested deeper than 8; a `general.alignment`
 * that is not a uint32 power of two) and `E_UNSUPPORTED` for version 1, big-endian files, tensor
 * types ggml removed or this version does not know, and dims above 2^53.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readGguf, ggufTensorMatrix } from 'bitsieve';
 *
 * const file = readGguf(readFileSync('model.gguf'));
 * console.log(file.metadata.get('general.architecture')?.value, file.tensors.length);
 * const t = file.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!;
 * const w = ggufTensorMatrix(t); // GgufMatrix [out, in] over the same bytes
 * ```
 */
export function readGguf(bytes: Uint8Array): GgufFile {
  if (!(bytes instanceof Uint8Array)) {
    throw new BitsieveError('E_DTYPE', `readGguf: expected a Uint8Array, received ${describe(bytes)}`);
  }
  const r = new ByteReader(bytes, 'readGguf');
  r.need(8, 'magic and version');
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw r.corrupt(`expected the magic "GGUF" (47 47 55 46), received ${got}`);
  }
  r.pos = 4;
  const version = readVersion(r);

  const tensorCount = r.count('tensor count', MIN_TENSOR_INFO_BYTES);
  const kvCount = r.count('metadata count', MIN_KV_BYTES);
  r.need(tensorCount * MIN_TENSOR_INFO_BYTES + kvCount * MIN_KV_BYTES, `${kvCount} key/values and ${tensorCount} tensor infos`);

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const at = r.pos;
    const key = readGgufString(r, `metadata key ${i}`);
    if (metadata.has(key)) throw r.corrupt(`metadata key ${JSON.stringify(key)} at byte ${at} appears twice`);
    const field = `metadata ${JSON.stringify(key)}`;
    metadata.set(key, readGgufValue(r, readGgufValueType(r, `${field} type`), field));
  }
  const alignment = readAlignment(r, metadata.get('general.alignment'));

  const infos = Array.from({ length: tensorCount }, (_, i) => readTensorInfo(r, i));
  const dataOffset = alignUp(r.pos, alignment);
  const names = new Set<string>();
  const tensors = infos.map((info): GgufTensor => {
    if (names.has(info.name)) throw r.corrupt(`tensor name ${JSON.stringify(info.name)} appears twice`);
    names.add(info.name);
    const where = `tensor ${JSON.stringify(info.name)}`;
    if (info.offset % BigInt(alignment) !== 0n) {
      throw r.corrupt(`${where}: offset ${info.offset} is not a multiple of the alignment ${alignment}`);
    }
    const start = BigInt(dataOffset) + info.offset;
    if (start + info.byteLength > BigInt(bytes.byteLength)) {
      throw r.corrupt(`${where}: bytes [${start}, ${start + info.byteLength}) lie beyond the end of the ${bytes.byteLength}-byte file`);
    }
    const begin = Number(start);
    const data = bytes.subarray(begin, begin + Number(info.byteLength));
    return Object.freeze({ name: info.name, type: info.type, dims: Object.freeze(info.dims), offset: Number(info.offset), data });
  });
  checkNoOverlap(r, tensors);
  return Object.freeze({ version, alignment, metadata, tensors: Object.freeze(tensors), dataOffset });
}

function readVersion(r: ByteReader): 2 | 3 {
  const version = r.u32('version');
  if (version === 2 || version === 3) return version;
  if (version === 1) {
    throw new BitsieveError('E_UNSUPPORTED', 'readGguf: GGUF version 1 (32-bit counts, 2023) is not supported; convert the file with a current llama.cpp');
  }
  if ((version & 0xffff) === 0 && version !== 0) {
    const swapped = ((version >>> 24) | ((version >>> 8) & 0xff00)) >>> 0;
    throw new BitsieveError('E_UNSUPPORTED', `readGguf: this is a big-endian GGUF file (version field 0x${version.toString(16).padStart(8, '0')} = ${swapped} byte-swapped); only little-endian files are supported`);
  }
  throw new BitsieveError('E_UNSUPPORTED', `readGguf: expected GGUF version 2 or 3, received ${version}`);
}

function readAlignment(r: ByteReader, value: GgufValue | undefined): number {
  if (value === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (value.type !== 'uint32') throw r.corrupt(`general.alignment: expected a uint32, received a ${value.type}`);
  // ggml's loader accepts any power of two; the spec also asks for a multiple of 8, which only the writer enforces.
  if (value.value === 0 || (value.value & (value.value - 1)) !== 0) {
    throw r.corrupt(`general.alignment: expected a power of two, received ${value.value}`);
  }
  return value.value;
}

interface TensorInfo {
  name: string;
  dims: number[];
  type: GgufTypeInfo;
  offset: bigint;
  byteLength: bigint;
}

function readTensorInfo(r: ByteReader, i: number): TensorInfo {
  const name = readGgufString(r, `tensor ${i} name`);
  const where = `tensor ${JSON.stringify(name)}`;
  const nDims = r.u32(`${where} n_dims`);
  if (nDims > MAX_DIMS) throw r.corrupt(`${where}: expected at most ${MAX_DIMS} dimensions, received ${nDims}`);
  const ne: bigint[] = [];
  for (let d = 0; d < nDims; d++) {
    const n = r.u64(`${where} ne[${d}]`);
    if (n > INT64_MAX) throw r.corrupt(`${where}: ne[${d}] = ${n} is negative as ggml's int64`);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new BitsieveError('E_UNSUPPORTED', `readGguf: ${where}: ne[${d}] = ${n} is above 2^53, which this reader does not support`);
    }
    ne.push(n);
  }
  const at = r.pos;
  const id = r.u32(`${where} type`);
  const type = GGUF_TYPES.get(id);
  if (!type) throw new BitsieveError('E_UNSUPPORTED', `readGguf: ${where} at byte ${at}: unknown or removed ggml type id ${id}`);
  const offset = r.u64(`${where} offset`);

  const elements = ne.reduce((a, b) => a * b, 1n);
  if (elements > INT64_MAX) throw r.corrupt(`${where}: ne = [${ne.join(', ')}] has more than 2^63 - 1 elements`);
  const blockElems = BigInt(type.blockElems);
  const ne0 = ne.length > 0 ? ne[0] : 1n;
  if (ne0 % blockElems !== 0n) {
    throw r.corrupt(`${where}: ${type.name} needs ne[0] to be a multiple of ${type.blockElems}, received ${ne0}`);
  }
  const byteLength = (elements / blockElems) * BigInt(type.blockBytes);
  return { name, dims: ne.map(Number), type, offset, byteLength };
}

/** Two tensors with bytes may not share any; empty tensors take none. */
function checkNoOverlap(r: ByteReader, tensors: GgufTensor[]): void {
  const used = tensors.filter((t) => t.data.byteLength > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < used.length; i++) {
    const prev = used[i - 1];
    if (prev.offset + prev.data.byteLength > used[i].offset) {
      throw r.corrupt(`tensors ${JSON.stringify(prev.name)} and ${JSON.stringify(used[i].name)} overlap (offsets ${prev.offset} + ${prev.data.byteLength} bytes > ${used[i].offset})`);
    }
  }
}

/**
 * The [out, in] matrix of a 2-D tensor (ne = [in, out]) over the same bytes (no copy).
 * E_SHAPE for any other number of dimensions.
 */
export function ggufTensorMatrix(tensor: GgufTensor): GgufMatrix {
  if (tensor.dims.length !== 2) {
    throw new BitsieveError('E_SHAPE', `ggufTensorMatrix ${JSON.stringify(tensor.name)}: expected a 2-D tensor (ne = [in, out]), received ne = [${tensor.dims.join(', ')}]`);
  }
  const [inFeatures, outFeatures] = tensor.dims;
  return new GgufMatrix(tensor.type, [outFeatures, inFeatures], tensor.data);
}

/** A GgufMatrix [out, in] as a tensor to write (ne = [in, out]; the bytes are not copied until written). */
export function ggufMatrixTensor(name: string, matrix: GgufMatrix): GgufTensorInput {
  const [outFeatures, inFeatures] = matrix.shape;
  return { name, type: matrix.type, dims: [inFeatures, outFeatures], data: matrix.data };
}

interface TensorPlan {
  name: Uint8Array;
  dims: readonly number[];
  type: GgufTypeInfo;
  data: Uint8Array;
  offset: number;
}

/**
 * Writes a GGUF version 3 file: header, metadata in the given order, tensor infos, then each tensor's
 * bytes at the next multiple of the alignment, zero-padded (after the last tensor too, as ggml does).
 * `writeGguf(readGguf(bytes))` reproduces a file laid out that way byte for byte.
 *
 * Throws `E_DTYPE`/`E_RANGE` for values that do not fit their declared type, `E_SHAPE` when a
 * tensor's data length differs from what its type and dims need, `E_FORMAT` for duplicate tensor
 * names or an `alignment` that disagrees with `general.alignment`.
 */
export function writeGguf(input: GgufWriteInput): Uint8Array {
  if (input === null || typeof input !== 'object') {
    throw new BitsieveError('E_DTYPE', `writeGguf: expected { metadata, tensors, alignment? }, received ${describe(input)}`);
  }
  const entries: [string, GgufValueInput][] =
    input.metadata === undefined ? [] : input.metadata instanceof Map ? [...input.metadata] : Object.entries(input.metadata);
  const alignment = chooseAlignment(entries, input.alignment);

  const names = new Set<string>();
  const plans = (input.tensors ?? []).map((t, i) => planTensor(t, i, names));
  let end = 0;
  for (const plan of plans) {
    plan.offset = alignUp(end, alignment);
    end = plan.offset + plan.data.byteLength;
  }

  const w = new ByteWriter();
  w.bytes(Uint8Array.from(MAGIC));
  w.u32(3);
  w.u64(BigInt(plans.length));
  w.u64(BigInt(entries.length));
  for (const [key, value] of entries) {
    writeGgufString(w, key, 'writeGguf metadata key');
    writeGgufValue(w, value, `writeGguf metadata ${JSON.stringify(key)}`);
  }
  for (const plan of plans) {
    w.u64(BigInt(plan.name.byteLength));
    w.bytes(plan.name);
    w.u32(plan.dims.length);
    for (const n of plan.dims) w.u64(BigInt(n));
    w.u32(plan.type.id);
    w.u64(BigInt(plan.offset));
  }
  const header = w.result();
  const dataOffset = alignUp(header.byteLength, alignment);
  const out = new Uint8Array(dataOffset + alignUp(end, alignment));
  out.set(header);
  for (const plan of plans) out.set(plan.data, dataOffset + plan.offset);
  return out;
}

/** The alignment to use; appends `general.alignment` to `entries` when a non-default one is not there yet. */
function chooseAlignment(entries: [string, GgufValueInput][], requested: number | undefined): number {
  const existing = entries.find(([key]) => key === 'general.alignment')?.[1];
  if (existing !== undefined && existing.type !== 'uint32') {
    throw new BitsieveError('E_DTYPE', `writeGguf general.alignment: expected type uint32, received ${describe(existing.type)}`);
  }
  const fromMetadata = existing?.value as number | undefined;
  if (requested !== undefined && fromMetadata !== undefined && requested !== fromMetadata) {
    throw new BitsieveError('E_FORMAT', `writeGguf: alignment ${requested} disagrees with general.alignment ${fromMetadata}`);
  }
  const alignment = requested ?? fromMetadata ?? GGUF_DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment < 8 || alignment > 2 ** 31 || (alignment & (alignment - 1)) !== 0) {
    throw new BitsieveError('E_RANGE', `writeGguf: expected an alignment that is a power of two and a multiple of 8, received ${describe(alignment)}`);
  }
  if (existing === undefined && alignment !== GGUF_DEFAULT_ALIGNMENT) entries.push(['general.alignment', { type: 'uint32', value: alignment }]);
  return alignment;
}

function planTensor(t: GgufTensorInput, i: number, names: Set<string>): TensorPlan {
  if (t === null || typeof t !== 'object') throw new BitsieveError('E_DTYPE', `writeGguf tensor ${i}: expected { name, type, dims, data }, received ${describe(t)}`);
  const where = `writeGguf tensor ${typeof t.name === 'string' ? JSON.stringify(t.name) : i}`;
  const name = encodeUtf8(t.name, `${where} name`);
  if (name.byteLength > GGUF_MAX_NAME_BYTES) {
    throw new BitsieveError('E_RANGE', `${where}: expected a name of at most ${GGUF_MAX_NAME_BYTES} UTF-8 bytes, received ${name.byteLength}`);
  }
  if (names.has(t.name)) throw new BitsieveError('E_FORMAT', `${where}: the name appears twice`);
  names.add(t.name);
  const type = typeof t.type === 'object' && t.type !== null ? ggufType(t.type.id) : ggufType(t.type);
  const dims = t.dims;
  if (!Array.isArray(dims) || dims.length > MAX_DIMS || !dims.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new BitsieveError('E_SHAPE', `${where}: expected 0–${MAX_DIMS} non-negative integer dims, received ${describe(dims)}`);
  }
  const rows = dims.slice(1).reduce((a, b) => a * b, 1);
  const byteLength = ggufRowBytes(type, dims.length > 0 ? dims[0] : 1) * rows;
  if (!Number.isSafeInteger(byteLength)) throw new BitsieveError('E_RANGE', `${where}: ne = [${dims.join(', ')}] is too large`);
  if (!(t.data instanceof Uint8Array) || t.data.byteLength !== byteLength) {
    throw new BitsieveError('E_SHAPE', `${where}: ${type.name} ne = [${dims.join(', ')}] needs a Uint8Array of ${byteLength} bytes, received ${describe(t.data)}`);
  }
  return { name, dims, type, data: t.data, offset: 0 };
}
