// TensorFlow.js weights manifests (`*-weights_manifest.json` or a model.json's `weightsManifest`):
// an array of groups { paths, weights }. A group's tensors are stored back to back, in manifest
// order, in the concatenation of its path files, little-endian, with no padding. A tensor with
// `quantization` stores its elements in the quantized dtype: uint8/uint16 codes q decode to
// q·scale + min (rounded to the nearest integer for an int32 tensor), float16 to float32.
// Pure function over bytes and parsed JSON: no fs, no fetch, so it runs in browsers and workers.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS } from '../runtime/validate.js';

/** One decoded tensor; `dtype` says which typed array `data` is. */
export type TfjsTensor =
  | { readonly dtype: 'float32'; readonly shape: number[]; readonly data: Float32Array }
  | { readonly dtype: 'int32'; readonly shape: number[]; readonly data: Int32Array }
  /** bool tensors: one byte per element, 0 or 1. */
  | { readonly dtype: 'bool'; readonly shape: number[]; readonly data: Uint8Array };

type Bytes = ArrayBuffer | Uint8Array;

/**
 * The weight bytes: either everything every group's `paths` hold, in manifest order (one buffer,
 * or consecutive pieces such as one per file), or a lookup from a path to that file's bytes.
 */
export type TfjsWeightData = Bytes | readonly Bytes[] | ((path: string) => Bytes);

type ValueDtype = 'float32' | 'int32' | 'bool';
type StoredDtype = 'float32' | 'int32' | 'bool' | 'uint8' | 'uint16' | 'float16';

interface Group {
  paths: string[];
  specs: Spec[];
}

interface Spec {
  name: string;
  shape: number[];
  size: number;
  dtype: ValueDtype;
  stored: StoredDtype;
  scale: number;
  min: number;
}

const BYTES: Record<StoredDtype, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/**
 * Decodes every tensor of a tfjs weights manifest into a Map keyed by weight name (manifest
 * order). Throws `E_FORMAT` for a malformed manifest (missing fields, bad shapes, duplicate names,
 * unknown dtypes, quantization without a finite scale/min), `E_UNSUPPORTED` for string/complex64
 * tensors, `E_CORRUPT` when the bytes are shorter or longer than the manifest says.
 * Non-finite stored values (float32/float16 NaN, ±Infinity) are decoded as they are.
 */
export function readTfjsWeights(manifest: unknown, data: TfjsWeightData): Map<string, TfjsTensor> {
  const groups = parseManifest(manifest);
  const pieces = groupBytes(groups, data);
  const result = new Map<string, TfjsTensor>();
  groups.forEach(({ specs }, g) => {
    const bytes = pieces[g];
    let offset = 0;
    for (const spec of specs) {
      const length = spec.size * BYTES[spec.stored];
      if (offset + length > bytes.byteLength) {
        throw new BitsieveError('E_CORRUPT', `readTfjsWeights: weight ${JSON.stringify(spec.name)} needs bytes [${offset}, ${offset + length}) of group ${g}, which has ${bytes.byteLength}`);
      }
      result.set(spec.name, decode(spec, bytes.subarray(offset, offset + length)));
      offset += length;
    }
    if (offset !== bytes.byteLength) {
      throw new BitsieveError('E_CORRUPT', `readTfjsWeights: group ${g} holds ${bytes.byteLength} bytes, its weights take ${offset}`);
    }
  });
  return result;
}

function formatError(where: string, expected: string, value: unknown): BitsieveError {
  return new BitsieveError('E_FORMAT', `readTfjsWeights ${where}: expected ${expected}, received ${describe(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseManifest(manifest: unknown): Group[] {
  // A model.json carries the manifest under `weightsManifest`.
  const root = isRecord(manifest) && 'weightsManifest' in manifest ? manifest.weightsManifest : manifest;
  if (!Array.isArray(root)) throw formatError('manifest', 'an array of groups', root);
  const names = new Set<string>();
  return root.map((group, g) => {
    if (!isRecord(group)) throw formatError(`group ${g}`, '{ paths, weights }', group);
    const { paths, weights } = group;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) throw formatError(`group ${g} paths`, 'an array of strings', paths);
    if (!Array.isArray(weights)) throw formatError(`group ${g} weights`, 'an array', weights);
    const specs = weights.map((entry, i) => {
      const spec = parseEntry(entry, `group ${g} weight ${i}`);
      if (names.has(spec.name)) throw formatError(`group ${g} weight ${i} name`, 'a name not used before', spec.name);
      names.add(spec.name);
      return spec;
    });
    return { paths: paths as string[], specs };
  });
}

function parseEntry(entry: unknown, where: string): Spec {
  if (!isRecord(entry)) throw formatError(where, '{ name, shape, dtype }', entry);
  const { name, shape, dtype, quantization } = entry;
  if (typeof name !== 'string') throw formatError(`${where} name`, 'a string', name);
  if (!Array.isArray(shape)) throw formatError(`${where} shape`, 'an array of dimensions', shape);
  let size = 1;
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0) throw formatError(`${where} shape`, 'non-negative integer dimensions', dim);
    size *= dim;
    if (size > MAX_ELEMENTS) throw new BitsieveError('E_FORMAT', `readTfjsWeights ${where} shape: expected at most ${MAX_ELEMENTS} elements, received [${shape.join(', ')}]`);
  }
  if (dtype === 'string' || dtype === 'complex64') throw new BitsieveError('E_UNSUPPORTED', `readTfjsWeights ${where}: ${dtype} tensors are not supported`);
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw formatError(`${where} dtype`, "'float32' | 'int32' | 'bool'", dtype);
  const spec: Spec = { name, shape: shape.slice() as number[], size, dtype, stored: dtype, scale: 1, min: 0 };
  if (quantization === undefined) return spec;
  if (!isRecord(quantization)) throw formatError(`${where} quantization`, '{ dtype, scale?, min? }', quantization);
  const q = quantization.dtype;
  if (q === 'uint8' || q === 'uint16') {
    if (dtype === 'bool') throw formatError(`${where} quantization`, 'a float32 or int32 tensor', dtype);
    const { scale, min } = quantization;
    if (typeof scale !== 'number' || !Number.isFinite(scale)) throw formatError(`${where} quantization.scale`, 'a finite number', scale);
    if (typeof min !== 'number' || !Number.isFinite(min)) throw formatError(`${where} quantization.min`, 'a finite number', min);
    return { ...spec, stored: q, scale, min };
  }
  if (q === 'float16') {
    if (dtype !== 'float32') throw formatError(`${where} quantization`, 'float16 only on a float32 tensor', dtype);
    return { ...spec, stored: q };
  }
  throw formatError(`${where} quantization.dtype`, "'uint8' | 'uint16' | 'float16'", q);
}

function asBytes(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new BitsieveError('E_DTYPE', `readTfjsWeights ${where}: expected an ArrayBuffer or Uint8Array, received ${describe(value)}`);
}

/** One byte range per group. */
function groupBytes(groups: Group[], data: TfjsWeightData): Uint8Array[] {
  if (typeof data === 'function') {
    return groups.map(({ paths }) => concat(paths.map((path) => asBytes(data(path), `bytes of ${JSON.stringify(path)}`))));
  }
  const all = Array.isArray(data) ? concat((data as readonly unknown[]).map((piece, i) => asBytes(piece, `data[${i}]`))) : asBytes(data, 'data');
  if (groups.length === 0 && all.byteLength !== 0) throw new BitsieveError('E_CORRUPT', `readTfjsWeights: the manifest has no groups but ${all.byteLength} bytes were given`);
  // Without path files to mark them, group boundaries follow from the byte sizes of their
  // weights; the last group takes the rest, so surplus bytes are reported there.
  let offset = 0;
  return groups.map(({ specs }, g) => {
    const length = specs.reduce((n, s) => n + s.size * BYTES[s.stored], 0);
    const end = g === groups.length - 1 ? all.byteLength : Math.min(offset + length, all.byteLength);
    const piece = all.subarray(offset, end);
    offset = end;
    return piece;
  });
}

function concat(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** float16 bits → the exact float32 value (every half is representable in single precision). */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

function decode(spec: Spec, bytes: Uint8Array): TfjsTensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { size, shape, scale, min } = spec;
  // Affine codes are computed in float64 and rounded once into the output array, as tfjs does.
  const code = (i: number): number => {
    switch (spec.stored) {
      case 'uint8':
        return bytes[i] * scale + min;
      case 'uint16':
        return view.getUint16(2 * i, true) * scale + min;
      case 'float16':
        return halfToFloat(view.getUint16(2 * i, true));
      case 'float32':
        return view.getFloat32(4 * i, true);
      case 'int32':
        return view.getInt32(4 * i, true);
      case 'bool':
        return bytes[i] ? 1 : 0;
    }
  };
  if (spec.dtype === 'float32') {
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = code(i);
    return { dtype: 'float32', shape, data };
  }
  if (spec.dtype === 'int32') {
    const data = new Int32Array(size);
    for (let i = 0; i < size; i++) data[i] = Math.round(code(i));
    return { dtype: 'int32', shape, data };
  }
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = code(i);
  return { dtype: 'bool', shape, data };
}
