// JS owns allocation: the kernels never allocate. The module only reports where static data ends,
// so the JS allocator can hand out memory above it.

export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}
