// JS owns allocation: the kernels never allocate. The module only reports where static data ends,
// so the JS allocator can hand out memory above it, and which build it is.

export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}

/** 0 scalar, 1 simd, 2 relaxed (lets a loader check what it was given). */
export function build_variant(): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) return 2;
  if (ASC_FEATURE_SIMD) return 1;
  return 0;
}
