// Packs dense row-major weights W[n, k] into panels of NR = 8 output rows, interleaved along k:
// panel p holds W[8p + j, kk] at ((p·k + kk)·8 + j). Rows past n are zero, so every panel is full
// and the GEMM/GEMV inner loops never branch on a column tail.

export const DENSE_NR: i32 = 8;

export function f32_pack_dense_nr8(src: usize, dst: usize, n: i32, k: i32): void {
  const panels = (n + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const panel = dst + (<usize>p * <usize>k << 5);
    for (let j = 0; j < 8; j++) {
      const row = p * 8 + j;
      if (row < n) {
        const s = src + (<usize>row * <usize>k << 2);
        for (let kk = 0; kk < k; kk++) {
          store<f32>(panel + (<usize>kk << 5) + (<usize>j << 2), load<f32>(s + (<usize>kk << 2)));
        }
      } else {
        for (let kk = 0; kk < k; kk++) store<f32>(panel + (<usize>kk << 5) + (<usize>j << 2), 0);
      }
    }
  }
}

/** Unpacks a panel-packed matrix back to row-major W[n, k] (for toDense and tests). */
export function f32_unpack_dense_nr8(src: usize, dst: usize, n: i32, k: i32): void {
  for (let row = 0; row < n; row++) {
    const panel = src + (<usize>(row >> 3) * <usize>k << 5) + (<usize>(row & 7) << 2);
    const d = dst + (<usize>row * <usize>k << 2);
    for (let kk = 0; kk < k; kk++) store<f32>(d + (<usize>kk << 2), load<f32>(panel + (<usize>kk << 5)));
  }
}
