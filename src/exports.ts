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
export { Nm, NM_PATTERNS, type NmPattern } from './formats/nm.js';
export { NmLinear } from './ops/nm-linear.js';
export { pruneNM, type NmPruneOptions } from './compress/prune/nm.js';
