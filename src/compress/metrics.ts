// Error measures every compressor reports: relative weight error and relative output error on
// calibration activations, in float64.

/** ‖a − b‖ / ‖a‖ in float64. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    num += d * d;
    den += a[i] * a[i];
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/** Y = X·Wᵀ in float64 for calibration-error reports (small calibration sets only). */
export function outputs(w: ArrayLike<number>, x: ArrayLike<number>, out: number, inF: number): Float64Array {
  const batch = inF === 0 ? 0 : x.length / inF;
  const y = new Float64Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let s = 0;
      for (let k = 0; k < inF; k++) s += x[b * inF + k] * w[o * inF + k];
      y[b * out + o] = s;
    }
  }
  return y;
}

/** The error fields every compressor's result carries. */
export interface ErrorReport {
  /** ‖W − Ŵ‖_F / ‖W‖_F (0 for W = Ŵ = 0). */
  readonly weightError: number;
  /** ‖X·Wᵀ − X·Ŵᵀ‖_F / ‖X·Wᵀ‖_F when calibration activations X were given. */
  readonly outputError?: number;
}

/** Errors of the compressed approx against the original w, [rows, cols]; outputError only when X is given. */
export function errorReport(w: ArrayLike<number>, approx: ArrayLike<number>, rows: number, cols: number, calibration?: Float32Array): ErrorReport {
  const outputError = calibration === undefined ? undefined : relativeError(outputs(w, calibration, rows, cols), outputs(approx, calibration, rows, cols));
  return { weightError: relativeError(w, approx), outputError };
}
