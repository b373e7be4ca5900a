// Obviously-correct float64 reference for the dense linear layer, and the error bound we accept.

export interface LinearCase {
  w: Float32Array; // [out, in]
  bias?: Float32Array; // [out]
  x: Float32Array; // [batch, in]
  batch: number;
  out: number;
  in: number;
  relu: boolean;
}

/** Y[b, o] = act(Σ_k x[b, k]·w[o, k] + bias[o]) in float64. */
export function linearReference(c: LinearCase): Float64Array {
  const y = new Float64Array(c.batch * c.out);
  for (let b = 0; b < c.batch; b++) {
    for (let o = 0; o < c.out; o++) {
      let s = c.bias ? c.bias[o] : 0;
      for (let k = 0; k < c.in; k++) s += c.x[b * c.in + k] * c.w[o * c.in + k];
      y[b * c.out + o] = c.relu ? Math.max(s, 0) : s;
    }
  }
  return y;
}

/** Σ |x·w| + |bias| per output: the scale of the float32 rounding error of that dot product. */
export function magnitude(c: LinearCase): Float64Array {
  const m = new Float64Array(c.batch * c.out);
  for (let b = 0; b < c.batch; b++) {
    for (let o = 0; o < c.out; o++) {
      let s = c.bias ? Math.abs(c.bias[o]) : 0;
      for (let k = 0; k < c.in; k++) s += Math.abs(c.x[b * c.in + k] * c.w[o * c.in + k]);
      m[b * c.out + o] = s;
    }
  }
  return m;
}

/** Unit roundoff of float32. */
export const U32 = 2 ** -24;

/**
 * Documented tolerance of the float-accumulating kernels: any summation order in f32 stays within
 * (k + 2)·u·Σ|terms| of the exact sum (Higham's γ_k bound, +2 for the bias add and the final product
 * rounding). Fused (relaxed_madd) and unfused builds both satisfy it.
 */
export function linearTolerance(k: number, mag: number): number {
  return (k + 2) * U32 * mag + 1e-30;
}

/** Returns a message for the first element outside tolerance, or undefined. */
export function compareLinear(c: LinearCase, y: Float32Array): string | undefined {
  const ref = linearReference(c);
  const mag = magnitude(c);
  if (y.length !== ref.length) return `length ${y.length}, expected ${ref.length}`;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(y[i] - ref[i]);
    if (!(err <= linearTolerance(c.in, mag[i]))) {
      return `y[${i}] = ${y[i]}, reference ${ref[i]}, |err| ${err} > tolerance ${linearTolerance(c.in, mag[i])} (batch ${c.batch}, out ${c.out}, in ${c.in})`;
    }
  }
  return undefined;
}

/** Deterministic pseudo-random floats in [-1, 1) (xorshift32), so failures reproduce. */
export function randomFloats(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return a;
}
