// ggml's 32-element codebook types: IQ4_NL (16 non-uniform int8 levels × an fp16 scale, lowbit.md §1.16) and
// MXFP4 (E2M1 levels, doubled, × a power-of-two E8M0 scale, §1.20). Both keep their 4-bit codes as Q4_0 does.
import { bitsToFloat } from '../half.js';
import { blockCodec, scaleCodes } from './block-codec.js';
import { nibbleCodes, readHalf, writeHalf } from './block-fields.js';
import type { GgufCodec } from './codec.js';
import { floorLog2f, GROUP_MAX_EPS, signedAbsMax, toUint8 } from './ggml-arith.js';

const QK = 32;
const f32 = Math.fround;
const codes = new Uint8Array(QK);
const weight = new Float64Array(QK);

/** ggml's `kvalues_iq4nl`. */
export const IQ4_NL_VALUES: Readonly<Int8Array> = Int8Array.of(-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113);
/** ggml's `kvalues_mxfp4`: the E2M1 values doubled (so the E8M0 scale is halved). */
export const MXFP4_VALUES: Readonly<Int8Array> = Int8Array.of(0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12);

/** ggml's `best_index_int8` over a sorted power-of-two-sized codebook: the nearest level, an exact tie going to
 *  the upper one. It compares 2x with the sum of two neighbours, both exact, so there is no rounding in the
 *  decision. (The older binary-search form with float differences gives the same index for every non-NaN x;
 *  a NaN gets index 0 here.) */
function nearestLevel(values: ArrayLike<number>, x: number): number {
  const x2 = f32(x + x);
  let idx = 0;
  for (let step = values.length >> 1; step > 0; step >>= 1) {
    const j = idx + step;
    if (x2 >= values[j - 1] + values[j]) idx = j;
  }
  return idx;
}

const V0 = IQ4_NL_VALUES[0];
const iq4Codes = nibbleCodes(2);

/** Σw·q·x and Σw·q² of the block for codes picked at inverse scale `id`, accumulated in float32 as ggml does;
 *  the codes are left in `codes` when `keep` is set. */
function fitAt(src: Float32Array, from: number, id: number, keep: boolean): [number, number] {
  let sumqx = 0;
  let sumq2 = 0;
  for (let j = 0; j < QK; j++) {
    const x = src[from + j];
    const l = nearestLevel(IQ4_NL_VALUES, f32(id * x));
    if (keep) codes[j] = l;
    const q = IQ4_NL_VALUES[l];
    const wq = f32(weight[j] * q);
    sumqx = f32(sumqx + f32(wq * x));
    sumq2 = f32(sumq2 + f32(wq * q));
  }
  return [sumqx, sumq2];
}

/** One IQ4_NL block as ggml's `quantize_row_iq4_nl_impl` makes it without an importance matrix (weights x²).
 *  ntry = −1 is `quantize_row_iq4_nl_ref`; ntry = 7 is `quantize_iq4_nl`, which llama-quantize runs: it also
 *  tries 15 other scales and then recomputes the codes from the winning one. */
function quantizeIq4NlBlock(src: Float32Array, from: number, dst: Uint8Array, at: number, ntry: number): void {
  for (let j = 0; j < QK; j++) weight[j] = f32(src[from + j] * src[from + j]);
  const max = signedAbsMax(src, from, QK);
  let d = 0;
  if (Math.abs(max) < GROUP_MAX_EPS) {
    codes.fill(0);
  } else {
    const [sumqx, sumq2] = fitAt(src, from, f32(1 / f32(ntry > 0 ? -max / V0 : max / V0)), true);
    d = sumq2 > 0 ? f32(sumqx / sumq2) : 0;
    let best = f32(d * sumqx);
    for (let itry = -ntry; itry <= ntry; itry++) {
      const [sqx, sq2] = fitAt(src, from, f32((itry + V0) / max), false);
      if (sq2 > 0 && f32(sqx * sqx) > f32(best * sq2)) {
        d = f32(sqx / sq2);
        best = f32(d * sqx);
      }
    }
  }
  writeHalf(dst, at, d);
  if (ntry > 0) {
    const id = d !== 0 ? f32(1 / d) : 0;
    for (let j = 0; j < QK; j++) codes[j] = nearestLevel(IQ4_NL_VALUES, f32(id * src[from + j]));
  }
  iq4Codes.write(codes, dst, at);
}

function dequantizeIq4Nl(src: Uint8Array, at: number, dst: Float32Array, to: number): void {
  iq4Codes.read(src, at, codes);
  scaleCodes(IQ4_NL_VALUES, codes, readHalf(src, at), dst, to);
}

/** IQ4_NL with ggml's reference quantizer `quantize_row_iq4_nl_ref`. */
export const IQ4_NL = blockCodec('IQ4_NL', {
  dequantizeBlock: dequantizeIq4Nl,
  quantizeBlock: (src, from, dst, at) => quantizeIq4NlBlock(src, from, dst, at, -1),
});

/** IQ4_NL quantized the way llama-quantize writes model files without an importance matrix
 *  (`quantize_iq4_nl`, scale search over 15 candidates): lower error than the reference quantizer. */
export const IQ4_NL_SEARCHED = blockCodec('IQ4_NL', {
  dequantizeBlock: dequantizeIq4Nl,
  quantizeBlock: (src, from, dst, at) => quantizeIq4NlBlock(src, from, dst, at, 7),
});

/** ggml's GGML_E8M0_TO_FP32_HALF: 2^(e − 128); e < 2 gives the subnormals 2^-128 and 2^-127. */
export function e8m0Half(e: number): number {
  return bitsToFloat(e < 2 ? 0x00200000 << e : (e - 1) << 23);
}

/** ggml's `best_index_mxfp4`: linear scan for the smallest |value·d − x|, the first minimum winning. */
function nearestFp4(x: number, d: number): number {
  let best = 0;
  let bestErr = Math.abs(f32(f32(MXFP4_VALUES[0] * d) - x));
  for (let i = 1; i < 16; i++) {
    const err = Math.abs(f32(f32(MXFP4_VALUES[i] * d) - x));
    if (err < bestErr) {
      best = i;
      bestErr = err;
    }
  }
  return best;
}

const fp4Codes = nibbleCodes(1);

/** MXFP4 with ggml's `quantize_row_mxfp4_ref`: e = floor(log2f(amax)) − 2 + 127, codes by nearest level. */
export const MXFP4 = blockCodec('MXFP4', {
  dequantizeBlock(src, at, dst, to) {
    fp4Codes.read(src, at, codes);
    scaleCodes(MXFP4_VALUES, codes, e8m0Half(src[at]), dst, to);
  },
  quantizeBlock(src, from, dst, at) {
    const amax = Math.abs(signedAbsMax(src, from, QK));
    const e = amax > 0 ? toUint8(floorLog2f(amax) - 2 + 127) : 0; // (uint8_t) of a float: below 0 wraps
    const d = e8m0Half(e);
    dst[at] = e;
    for (let j = 0; j < QK; j++) codes[j] = nearestFp4(src[from + j], d);
    fp4Codes.write(codes, dst, at);
  },
});

/** The codebook block codecs, for the registry. */
export const NONLINEAR_CODECS: readonly GgufCodec[] = [IQ4_NL, MXFP4];
