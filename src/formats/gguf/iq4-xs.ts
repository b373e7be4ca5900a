// IQ4_XS (136 B per 256, lowbit.md §1.17): d (fp16) · scales_h (u16) · scales_l[4] · qs[128]. Sub-block ib
// of 32 has the 6-bit scale ls = scales_l nibble ib | 2 bits of scales_h << 4, stored +32; its 16 bytes give
// elements 32ib + t (low nibbles) and 32ib + 16 + t (high nibbles), each an index into kvalues_iq4nl.
// Dequantization only: y = f32(f32(d·(ls − 32)) · kvalue), as dequantize_row_iq4_xs.
import { blockCodec } from './block-codec.js';
import { readHalf } from './block-fields.js';
import { IQ4_NL_VALUES } from './nonlinear.js';

const f = Math.fround;

/** Sub-block ib's signed scale ls − 32 (−32..31) of the IQ4_XS block at byte `o`. */
export function iq4xsScale(b: Uint8Array, o: number, ib: number): number {
  const scalesH = b[o + 2] | (b[o + 3] << 8);
  const ls = ((b[o + 4 + (ib >> 1)] >> (4 * (ib & 1))) & 0xf) | (((scalesH >> (2 * ib)) & 3) << 4);
  return ls - 32;
}

function dequantizeIQ4XS(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readHalf(src, so);
  for (let ib = 0; ib < 8; ib++) {
    const dl = f(d * iq4xsScale(src, so, ib));
    const q = so + 8 + 16 * ib;
    const e = yo + 32 * ib;
    for (let t = 0; t < 16; t++) {
      y[e + t] = f(dl * IQ4_NL_VALUES[src[q + t] & 0xf]);
      y[e + 16 + t] = f(dl * IQ4_NL_VALUES[src[q + t] >> 4]);
    }
  }
}

export const IQ4_XS_CODEC = blockCodec('IQ4_XS', { dequantizeBlock: dequantizeIQ4XS });
