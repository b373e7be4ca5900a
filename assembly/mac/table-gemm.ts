// Product-table GEMM: y[b][o] = Σ_k T[xcode[b][k]][wcode[o][k]], the MAC of any w×w multiplier given as its
// 2^w × 2^w table of products (row = activation code, column = weight code; code = the w-bit two's-complement
// pattern). Used by the encoded MAC's LUT mode and by the approximate multipliers.
// Layout: table = 2^logDim rows of 2^logDim entries E; xcode u8 [batch][k]; wcode u8 [out][k]; y f64 [batch][out];
// rows = scratch of k u32 (the table row address of each activation code of one sample, computed once per sample
// and shared by every output). Four outputs per pass share each row-address load; each output keeps one
// accumulator summed in k order, so the f64 variant gives the same bits in every build (no SIMD body: the
// gathers dominate, and the scalar body is already the same in all three builds).

// @ts-ignore: decorator
@inline function tableGemm<E, A>(table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32): void {
  const shift = <usize>alignof<E>(); // log2 of the entry size
  const rowShift = <usize>logDim + shift;
  const kk = <usize>k;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * kk;
    for (let i: usize = 0; i < kk; i++) store<u32>(rows + (i << 2), <u32>(table + (<usize>load<u8>(xb + i) << rowShift)));
    const yb = y + (<usize>b * <usize>out << 3);
    let o = 0;
    for (; o + 4 <= out; o += 4) {
      const w0 = wc + <usize>o * kk;
      const w1 = w0 + kk;
      const w2 = w1 + kk;
      const w3 = w2 + kk;
      let a0: A = <A>0, a1: A = <A>0, a2: A = <A>0, a3: A = <A>0;
      for (let i: usize = 0; i < kk; i++) {
        const r = <usize>load<u32>(rows + (i << 2));
        a0 += <A>load<E>(r + (<usize>load<u8>(w0 + i) << shift));
        a1 += <A>load<E>(r + (<usize>load<u8>(w1 + i) << shift));
        a2 += <A>load<E>(r + (<usize>load<u8>(w2 + i) << shift));
        a3 += <A>load<E>(r + (<usize>load<u8>(w3 + i) << shift));
      }
      const yo = yb + (<usize>o << 3);
      store<f64>(yo, <f64>a0);
      store<f64>(yo + 8, <f64>a1);
      store<f64>(yo + 16, <f64>a2);
      store<f64>(yo + 24, <f64>a3);
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

/** i32 table entries, exact i64 accumulation (the caller checks the sum stays below 2^53 for the f64 output). */
export function mac_table_gemm_i32(table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32): void {
  tableGemm<i32, i64>(table, logDim, x, wc, rows, y, batch, out, k);
}

/** f64 table entries, f64 accumulation in k order (identical bits in every build). */
export function mac_table_gemm_f64(table: usize, logDim: i32, x: usize, wc: usize, rows: usize, y: usize, batch: i32, out: i32, k: i32): void {
  tableGemm<f64, f64>(table, logDim, x, wc, rows, y, batch, out, k);
}
