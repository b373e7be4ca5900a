// The ternary types (BitNet b1.58 / TriLM weights, lowbit.md §1.18–1.19): codes {0, 1, 2} → {−1, 0, +1}·d
// with one fp16 scale per 256 elements. Reference quantizer of both: d = max|x|, t = lroundf(x·(1/d)) + 1.
//   TQ2_0 (66 B): qs[64] · d. Byte 32g + l, bits 2n..2n+1 → element 128g + 32n + l.
//   TQ1_0 (54 B): qs[48] · qh[4] · d. Five trits per byte as the fixed-point fraction ceil(v·256/243) of
//     v = Σ t_n·3^(4−n); trit n = ((byte·3^n mod 256)·3) >> 8. qs[0..31] hold elements 32n + m,
//     qs[32..47] elements 160 + 16n + m, qh[0..3] four trits (shifted up one place) for 240 + 4n + j.
import { blockCodec } from './block-codec.js';
import { readHalf, writeHalf } from './block-fields.js';
import { macroAbsMax, roundHalfAway } from './ggml-arith.js';

const f = Math.fround;
const POW3 = [1, 3, 9, 27, 81, 243];

/** Trit n (0 = most significant) of a TQ1_0 byte. */
export function tq1Trit(byte: number, n: number): number {
  return (((byte * POW3[n]) & 0xff) * 3) >> 8;
}

/** The TQ1_0 byte for trits[at..at+count) (most significant first), shifted to fill five trit places. */
function tq1Byte(trits: ArrayLike<number>, at: number, count: number): number {
  let v = 0;
  for (let n = 0; n < count; n++) v = v * 3 + trits[at + n];
  for (let n = count; n < 5; n++) v *= 3;
  return Math.floor((v * 256 + 242) / 243); // ceiling division
}

/** Scans the 256 inputs of a block: d = max|x| (C's MAX(amax, fabsf(v))), and id = d ? 1/d : 0. */
function ternaryScale(x: Float32Array, xo: number): [number, number] {
  const amax = macroAbsMax(x, xo, 256);
  return [amax, amax !== 0 ? f(1 / amax) : 0];
}

const code = (x: number, id: number): number => roundHalfAway(f(x * id)) + 1;

function dequantizeTQ2(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readHalf(src, so + 64);
  for (let g = 0; g < 2; g++) {
    for (let n = 0; n < 4; n++) {
      for (let l = 0; l < 32; l++) y[yo + 128 * g + 32 * n + l] = f((((src[so + 32 * g + l] >> (2 * n)) & 3) - 1) * d);
    }
  }
}

function quantizeTQ2(x: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  const [d, id] = ternaryScale(x, xo);
  writeHalf(dst, o + 64, d);
  for (let g = 0; g < 2; g++) {
    for (let l = 0; l < 32; l++) {
      let q = 0;
      for (let n = 0; n < 4; n++) q += (code(x[xo + 128 * g + 32 * n + l], id) & 3) << (2 * n);
      dst[o + 32 * g + l] = q;
    }
  }
}

/** Byte index within the block and trit place of element e (0..255) of TQ1_0. */
function tq1Place(e: number): [number, number] {
  if (e < 160) return [e % 32, e >> 5];
  if (e < 240) return [32 + ((e - 160) % 16), (e - 160) >> 4];
  return [48 + ((e - 240) % 4), (e - 240) >> 2];
}
const TQ1_PLACES = Array.from({ length: 256 }, (_, e) => tq1Place(e));

function dequantizeTQ1(src: Uint8Array, so: number, y: Float32Array, yo: number): void {
  const d = readHalf(src, so + 52);
  for (let e = 0; e < 256; e++) {
    const [byte, n] = TQ1_PLACES[e];
    y[yo + e] = f((tq1Trit(src[so + byte], n) - 1) * d);
  }
}

// Trits of one block, five places per byte (a plain array: a NaN input's NaN trit must reach tq1Byte as NaN).
const trits = new Array<number>(54 * 5).fill(0);

function quantizeTQ1(x: Float32Array, xo: number, dst: Uint8Array, o: number): void {
  const [d, id] = ternaryScale(x, xo);
  for (let e = 0; e < 256; e++) {
    const [byte, n] = TQ1_PLACES[e];
    trits[5 * byte + n] = code(x[xo + e], id);
  }
  for (let byte = 0; byte < 52; byte++) dst[o + byte] = tq1Byte(trits, 5 * byte, byte < 48 ? 5 : 4);
  writeHalf(dst, o + 52, d);
}

export const TQ1_0_CODEC = blockCodec('TQ1_0', { dequantizeBlock: dequantizeTQ1, quantizeBlock: quantizeTQ1 });
export const TQ2_0_CODEC = blockCodec('TQ2_0', { dequantizeBlock: dequantizeTQ2, quantizeBlock: quantizeTQ2 });
