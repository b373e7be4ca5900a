// Product-table GEMM: y[b][o] = Σ_k T[xcode[b][k]][wcode[o][k]], the MAC of any w×w multiplier given as its
// 2^w × 2^w table of products (row = activation code, column = weight code; code = the w-bit two's-complement
// pattern). Used by the encoded MAC's LUT mode and by the approximate multipliers.
// Layout: table = 2^logDim rows of 2^logDim entries E; xcode u8 [batch][k]; wcode u8 [out][k]; y f64 [batch][out];
// rows = scratch of k u32 (the table row address of each activation code of one sample, computed once per sample
// and shared by every output). Eight outputs per pass share each row-address load; each output keeps one
// accumulator summed in k order, so the f64 variant gives the same bits in every build (no SIMD body: the
// gathers dominate, and the scalar body is already the same in all three builds).

/** rows[i] = the address of the table row of activation code x[i] (the row every product of input i reads). */
// @ts-ignore: decorator
@inline export function tableRows(table: usize, rowShift: usize, x: usize, rows: usize, k: usize): void {
  for (let i: usize = 0; i < k; i++) store<u32>(rows + (i << 2), <u32>(table + (<usize>load<u8>(x + i) << rowShift)));
}

// @ts-ignore: decorator
@inline function tableGemm<E, A>(table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32): void {
  const shift = <usize>alignof<E>(); // log2 of the entry size
  const rowShift = <usize>logDim + shift;
  const kk = <usize>k;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * kk;
    tableRows(table, rowShift, xb, rows, kk);
    const yb = y + (<usize>b * <usize>out << 3);
    let o = 0;
    for (; o + 8 <= out; o += 8) {
      const w0 = wc + <usize>o * kk;
      let a0: A = <A>0, a1: A = <A>0, a2: A = <A>0, a3: A = <A>0, a4: A = <A>0, a5: A = <A>0, a6: A = <A>0, a7: A = <A>0;
      for (let i: usize = 0; i < kk; i++) {
        const r = <usize>load<u32>(rows + (i << 2));
        const w = w0 + i;
        a0 += <A>load<E>(r + (<usize>load<u8>(w) << shift));
        a1 += <A>load<E>(r + (<usize>load<u8>(w + kk) << shift));
        a2 += <A>load<E>(r + (<usize>load<u8>(w + 2 * kk) << shift));
        a3 += <A>load<E>(r + (<usize>load<u8>(w + 3 * kk) << shift));
        a4 += <A>load<E>(r + (<usize>load<u8>(w + 4 * kk) << shift));
        a5 += <A>load<E>(r + (<usize>load<u8>(w + 5 * kk) << shift));
        a6 += <A>load<E>(r + (<usize>load<u8>(w + 6 * kk) << shift));
        a7 += <A>load<E>(r + (<usize>load<u8>(w + 7 * kk) << shift));
      }
      const yo = yb + (<usize>o << 3);
      store<f64>(yo, <f64>a0);
      store<f64>(yo, <f64>a1, 8);
      store<f64>(yo, <f64>a2, 16);
      store<f64>(yo, <f64>a3, 24);
      store<f64>(yo, <f64>a4, 32);
      store<f64>(yo, <f64>a5, 40);
      store<f64>(yo, <f64>a6, 48);
      store<f64>(yo, <f64>a7, 56);
    }
    for (; o < out; o++) {
      const w0 = wc + <usize>o * kk;
      let a0: A = <A>0;
      for (let i: usize = 0; i < kk; i++) {
        a0 += <A>load<E>(<usize>load<u32>(rows + (i << 2)) + (<usize>load<u8>(w0 + i) << shift));
      }
      store<f64>(yb + (<usize>o << 3), <f64>a0);
    }
  }
}

/**
 * i32 table entries, exact: the caller checks k · max|entry| ≤ 2^53 − 1, so every partial sum is an integer that
 * f64 holds exactly and f64 accumulation is exact (and measured faster here than i64 adds plus one conversion).
 */
export function mac_table_gemm_i32(table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32): void {
  tableGemm<i32, f64>(table, logDim, x, wc, rows, y, batch, out, k);
}

/** f64 table entries, f64 accumulation in k order (identical bits in every build). */
export function mac_table_gemm_f64(table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32): void {
  tableGemm<f64, f64>(table, logDim, x, wc, rows, y, batch, out, k);
}
