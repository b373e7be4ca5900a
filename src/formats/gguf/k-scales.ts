// The two 12-byte packings of K-quant sub-block scales (lowbit.md §(a) tables), both directions.
//   k4 (Q4_K, Q5_K): 8 × (6-bit scale, 6-bit min). Bytes 0–3: sc0..3 in bits 0–5, top bits of sc4..7 in
//     bits 6–7; bytes 4–7: the same for the mins; bytes 8–11: low nibbles of sc4..7 | low nibbles of m4..7 << 4.
//   q3 (Q3_K): 16 × 6-bit scale stored +32. Bytes 0–7: low nibbles of s0..7 | low nibbles of s8..15 << 4;
//     byte 8+i, bits 2k..2k+1: bits 4–5 of s(i + 4k).

/** Sub-block j's 6-bit scale in a k4 scale block at byte `o` (ggml's get_scale_min_k4, first output). */
export function k4Scale(b: Uint8Array, o: number, j: number): number {
  return j < 4 ? b[o + j] & 63 : (b[o + j + 4] & 0xf) | ((b[o + j - 4] >> 6) << 4);
}

/** Sub-block j's 6-bit min in a k4 scale block at byte `o` (get_scale_min_k4, second output). */
export function k4Min(b: Uint8Array, o: number, j: number): number {
  return j < 4 ? b[o + j + 4] & 63 : (b[o + j + 4] >> 4) | ((b[o + j] >> 6) << 4);
}

/** Writes 8 scales and 8 mins (each 0..63) as a k4 scale block at byte `o`, in ggml's order of writes. */
export function packK4(b: Uint8Array, o: number, scales: ArrayLike<number>, mins: ArrayLike<number>): void {
  for (let j = 0; j < 8; j++) {
    const ls = scales[j];
    const lm = mins[j];
    if (j < 4) {
      b[o + j] = ls;
      b[o + j + 4] = lm;
    } else {
      b[o + j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
      b[o + j - 4] |= (ls >> 4) << 6;
      b[o + j] |= (lm >> 4) << 6;
    }
  }
}

/** Sub-block j's signed scale (−32..31) in a q3 scale block at byte `o`. */
export function q3Scale(b: Uint8Array, o: number, j: number): number {
  const low4 = j < 8 ? b[o + j] & 0xf : b[o + j - 8] >> 4;
  const high2 = (b[o + 8 + (j % 4)] >> (2 * (j >> 2))) & 3;
  return (low4 | (high2 << 4)) - 32;
}

/** Writes 16 biased scales (each 0..63, i.e. signed + 32) as a q3 scale block at byte `o`. */
export function packQ3(b: Uint8Array, o: number, biased: ArrayLike<number>): void {
  b.fill(0, o, o + 12);
  for (let j = 0; j < 16; j++) {
    const l = biased[j];
    if (j < 8) b[o + j] = l & 0xf;
    else b[o + j - 8] |= (l & 0xf) << 4;
    b[o + 8 + (j % 4)] |= (l >> 4) << (2 * (j >> 2));
  }
}
