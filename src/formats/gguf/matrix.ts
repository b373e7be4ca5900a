// A [out, in] weight matrix stored as ggml blocks, exactly as a GGUF file holds it (ne = [in, out]): each
// row is in / blockElems consecutive blocks. The bytes are kept as they are, so loading from a file and
// writing back are lossless, and `bs.linear()` runs them without expanding to f32.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectFinite, expectShape2 } from '../../runtime/validate.js';
import { readFramed, writeFramed } from '../bytes.js';
import type { MatrixFormat } from '../format.js';
import type { GgufCodec } from './codec.js';
import { GGUF_CODECS } from './codecs.js';
import { ggufRowBytes, ggufType, type GgufTypeInfo } from './types.js';

const MAGIC = 'BSGG';
const VERSION = 1;

/** The codec of a type, or E_UNSUPPORTED when this version has none. */
export function ggufCodec(type: number | string | GgufTypeInfo): GgufCodec {
  const info = typeof type === 'object' && type !== null ? ggufType(type.id) : ggufType(type);
  const codec = GGUF_CODECS.get(info.id);
  if (!codec) throw new BitsieveError('E_UNSUPPORTED', `GGUF type ${info.name}: not implemented in this version`);
  return codec;
}

export class GgufMatrix implements MatrixFormat {
  readonly kind = 'gguf';
  readonly shape: readonly [number, number];
  readonly type: GgufTypeInfo;
  /** rows · in/blockElems blocks, row-major, as in the file. */
  readonly data: Uint8Array;

  /** Takes the bytes without copying and validates their size. `type`: ggml id, name or info. */
  constructor(type: number | string | GgufTypeInfo, shape: readonly [number, number], data: Uint8Array) {
    this.type = typeof type === 'object' && type !== null ? ggufType(type.id) : ggufType(type);
    this.shape = Object.freeze(expectShape2('GgufMatrix shape', shape));
    if (!(data instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `GgufMatrix data: expected a Uint8Array, received ${describe(data)}`);
    this.data = data;
    this.validate();
  }

  /** Quantizes dense [out, in] weights with ggml's reference quantizer of `type`. */
  static fromDense(w: Float32Array, shape: readonly [number, number], type: number | string): GgufMatrix {
    const [rows, cols] = expectShape2('GgufMatrix.fromDense shape', shape);
    const codec = ggufCodec(type);
    if (!codec.quantize) throw new BitsieveError('E_UNSUPPORTED', `GgufMatrix.fromDense: no reference quantizer for ${codec.info.name}`);
    if (!(w instanceof Float32Array) || w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `GgufMatrix.fromDense: expected a Float32Array of ${rows * cols} weights, received ${describe(w)}`);
    }
    expectFinite('GgufMatrix.fromDense weights', w);
    const rowBytes = ggufRowBytes(codec.info, cols);
    const data = new Uint8Array(rows * rowBytes);
    codec.quantize(w, 0, data, 0, (rows * cols) / codec.info.blockElems);
    return new GgufMatrix(codec.info, [rows, cols], data);
  }

  get bitsPerWeight(): number {
    return (8 * this.type.blockBytes) / this.type.blockElems;
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const need = rows * ggufRowBytes(this.type, cols);
    if (this.data.byteLength !== need) {
      throw new BitsieveError('E_SHAPE', `GgufMatrix ${this.type.name} [${rows}, ${cols}]: expected ${need} bytes, received ${this.data.byteLength}`);
    }
    return this;
  }

  /** ggml's reference dequantization, bit-exact (E_UNSUPPORTED for types without a codec). */
  toDense(): Float32Array {
    const codec = ggufCodec(this.type);
    const [rows, cols] = this.shape;
    const out = new Float32Array(rows * cols);
    codec.dequantize(this.data, 0, out, 0, (rows * cols) / this.type.blockElems);
    return out;
  }

  toBytes(): Uint8Array {
    return writeFramed(MAGIC, VERSION, [this.type.id, this.shape[0], this.shape[1]], this.data);
  }

  static fromBytes(bytes: Uint8Array): GgufMatrix {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 3);
    try {
      return new GgufMatrix(header[0], [header[1], header[2]], payload.slice());
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `GgufMatrix.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }
}
