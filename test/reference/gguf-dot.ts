// References for the GGUF GEMVs, independent of src/ and assembly/: ggml's generic integer dots
// (ggml_vec_dot_{q4_0_q8_0, q4_1_q8_1, q8_0_q8_0}_generic, lowbit.md §1.21) emulated in float32 with one
// Math.fround per C float operation, and the magnitude that bounds the f32 path's rounding error.
import { halfValue } from './gguf-blocks.js';

const f32 = Math.fround;
const u16 = (b: Uint8Array, o: number): number => b[o] + 256 * b[o + 1];
const i8 = (v: number): number => (v >= 128 ? v - 256 : v);

/** Weight code j of a block at byte `at` (Q4_0: q − 8; Q4_1: q; Q8_0: the int8). */
function code(type: string, w: Uint8Array, at: number, j: number): number {
  if (type === 'Q8_0') return i8(w[at + 2 + j]);
  const qs = type === 'Q4_1' ? at + 4 : at + 2;
  const q = j < 16 ? w[qs + j] & 15 : w[qs + j - 16] >> 4;
  return type === 'Q4_0' ? q - 8 : q;
}

const BLOCK_BYTES: Record<string, number> = { Q4_0: 18, Q4_1: 20, Q8_0: 34 };

/** y[r] = act(sumf + bias[r]) with sumf accumulated block by block exactly as ggml's generic C code does. */
export function ggmlQ8Gemv(type: 'Q4_0' | 'Q4_1' | 'Q8_0', w: Uint8Array, xq: Uint8Array, out: number, k: number, bias: Float32Array | undefined, relu: boolean): Float32Array {
  const nb = k / 32;
  const bb = BLOCK_BYTES[type];
  const xb = type === 'Q4_1' ? 36 : 34;
  const y = new Float32Array(out);
  for (let r = 0; r < out; r++) {
    let sumf = 0;
    for (let b = 0; b < nb; b++) {
      const at = (r * nb + b) * bb;
      const xa = b * xb;
      let sumi = 0;
      for (let j = 0; j < 32; j++) sumi += code(type, w, at, j) * i8(xq[xa + xb - 32 + j]);
      const dx = halfValue(u16(w, at));
      const dy = halfValue(u16(xq, xa));
      let term: number;
      if (type === 'Q4_0') term = f32(f32(sumi * dx) * dy);
      else if (type === 'Q8_0') term = f32(sumi * f32(dx * dy));
      else term = f32(f32(f32(dx * dy) * sumi) + f32(halfValue(u16(w, at + 2)) * halfValue(u16(xq, xa + 2))));
      sumf = f32(sumf + term);
    }
    const s = bias ? f32(sumf + bias[r]) : sumf;
    y[r] = relu ? Math.max(s, 0) : s;
  }
  return y;
}

/** Σ_j |x_j|·(|q_j·d| + |m|) per row for a Q4_1 matrix: the f32 path computes d·Σq·x + m·Σx, so its rounding
 *  error scales with this rather than with Σ|w·x| (the two parts may cancel). */
export function affineMagnitude(w: Uint8Array, x: Float32Array, out: number, k: number): Float64Array {
  const nb = k / 32;
  const m = new Float64Array(out);
  for (let r = 0; r < out; r++) {
    for (let b = 0; b < nb; b++) {
      const at = (r * nb + b) * 20;
      const d = Math.abs(halfValue(u16(w, at)));
      const mn = Math.abs(halfValue(u16(w, at + 2)));
      for (let j = 0; j < 32; j++) m[r] += Math.abs(x[32 * b + j]) * (code('Q4_1', w, at, j) * d + mn);
    }
  }
  return m;
}

/** Per row Σ_b |m_b|·(2^-9·|s_b| + 2^-24): how far ggml's Q4_1×Q8_1 dot may sit from the dot with the dequantized
 *  activations, because Q8_1 carries Σx as s = f16(Σq·d) (rounded, and from the unrounded d) rather than
 *  Σq·f16(d). */
export function q81SumSlack(w: Uint8Array, xq: Uint8Array, out: number, k: number): Float64Array {
  const nb = k / 32;
  const slack = new Float64Array(out);
  for (let r = 0; r < out; r++) {
    for (let b = 0; b < nb; b++) {
      const m = Math.abs(halfValue(u16(w, (r * nb + b) * 20 + 2)));
      slack[r] += m * (2 ** -9 * Math.abs(halfValue(u16(xq, 36 * b + 2))) + 2 ** -24);
    }
  }
  return slack;
}
