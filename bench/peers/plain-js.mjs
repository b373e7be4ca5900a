// What you write without a library: typed arrays and a dot-product loop over W's rows
// ([out, in] row-major, so both operands stream contiguously). Everything is resident.

export async function open() {
  return {
    library: 'plain-js',
    variant: 'js',
    simd: 'none (V8 does not auto-vectorize JS)',
    prepare(c, { w, x }) {
      const { m, n, k } = c;
      const y = new Float32Array(m * n);
      const gemm = () => {
        for (let i = 0; i < m; i++) {
          const xi = i * k;
          for (let j = 0; j < n; j++) {
            const wj = j * k;
            let acc = 0;
            for (let p = 0; p < k; p++) acc += x[xi + p] * w[wj + p];
            y[i * n + j] = acc;
          }
        }
        return y;
      };
      return {
        modes: { resident: gemm },
        outputs: () => ({ resident: gemm().slice() }),
        dispose() {},
      };
    },
  };
}
