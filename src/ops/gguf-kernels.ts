// The one table from a ggml block type to its wasm kernels (assembly/quant/): a type is one entry. Every entry
// has a bit-exact `gguf_dequant_<type>`; types with a fused GEMV add it, and types with ggml's integer dot add
// the activation quantizer and `q8_gemv_<type>`. All kernels share the pointer ABI of assembly/quant.
import { BitsieveError } from '../runtime/errors.js';
import type { KernelExports } from '../runtime/kernels.js';
import { ggufType, type GgufTypeInfo } from '../formats/gguf/types.js';

type KernelName = keyof KernelExports;

/** `gguf_dequant_<type>(src, dst, blocks)` / `gguf_quantize_q8_*(x, dst, blocks)`. */
export type BlockKernel = (src: number, dst: number, blocks: number) => void;
/** `f32_gemv_<type>` / `q8_gemv_<type>(w, bias, x, y, out, k, relu)`; bias 0 = none. */
export type GemvKernel = (w: number, bias: number, x: number, y: number, out: number, k: number, relu: number) => void;

/** How a type's integer dot quantizes the activations: ggml's `vec_dot_type` and its quantizer. */
export interface GgufActivationKernels {
  readonly type: 'Q8_0' | 'Q8_1' | 'Q8_K';
  readonly quantize: KernelName;
  readonly gemv: KernelName;
}

export interface GgufKernelEntry {
  readonly dequant: KernelName;
  readonly gemv?: KernelName;
  readonly q8?: GgufActivationKernels;
}

const onQ8_0 = (gemv: KernelName): GgufActivationKernels => ({ type: 'Q8_0', quantize: 'gguf_quantize_q8_0', gemv });
const onQ8_1 = (gemv: KernelName): GgufActivationKernels => ({ type: 'Q8_1', quantize: 'gguf_quantize_q8_1', gemv });
const onQ8_K = (gemv: KernelName): GgufActivationKernels => ({ type: 'Q8_K', quantize: 'gguf_quantize_q8_k', gemv });

/** Kernels by ggml type name. */
export const GGUF_KERNELS: ReadonlyMap<string, GgufKernelEntry> = new Map<string, GgufKernelEntry>([
  ['F16', { dequant: 'gguf_dequant_f16' }],
  ['BF16', { dequant: 'gguf_dequant_bf16' }],
  ['Q4_0', { dequant: 'gguf_dequant_q4_0', gemv: 'f32_gemv_q4_0', q8: onQ8_0('q8_gemv_q4_0') }],
  ['Q4_1', { dequant: 'gguf_dequant_q4_1', gemv: 'f32_gemv_q4_1', q8: onQ8_1('q8_gemv_q4_1') }],
  ['Q5_0', { dequant: 'gguf_dequant_q5_0' }],
  ['Q5_1', { dequant: 'gguf_dequant_q5_1' }],
  ['Q8_0', { dequant: 'gguf_dequant_q8_0', gemv: 'f32_gemv_q8_0', q8: onQ8_0('q8_gemv_q8_0') }],
  ['IQ4_NL', { dequant: 'gguf_dequant_iq4_nl' }],
  ['MXFP4', { dequant: 'gguf_dequant_mxfp4' }],
  ['Q2_K', { dequant: 'gguf_dequant_q2_k' }],
  ['Q3_K', { dequant: 'gguf_dequant_q3_k' }],
  ['Q4_K', { dequant: 'gguf_dequant_q4_k', gemv: 'f32_gemv_q4_k', q8: onQ8_K('q8_gemv_q4_k') }],
  ['Q5_K', { dequant: 'gguf_dequant_q5_k', gemv: 'f32_gemv_q5_k', q8: onQ8_K('q8_gemv_q5_k') }],
  ['Q6_K', { dequant: 'gguf_dequant_q6_k', gemv: 'f32_gemv_q6_k', q8: onQ8_K('q8_gemv_q6_k') }],
  ['Q8_K', { dequant: 'gguf_dequant_q8_k' }],
  ['IQ4_XS', { dequant: 'gguf_dequant_iq4_xs' }],
  ['TQ1_0', { dequant: 'gguf_dequant_tq1_0' }],
  ['TQ2_0', { dequant: 'gguf_dequant_tq2_0' }],
]);

/** The entry of `type`, or E_UNSUPPORTED when this build has no kernel for it. */
export function ggufKernels(type: GgufTypeInfo): GgufKernelEntry {
  const entry = GGUF_KERNELS.get(ggufType(type.id).name);
  if (!entry) throw new BitsieveError('E_UNSUPPORTED', `GGUF type ${type.name}: expected a type with wasm kernels (${[...GGUF_KERNELS.keys()].join(', ')}), received ${type.name}`);
  return entry;
}

/** The function behind a kernel name. */
export function kernel<T>(kernels: KernelExports, name: KernelName): T {
  return kernels[name] as unknown as T;
}
