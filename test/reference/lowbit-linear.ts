// Float64 references for the binary, ternary and power-of-two linear kernels (phase 2), written from the
// format docs with their own per-element bit formulas (they read the raw arrays, never the format's
// decoders), plus a bit-level model of the exponent-addition term the power-of-two kernel design uses.

export interface LowbitForward {
  x: ArrayLike<number>; // [batch, in]
  batch: number;
  bias?: ArrayLike<number>; // [out]
  relu?: boolean;
}

/** Bit `t` of the LSB-first bit stream of row r (rows of ⌈cols·bits/8⌉ bytes). */
export function streamBit(data: Uint8Array, r: number, cols: number, bits: number, t: number): number {
  const rowBytes = Math.ceil((cols * bits) / 8);
  return (data[r * rowBytes + Math.floor(t / 8)] >> (t % 8)) & 1;
}

/** The b-bit code of (r, j), assembled bit by bit: Σ_t streamBit(j·b + t)·2^t. */
export function streamCode(data: Uint8Array, r: number, cols: number, bits: number, j: number): number {
  let code = 0;
  for (let t = 0; t < bits; t++) code += streamBit(data, r, cols, bits, j * bits + t) * 2 ** t;
  return code;
}

/** y[b, o] = act(row(o, x, b·cols, b) + bias[o]). */
function forward(out: number, cols: number, f: LowbitForward, row: (o: number, x: ArrayLike<number>, at: number, b: number) => number): Float64Array {
  const y = new Float64Array(f.batch * out);
  for (let b = 0; b < f.batch; b++) {
    for (let o = 0; o < out; o++) {
      const s = row(o, f.x, b * cols, b) + (f.bias ? f.bias[o] : 0);
      y[b * out + o] = f.relu ? Math.max(s, 0) : s;
    }
  }
  return y;
}

interface BinaryLike { shape: readonly [number, number]; signs: Uint8Array; alpha: Float32Array }
interface TernaryLike extends BinaryLike { nonzero: Uint8Array }
interface Pow2Like { shape: readonly [number, number]; bits: number; scope: 'row' | 'tensor'; e0: Int8Array; codes: Uint8Array }

/** y[b, o] = α[o] · Σ_j (sign bit ? x : −x): accumulate, then one scale, as the kernels do. */
export function binaryLinearReference(w: BinaryLike, f: LowbitForward): Float64Array {
  const [out, cols] = w.shape;
  return forward(out, cols, f, (o, x, at) => {
    let s = 0;
    for (let j = 0; j < cols; j++) s += streamBit(w.signs, o, cols, 1, j) ? x[at + j] : -x[at + j];
    return w.alpha[o] * s;
  });
}

/** y[b, o] = α[o] · Σ_{nonzero j} (sign bit ? x : −x). */
export function ternaryLinearReference(w: TernaryLike, f: LowbitForward): Float64Array {
  const [out, cols] = w.shape;
  return forward(out, cols, f, (o, x, at) => {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      if (streamBit(w.nonzero, o, cols, 1, j)) s += streamBit(w.signs, o, cols, 1, j) ? x[at + j] : -x[at + j];
    }
    return w.alpha[o] * s;
  });
}

/** Σ_j sgn(w)·sgn(x) with sgn(v) = v ≥ 0 ? +1 : −1: the exact integer dots of the XNOR-popcount kernel, [batch, out]. */
export function xnorDots(w: BinaryLike, x: ArrayLike<number>, batch: number): Int32Array {
  const [out, cols] = w.shape;
  const dots = new Int32Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let d = 0;
      for (let j = 0; j < cols; j++) d += (streamBit(w.signs, o, cols, 1, j) ? 1 : -1) * (x[b * cols + j] >= 0 ? 1 : -1);
      dots[b * out + o] = d;
    }
  }
  return dots;
}

/** XNOR-Net with binarized activations: y[b, o] = α[o] · β[b] · dot[b, o], β[b] = mean_j |x[b, j]|. */
export function xnorLinearReference(w: BinaryLike, f: LowbitForward): Float64Array {
  const [out, cols] = w.shape;
  const dots = xnorDots(w, f.x, f.batch);
  return forward(out, cols, f, (o, x, at, b) => {
    let beta = 0;
    for (let j = 0; j < cols; j++) beta += Math.abs(x[at + j]);
    beta = cols ? beta / cols : 0;
    return w.alpha[o] * beta * dots[b * out + o];
  });
}

/** The value of a power-of-two code: k = low b−1 bits, sign = top bit, k = 2^(b−1) − 1 → 0. */
export function pow2Value(code: number, bits: number, e0: number): number {
  const zero = 2 ** (bits - 1) - 1;
  const k = code % 2 ** (bits - 1);
  if (k === zero) return 0;
  return (code >= 2 ** (bits - 1) ? -1 : 1) * 2 ** (e0 - k);
}

/** y[b, o] = Σ_j x·w in float64, w = ±2^(e0 − k) (every product exact in float64). */
export function pow2LinearReference(w: Pow2Like, f: LowbitForward): Float64Array {
  const [out, cols] = w.shape;
  return forward(out, cols, f, (o, x, at) => {
    const e0 = w.scope === 'row' ? w.e0[o] : w.e0[0];
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[at + j] * pow2Value(streamCode(w.codes, o, cols, w.bits, j), w.bits, e0);
    return s;
  });
}

const view = new DataView(new ArrayBuffer(4));

/**
 * Bit-level model of one term of the power-of-two kernel design (src/formats/pow2.ts): x (a float32) times
 * ±2^(−k) by subtracting k from x's exponent field and flipping the sign bit; +0 when x's exponent field
 * is ≤ k (zero, subnormal x, or a subnormal product); x's sign-flipped self when x is ±inf or NaN.
 */
export function exponentAddTerm(x: number, k: number, negative: boolean): number {
  view.setFloat32(0, x);
  const bits = view.getUint32(0);
  const exponent = (bits >>> 23) & 0xff;
  const sign = negative ? 0x80000000 : 0;
  if (exponent === 0xff) view.setUint32(0, (bits ^ sign) >>> 0);
  else if (exponent <= k) return 0;
  else view.setUint32(0, ((bits - k * 2 ** 23) ^ sign) >>> 0);
  return view.getFloat32(0);
}
