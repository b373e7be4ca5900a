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
  f32_spmm_csr16(rowPtr: number, col: number, val: number, bias: number, xT: number, y: number, n: number, batch: number, relu: number): void;
  f32_spmm_csr32(rowPtr: number, col: number, val: number, bias: number, xT: number, y: number, n: number, batch: number, relu: number): void;
  f32_spmv_bsr16(r: number, c: number, rowPtr: number, col: number, val: number, bias: number, x: number, y: number, n: number, relu: number): void;
  f32_spmv_bsr32(r: number, c: number, rowPtr: number, col: number, val: number, bias: number, x: number, y: number, n: number, relu: number): void;
  f32_spmm_bsr16(r: number, c: number, rowPtr: number, col: number, val: number, bias: number, x: number, scratch: number, y: number, n: number, k: number, batch: number, relu: number): void;
  f32_spmm_bsr32(r: number, c: number, rowPtr: number, col: number, val: number, bias: number, x: number, scratch: number, y: number, n: number, k: number, batch: number, relu: number): void;
  f32_find_nonzeros(x: number, k: number, list: number): number;
  f32_gemv_zero_skip(wT: number, ld: number, bias: number, list: number, count: number, y: number, n: number, relu: number): void;
  f32_gemm_zero_skip(wT: number, ld: number, bias: number, x: number, y: number, list: number, m: number, n: number, k: number, relu: number): void;
  f32_spmm_chw_nr1(values: number, incr: number, counts: number, x: number, y: number, n: number, hw: number, relu: number): void;
  f32_spmm_chw_nr2(values: number, incr: number, counts: number, x: number, y: number, n: number, hw: number, relu: number): void;
  f32_spmm_chw_nr4(values: number, incr: number, counts: number, x: number, y: number, n: number, hw: number, relu: number): void;
  f32_spmv_darb(kr: number, off: number, val: number, bias: number, x: number, y: number, n: number, inF: number, log2b: number, relu: number): void;
  f32_spmm_darb(kr: number, off: number, val: number, bias: number, xT: number, y: number, n: number, inF: number, log2b: number, batch: number, relu: number, scratch: number): void;
  f32_spmv_lfsr(seeds: number, counts: number, val: number, bias: number, x: number, y: number, n: number, inF: number, width: number, taps: number, relu: number, scratch: number): void;
  f32_spmm_lfsr(seeds: number, counts: number, val: number, bias: number, xT: number, y: number, n: number, inF: number, width: number, taps: number, batch: number, relu: number, scratch: number): void;
  f32_gemv_nm12(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemv_nm24(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemv_nm14(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemv_nm48(val: number, meta: number, bias: number, x: number, y: number, table: number, out: number, k: number, relu: number): void;
  f32_gemm_nm12(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemm_nm24(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemm_nm14(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemm_nm48(val: number, meta: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemv_binary(signs: number, alpha: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemm_binary(signs: number, alpha: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemv_ternary(signs: number, nonzero: number, alpha: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemm_ternary(signs: number, nonzero: number, alpha: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  xnor_binarize(x: number, bits: number, beta: number, k: number, batch: number): void;
  i32_xnor_dots(w: number, xbits: number, dots: number, out: number, k: number, batch: number): void;
  f32_gemm_xnor(w: number, alpha: number, bias: number, xbits: number, beta: number, y: number, out: number, k: number, batch: number, relu: number): void;
  f32_gemv_pow2(codes: number, e0: number, e0Stride: number, bits: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemm_pow2(codes: number, e0: number, e0Stride: number, bits: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, batch: number, relu: number): void;
  gguf_dequant_f16(src: number, dst: number, blocks: number): void;
  gguf_dequant_bf16(src: number, dst: number, blocks: number): void;
  gguf_dequant_q4_0(src: number, dst: number, blocks: number): void;
  gguf_dequant_q4_1(src: number, dst: number, blocks: number): void;
  gguf_dequant_q5_0(src: number, dst: number, blocks: number): void;
  gguf_dequant_q5_1(src: number, dst: number, blocks: number): void;
  gguf_dequant_q8_0(src: number, dst: number, blocks: number): void;
  gguf_dequant_iq4_nl(src: number, dst: number, blocks: number): void;
  gguf_dequant_mxfp4(src: number, dst: number, blocks: number): void;
  f32_gemv_q4_0(w: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemv_q4_1(w: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemv_q8_0(w: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  gguf_quantize_q8_0(x: number, dst: number, blocks: number): void;
  gguf_quantize_q8_1(x: number, dst: number, blocks: number): void;
  q8_gemv_q4_0(w: number, bias: number, xq: number, y: number, out: number, k: number, relu: number): void;
  q8_gemv_q4_1(w: number, bias: number, xq: number, y: number, out: number, k: number, relu: number): void;
  q8_gemv_q8_0(w: number, bias: number, xq: number, y: number, out: number, k: number, relu: number): void;
  int_dequant_group(codes: number, scales: number, zeros: number, book: number, dst: number, rows: number, k: number, groupSize: number, bits: number, f16: number): void;
  int_permute_columns(x: number, order: number, dst: number, rows: number, k: number): void;
  f32_gemv_int_group(codes: number, scales: number, zeros: number, book: number, bias: number, x: number, y: number, scratch: number, out: number, k: number, groupSize: number, bits: number, f16: number, relu: number): void;
  f32_gemm_int_group(codes: number, scales: number, zeros: number, book: number, bias: number, x: number, y: number, scratch: number, m: number, out: number, k: number, groupSize: number, bits: number, f16: number, relu: number): void;
  q8_gemv_int_group(codes: number, scales: number, zeros: number, bias: number, xq: number, y: number, out: number, k: number, groupSize: number, bits: number, f16: number, relu: number): void;
  int_gemm_scratch_bytes(out: number, k: number): number;
  gguf_dequant_q2_k(src: number, dst: number, blocks: number): void;
  gguf_dequant_q3_k(src: number, dst: number, blocks: number): void;
  gguf_dequant_q4_k(src: number, dst: number, blocks: number): void;
  gguf_dequant_q5_k(src: number, dst: number, blocks: number): void;
  gguf_dequant_q6_k(src: number, dst: number, blocks: number): void;
  gguf_dequant_q8_k(src: number, dst: number, blocks: number): void;
  gguf_dequant_iq4_xs(src: number, dst: number, blocks: number): void;
  gguf_dequant_tq1_0(src: number, dst: number, blocks: number): void;
  gguf_dequant_tq2_0(src: number, dst: number, blocks: number): void;
  f32_gemv_q4_k(w: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemv_q5_k(w: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  f32_gemv_q6_k(w: number, bias: number, x: number, y: number, out: number, k: number, relu: number): void;
  gguf_quantize_q8_k(x: number, dst: number, blocks: number): void;
  q8_gemv_q4_k(w: number, bias: number, xq: number, y: number, out: number, k: number, relu: number): void;
  q8_gemv_q5_k(w: number, bias: number, xq: number, y: number, out: number, k: number, relu: number): void;
  q8_gemv_q6_k(w: number, bias: number, xq: number, y: number, out: number, k: number, relu: number): void;
  sc_gate(a: number, b: number, out: number, count: number, bStreams: number, stride: number, length: number, op: number): void;
  sc_mux2(a: number, b: number, s: number, out: number, count: number, sStreams: number, stride: number): void;
  sc_mux_tree(x: number, sel: number, out: number, groups: number, k: number, stride: number): void;
  sc_mux_index(x: number, idx: number, out: number, groups: number, n: number, stride: number, length: number): void;
  sc_inner_ones(x: number, w: number, out: number, inputs: number, neurons: number, stride: number, length: number, xnor: number): void;
  sc_stream_ones(x: number, out: number, count: number, stride: number): void;
  sc_cycle_counts(x: number, w: number, out: number, groups: number, n: number, stride: number, op: number, approx: number): void;
  sc_fsm_counter(counts: number, out: number, lanes: number, pitch: number, length: number, stride: number, states: number, reset: number, gain: number, offset: number, threshold: number, strict: number, after: number): void;
  sc_fsu_add(counts: number, out: number, lanes: number, pitch: number, length: number, stride: number, scale: number, offset2: number, bound2: number): void;
  sc_fsu_relu(counts: number, out: number, lanes: number, pitch: number, length: number, stride: number, depth: number, strict: number): void;
  sc_max_pool(x: number, out: number, groups: number, n: number, stride: number, length: number, segment: number, initial: number, causal: number): void;
  sc_sng(thresholds: number, select: number, offsets: number, sources: number, sourceElems: number, laneBytes: number, length: number, count: number, out: number): void;
  sc_pool_counts(counts: number, windows: number, out: number, groups: number, pitch: number, length: number, mode: number, segment: number, initial: number, causal: number): void;
  mac_table_gemm_i32(table: number, logDim: number, x: number, wc: number, rows: number, y: number, batch: number, out: number, k: number): void;
  mac_table_gemm_f64(table: number, logDim: number, x: number, wc: number, rows: number, y: number, batch: number, out: number, k: number): void;
  mac_encoded_gemm_i32(layer: number, x: number, xCounts: number, y: number, batch: number): void;
  mac_encoded_gemm_f64(layer: number, x: number, xCounts: number, y: number, batch: number): void;
  mac_crossbar_planes(layout: number, cells: number, x: number, out: number, stats: number, step: number): void;
  mac_crossbar_analog(layout: number, cond: number, x: number, out: number, stats: number, step: number): void;
  mac_table_gemm_lpa_i32(table: number, logDim: number, x: number, wc: number, rows: number, y: number, batch: number, out: number, k: number, lowerBits: number, orLower: number, andCarry: number, accBits: number): void;
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
  'f32_spmv_bsr16',
  'f32_spmv_bsr32',
  'f32_spmm_bsr16',
  'f32_spmm_bsr32',
  'f32_find_nonzeros',
  'f32_gemv_zero_skip',
  'f32_gemm_zero_skip',
  'f32_spmm_chw_nr1',
  'f32_spmm_chw_nr2',
  'f32_spmm_chw_nr4',
  'f32_spmv_darb',
  'f32_spmm_darb',
  'f32_spmv_lfsr',
  'f32_spmm_lfsr',
  'f32_gemv_nm12',
  'f32_gemv_nm24',
  'f32_gemv_nm14',
  'f32_gemv_nm48',
  'f32_gemm_nm12',
  'f32_gemm_nm24',
  'f32_gemm_nm14',
  'f32_gemm_nm48',
  'f32_gemv_binary',
  'f32_gemm_binary',
  'f32_gemv_ternary',
  'f32_gemm_ternary',
  'xnor_binarize',
  'i32_xnor_dots',
  'f32_gemm_xnor',
  'f32_gemv_pow2',
  'f32_gemm_pow2',
  'gguf_dequant_f16',
  'gguf_dequant_bf16',
  'gguf_dequant_q4_0',
  'gguf_dequant_q4_1',
  'gguf_dequant_q5_0',
  'gguf_dequant_q5_1',
  'gguf_dequant_q8_0',
  'gguf_dequant_iq4_nl',
  'gguf_dequant_mxfp4',
  'f32_gemv_q4_0',
  'f32_gemv_q4_1',
  'f32_gemv_q8_0',
  'gguf_quantize_q8_0',
  'gguf_quantize_q8_1',
  'q8_gemv_q4_0',
  'q8_gemv_q4_1',
  'q8_gemv_q8_0',
  'int_dequant_group',
  'int_permute_columns',
  'f32_gemv_int_group',
  'f32_gemm_int_group',
  'q8_gemv_int_group',
  'int_gemm_scratch_bytes',
  'gguf_dequant_q2_k',
  'gguf_dequant_q3_k',
  'gguf_dequant_q4_k',
  'gguf_dequant_q5_k',
  'gguf_dequant_q6_k',
  'gguf_dequant_q8_k',
  'gguf_dequant_iq4_xs',
  'gguf_dequant_tq1_0',
  'gguf_dequant_tq2_0',
  'f32_gemv_q4_k',
  'f32_gemv_q5_k',
  'f32_gemv_q6_k',
  'gguf_quantize_q8_k',
  'q8_gemv_q4_k',
  'q8_gemv_q5_k',
  'q8_gemv_q6_k',
  'sc_gate',
  'sc_mux2',
  'sc_mux_tree',
  'sc_mux_index',
  'sc_inner_ones',
  'sc_stream_ones',
  'sc_cycle_counts',
  'sc_fsm_counter',
  'sc_fsu_add',
  'sc_fsu_relu',
  'sc_max_pool',
  'sc_sng',
  'sc_pool_counts',
  'mac_table_gemm_i32',
  'mac_table_gemm_f64',
  'mac_encoded_gemm_i32',
  'mac_encoded_gemm_f64',
  'mac_crossbar_planes',
  'mac_crossbar_analog',
  'mac_table_gemm_lpa_i32',
];
