// The ggml tensor types a GGUF file can hold (ids are GGUF's `ggml_type` u32), with their block geometry
// (lowbit.md §1.2). Blocks always run along ne[0], the reduction dimension `in` of a [out, in] weight.
import { BitsieveError, describe } from '../../runtime/errors.js';

export interface GgufTypeInfo {
  /** GGUF `ggml_type` id. */
  readonly id: number;
  /** ggml's name, e.g. 'Q4_K'. */
  readonly name: string;
  /** Elements per block (1 for plain numeric types). */
  readonly blockElems: number;
  /** Bytes per block (no padding between blocks). */
  readonly blockBytes: number;
}

const table = [
  [0, 'F32', 1, 4],
  [1, 'F16', 1, 2],
  [2, 'Q4_0', 32, 18],
  [3, 'Q4_1', 32, 20],
  [6, 'Q5_0', 32, 22],
  [7, 'Q5_1', 32, 24],
  [8, 'Q8_0', 32, 34],
  [9, 'Q8_1', 32, 36],
  [10, 'Q2_K', 256, 84],
  [11, 'Q3_K', 256, 110],
  [12, 'Q4_K', 256, 144],
  [13, 'Q5_K', 256, 176],
  [14, 'Q6_K', 256, 210],
  [15, 'Q8_K', 256, 292],
  [16, 'IQ2_XXS', 256, 66],
  [17, 'IQ2_XS', 256, 74],
  [18, 'IQ3_XXS', 256, 98],
  [19, 'IQ1_S', 256, 50],
  [20, 'IQ4_NL', 32, 18],
  [21, 'IQ3_S', 256, 110],
  [22, 'IQ2_S', 256, 82],
  [23, 'IQ4_XS', 256, 136],
  [24, 'I8', 1, 1],
  [25, 'I16', 1, 2],
  [26, 'I32', 1, 4],
  [27, 'I64', 1, 8],
  [28, 'F64', 1, 8],
  [29, 'IQ1_M', 256, 56],
  [30, 'BF16', 1, 2],
  [34, 'TQ1_0', 256, 54],
  [35, 'TQ2_0', 256, 66],
  [39, 'MXFP4', 32, 17],
] as const;

/** ggml type names this table knows. */
export type GgufTypeName = (typeof table)[number][1];

/** Every known type by id. Ids 4, 5, 31–33 and 36–38 were removed from ggml and are absent on purpose. */
export const GGUF_TYPES: ReadonlyMap<number, GgufTypeInfo> = new Map(
  table.map(([id, name, blockElems, blockBytes]) => [id, Object.freeze({ id, name, blockElems, blockBytes })]),
);

const byName = new Map<string, GgufTypeInfo>([...GGUF_TYPES.values()].map((t) => [t.name, t]));

/** The type with this id or name; E_UNSUPPORTED for ids/names ggml never had or removed. */
export function ggufType(type: number | string): GgufTypeInfo {
  const info = typeof type === 'number' ? GGUF_TYPES.get(type) : typeof type === 'string' ? byName.get(type) : undefined;
  if (info) return info;
  if (typeof type !== 'number' && typeof type !== 'string') {
    throw new BitsieveError('E_DTYPE', `ggufType: expected a ggml type id or name, received ${describe(type)}`);
  }
  throw new BitsieveError('E_UNSUPPORTED', `ggufType: unknown or removed ggml type ${JSON.stringify(type)}`);
}

/** Bytes of one row of `elems` elements; E_SHAPE when `elems` is not a whole number of blocks. */
export function ggufRowBytes(info: GgufTypeInfo, elems: number): number {
  if (!Number.isSafeInteger(elems) || elems < 0 || elems % info.blockElems !== 0) {
    throw new BitsieveError('E_SHAPE', `${info.name}: a row needs a multiple of ${info.blockElems} elements, received ${elems}`);
  }
  return (elems / info.blockElems) * info.blockBytes;
}
