// What you write without a library: typed arrays and straightforward loops, resident only.
// Dense: a dot-product loop over W's rows ([out, in] row-major, so both operands stream
// contiguously) with four accumulators to break the add dependency chain (≈2× over one
// accumulator or the i-k-j form here, 1.9 vs 0.7-1 GFLOP/s at 256³) without being clever.
// CSR: the textbook row loop (rowPtr / colIdx / values), one dot product per batch row and output.
// Low-bit: dequantize a row of W at a time (bench/quantized.mjs), then the same dot product.
import { rowDequantizer } from '../quantized.mjs';
import { prepareSc } from './plain-js-sc.mjs';
import { prepareMac } from './plain-js-mac.mjs';

/** Σ a[ai + p]·b[bi + p] over p < k, four accumulators. */
function dot(a, ai, b, bi, k) {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let p = 0;
  for (; p + 3 < k; p += 4) {
    a0 += a[ai + p] * b[bi + p];
    a1 += a[ai + p + 1] * b[bi + p + 1];
    a2 += a[ai + p + 2] * b[bi + p + 2];
    a3 += a[ai + p + 3] * b[bi + p + 3];
  }
  for (; p < k; p++) a0 += a[ai + p] * b[bi + p];
  return a0 + a1 + (a2 + a3);
}

function denseGemm({ m, n, k }, { w, x }, y) {
  return () => {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i * n + j] = dot(x, i * k, w, j * k, k);
    return y;
  };
}

function csrGemm({ m, n, k }, { w, x }, y) {
  const rowPtr = new Uint32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) nnz++;
  const colIdx = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0, e = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      if (w[r * k + c] !== 0) {
        colIdx[e] = c;
        values[e++] = w[r * k + c];
      }
    }
    rowPtr[r + 1] = e;
  }
  return () => {
    for (let i = 0; i < m; i++) {
      const xi = i * k;
      for (let r = 0; r < n; r++) {
        let acc = 0;
        for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) acc += values[e] * x[xi + colIdx[e]];
        y[i * n + r] = acc;
      }
    }
    return y;
  };
}

/** Low-bit weights: dequantize one row of W into a scratch row, then dot it with every batch row. */
function dequantGemm(c, { x, q }, y) {
  const { m, n, k } = c;
  const dequantizeRow = rowDequantizer(c.format, q, k);
  const row = new Float32Array(k);
  return () => {
    for (let j = 0; j < n; j++) {
      dequantizeRow(j, row, 0);
      for (let i = 0; i < m; i++) y[i * n + j] = dot(x, i * k, row, 0, k);
    }
    return y;
  };
}

/** Low-bit weights → the f32 [N, K] matrix, row by row. */
function dequantize(c, { q }, y) {
  const dequantizeRow = rowDequantizer(c.format, q, c.k);
  return () => {
    for (let j = 0; j < c.n; j++) dequantizeRow(j, y, j * c.k);
    return y;
  };
}

const KERNELS = { dense: denseGemm, csr: csrGemm, gguf: dequantGemm, int: dequantGemm };

export async function open() {
  return {
    library: 'plain-js',
    variant: 'js',
    simd: 'none (V8 does not auto-vectorize JS)',
    prepare(c, data) {
      if (c.format.kind === 'sc') return prepareSc(c, data);
      if (c.format.kind === 'mac') return prepareMac(c, data);
      const kernel = c.op === 'dequantize' ? dequantize : KERNELS[c.format.kind];
      if (!kernel || c.layout !== 'rows') throw new Error(`plain-js: no ${c.format.kind} ${c.layout} kernel`);
      const run = kernel(c, data, new Float32Array(c.op === 'dequantize' ? c.n * c.k : c.m * c.n));
      return {
        modes: { resident: run },
        outputs: () => ({ resident: run().slice() }),
        dispose() {},
      };
    },
  };
}
