// The pointer ABI of the wasm builds (assembly/index.ts). Every build exports exactly this.
// Pointers are byte offsets into `memory`; only i32/f32/f64 cross the boundary.

export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  /** First 16-aligned byte above static data: the JS heap starts here. */
  heap_base(): number;
  /** 0 scalar, 1 simd, 2 relaxed: which build this module is. */
  build_variant(): number;
  f32_pack_dense_nr8(src: number, dst: number, n: number, k: number): void;
  f32_unpack_dense_nr8(src: number, dst: number, n: number, k: number): void;
  f32_gemm_dense_4x8(wp: number, bias: number, x: number, y: number, m: number, n: number, k: number, relu: number): void;
  f32_gemv_dense_nr8(wp: number, bias: number, x: number, y: number, n: number, k: number, relu: number): void;
  f32_transpose(src: number, dst: number, rows: number, cols: number): void;
  f32_spmv_csr16(rowPtr: number, col: number, val: number, bias: number, x: number, y: number, n: number, relu: number): void;
  f32_spmv_csr32(rowPtr: number, col: number, val: number, bias: number, x: number, y: number, n: number, relu: number): void;
  f32_spmm_csr16(rowPtr: number, col: number, val: number, bias: number, xT: number, yT: number, n: number, batch: number, relu: number): void;
  f32_spmm_csr32(rowPtr: number, col: number, val: number, bias: number, xT: number, yT: number, n: number, batch: number, relu: number): void;
  f32_gemv_nm12(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemv_nm24(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemv_nm14(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemv_nm48(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemm_nm12(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemm_nm24(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemm_nm14(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemm_nm48(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
}

export const KERNEL_NAMES: readonly (keyof KernelExports)[] = [
  'memory',
  'heap_base',
  'build_variant',
  'f32_pack_dense_nr8',
  'f32_unpack_dense_nr8',
  'f32_gemm_dense_4x8',
  'f32_gemv_dense_nr8',
  'f32_transpose',
  'f32_spmv_csr16',
  'f32_spmv_csr32',
  'f32_spmm_csr16',
  'f32_spmm_csr32',
  'f32_gemv_nm12',
  'f32_gemv_nm24',
  'f32_gemv_nm14',
  'f32_gemv_nm48',
  'f32_gemm_nm12',
  'f32_gemm_nm24',
  'f32_gemm_nm14',
  'f32_gemm_nm48',
];
