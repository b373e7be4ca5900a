// dst[c, r] = src[r, c] for a row-major [rows, cols] f32 matrix. Used to turn activations [batch, in]
// into [in, batch] for the sparse SpMM kernels (and their transposed outputs back).
// SIMD builds: 4×4 tiles transposed in registers (8 shuffles); scalar build and edges: 8×8 blocks
// element by element so both sides stay in cache.

export function f32_transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  let r0 = 0;
  if (ASC_FEATURE_SIMD) {
    const lds = <usize>cols << 2;
    const ldd = <usize>rows << 2;
    for (; r0 + 4 <= rows; r0 += 4) {
      let c = 0;
      for (; c + 4 <= cols; c += 4) {
        const s = src + ((<usize>r0 * <usize>cols + <usize>c) << 2);
        const a = v128.load(s), b = v128.load(s + lds), e = v128.load(s + 2 * lds), f = v128.load(s + 3 * lds);
        const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5), ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
        const ef0 = i32x4.shuffle(e, f, 0, 4, 1, 5), ef1 = i32x4.shuffle(e, f, 2, 6, 3, 7);
        const d = dst + ((<usize>c * <usize>rows + <usize>r0) << 2);
        v128.store(d, i32x4.shuffle(ab0, ef0, 0, 1, 4, 5));
        v128.store(d + ldd, i32x4.shuffle(ab0, ef0, 2, 3, 6, 7));
        v128.store(d + 2 * ldd, i32x4.shuffle(ab1, ef1, 0, 1, 4, 5));
        v128.store(d + 3 * ldd, i32x4.shuffle(ab1, ef1, 2, 3, 6, 7));
      }
      scalarBlock(src, dst, rows, cols, r0, r0 + 4, c, cols);
    }
  }
  for (; r0 < rows; r0 += 8) {
    const r1 = min(r0 + 8, rows);
    for (let c0 = 0; c0 < cols; c0 += 8) scalarBlock(src, dst, rows, cols, r0, r1, c0, min(c0 + 8, cols));
  }
}

// @ts-ignore: decorator
@inline function scalarBlock(src: usize, dst: usize, rows: i32, cols: i32, r0: i32, r1: i32, c0: i32, c1: i32): void {
  for (let r = r0; r < r1; r++) {
    for (let c = c0; c < c1; c++) {
      store<f32>(dst + ((<usize>c * <usize>rows + <usize>r) << 2), load<f32>(src + ((<usize>r * <usize>cols + <usize>c) << 2)));
    }
  }
}
