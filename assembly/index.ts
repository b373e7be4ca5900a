// The one entry of all three builds (scalar / simd / relaxed): the same export names and pointer ABI,
// the body chosen at compile time by ASC_FEATURE_SIMD / ASC_FEATURE_RELAXED_SIMD.

export { heap_base, build_variant } from "./heap";
export { f32_pack_dense_nr8, f32_unpack_dense_nr8 } from "./dense/pack";
export { f32_gemm_dense_4x8 } from "./dense/gemm";
export { f32_gemv_dense_nr8 } from "./dense/gemv";
export { f32_transpose } from "./transpose";
export { f32_spmv_csr16, f32_spmv_csr32, f32_spmm_csr16, f32_spmm_csr32 } from "./sparse/csr";
export { f32_spmv_bsr16, f32_spmv_bsr32, f32_spmm_bsr16, f32_spmm_bsr32 } from "./sparse/bsr";
export { f32_find_nonzeros, f32_gemv_zero_skip, f32_gemm_zero_skip } from "./sparse/zero-skip";
export { f32_spmm_chw_nr1, f32_spmm_chw_nr2, f32_spmm_chw_nr4 } from "./sparse/spmm-chw";
export { f32_spmv_darb, f32_spmm_darb } from "./sparse/darb";
export { f32_spmv_lfsr, f32_spmm_lfsr } from "./sparse/lfsr";
export { f32_gemv_nm12, f32_gemv_nm24, f32_gemv_nm14, f32_gemv_nm48, f32_gemm_nm12, f32_gemm_nm24, f32_gemm_nm14, f32_gemm_nm48 } from "./sparse/nm";
export { f32_gemv_binary, f32_gemm_binary, f32_gemv_ternary, f32_gemm_ternary } from "./quant/bitplane";
export { xnor_binarize, i32_xnor_dots, f32_gemm_xnor } from "./quant/xnor";
export { f32_gemv_pow2, f32_gemm_pow2 } from "./quant/pow2";
export { gguf_dequant_f16, gguf_dequant_bf16, gguf_dequant_q4_0, gguf_dequant_q4_1, gguf_dequant_q5_0, gguf_dequant_q5_1, gguf_dequant_q8_0, gguf_dequant_iq4_nl, gguf_dequant_mxfp4 } from "./quant/gguf-legacy";
export { f32_gemv_q4_0, f32_gemv_q4_1, f32_gemv_q8_0 } from "./quant/gguf-legacy-gemv";
export { gguf_quantize_q8_0, gguf_quantize_q8_1, q8_gemv_q4_0, q8_gemv_q4_1, q8_gemv_q8_0 } from "./quant/gguf-legacy-q8";
export { int_dequant_group, int_permute_columns, f32_gemv_int_group, f32_gemm_int_group } from "./quant/int-group";
export { q8_gemv_int_group } from "./quant/int-group-q8";
export { int_gemm_scratch_bytes } from "./quant/int-group";
export { gguf_dequant_q2_k, gguf_dequant_q3_k, gguf_dequant_q4_k, gguf_dequant_q5_k, gguf_dequant_q6_k, gguf_dequant_q8_k, gguf_dequant_iq4_xs, gguf_dequant_tq1_0, gguf_dequant_tq2_0 } from "./quant/gguf-k";
export { f32_gemv_q4_k, f32_gemv_q5_k, f32_gemv_q6_k } from "./quant/gguf-k-gemv";
export { gguf_quantize_q8_k, q8_gemv_q4_k, q8_gemv_q5_k, q8_gemv_q6_k } from "./quant/gguf-k-q8";
export { sc_gate, sc_mux2, sc_mux_tree, sc_mux_index } from "./sc/gates";
export { sc_inner_ones, sc_stream_ones } from "./sc/inner";
export { sc_cycle_counts } from "./sc/counters";
export { sc_fsm_counter, sc_fsu_add, sc_fsu_relu } from "./sc/fsm";
export { sc_max_pool } from "./sc/pool";
export { sc_sng } from "./sc/sng";
export { sc_pool_counts } from "./sc/pool";
export { mac_table_gemm_i32, mac_table_gemm_f64 } from "./mac/table-gemm";
export { mac_encoded_gemm_i32, mac_encoded_gemm_f64 } from "./mac/encoded";
export { mac_crossbar_planes, mac_crossbar_analog } from "./mac/crossbar";
export { mac_table_gemm_lpa_i32 } from "./mac/table-gemm-lpa";
