// Plain-loop references for the MAC family's product tables, written from the definitions (not from src/mac).

/** Signed value of a w-bit two's-complement code. */
export const signedOf = (code: number, w: number) => (code >= 2 ** (w - 1) ? code - 2 ** w : code);

/** y[b][o] = Σ_k T[code(x[b][k])][code(w[o][k])], summed in k order in float64 (exact for integer tables of safe size). */
export function tableGemmRef(table: ArrayLike<number>, w: number, x: Int8Array, weights: Int8Array, batch: number, out: number, k: number): Float64Array {
  const dim = 2 ** w;
  const code = (v: number) => (v < 0 ? v + dim : v);
  const y = new Float64Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += table[code(x[b * k + i]) * dim + code(weights[o * k + i])];
      y[b * out + o] = s;
    }
  }
  return y;
}

/** Uniform random signed w-bit values from `next` (a [0,1) generator). */
export function randomOperands(n: number, w: number, next: () => number): Int8Array {
  const a = new Int8Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.floor(next() * 2 ** w) - 2 ** (w - 1);
  return a;
}
