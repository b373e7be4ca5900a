// Everything public except init(), shared by the default and the workerd entries.
export { Bitsieve, type HeapStats } from './bitsieve.js';
export { Dense } from './formats/dense.js';
export type { MatrixFormat } from './formats/format.js';
export { Csr, CSR16_MAX_COLS, type CsrIndices } from './formats/csr.js';
export { DenseLinear } from './ops/dense-linear.js';
export { CsrLinear } from './ops/csr-linear.js';
export { LinearOperator, type Activation, type LinearOptions } from './ops/linear.js';
export { ResidentTensor } from './ops/tensor.js';
export { BitsieveError, type BitsieveErrorCode } from './runtime/errors.js';
export { VARIANTS, detectFeatures, type Features, type Variant } from './runtime/features.js';
export type { KernelExports } from './runtime/kernels.js';
export type { WasmSource } from './runtime/loader.js';
export type { InitOptions } from './runtime/runtime.js';
export { pruneMagnitude, type MagnitudeOptions } from './compress/prune/magnitude.js';
export type { PruneResult } from './compress/prune/result.js';
export { XnnSpmm, type XnnBlockSize, type XnnSpmmPacking, type XnnSpmmFromDenseOptions } from './formats/xnn-spmm.js';
export { XnnConv1x1, type Conv1x1Options } from './ops/xnn-conv1x1.js';
