// The K-quant / IQ4_XS / ternary wasm kernels (assembly/quant/gguf-k*.ts) through bs.kernels, on every build:
// dequantization bit for bit against the TypeScript reference codecs (Object.is: −0.0 ≠ +0.0) and across
// builds (raw f32 bits); the Q8_K activation quantizer byte for byte against the TS reference quantizer;
// the fused GEMVs (f32 and Q8_K activations) against float64 sums over the TS-dequantized weights.
import * as assert from 'uvu/assert';
import type { Bitsieve } from '../src/index.js';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { U32 } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';

const TYPES = { q2_k: 84, q3_k: 110, q4_k: 144, q5_k: 176, q6_k: 210, q8_k: 292, iq4_xs: 136, tq1_0: 54, tq2_0: 66 } as const;
type KType = keyof typeof TYPES;
/** Byte offsets of each type's fp16 (Q8_K: f32) scale fields, which the random blocks set on purpose. */
const SCALE_FIELDS: Record<KType, number[]> = { q2_k: [80, 82], q3_k: [108], q4_k: [0, 2], q5_k: [0, 2], q6_k: [208], q8_k: [], iq4_xs: [0], tq1_0: [52], tq2_0: [64] };
const codec = (t: KType) => ggufCodec(t.toUpperCase());

/** xorshift32 byte stream. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

// fp16 patterns that must survive decoding: ±0, subnormals, ±inf, quiet and signalling NaN, extremes.
const SPECIAL_HALVES = [0x0000, 0x8000, 0x0001, 0x83ff, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe01, 0x3c00, 0xbc00];

/** A normal fp16 of moderate size (2^-10 .. 2^-3), random sign. */
const moderateHalf = (r: () => number): number => ((r() & 1) << 15) | ((5 + (r() % 8)) << 10) | (r() & 0x3ff);

/** `blocks` random blocks; scale fields moderate, except that about a quarter get a special pattern. */
function randomBlocks(t: KType, blocks: number, seed: number, specials = true): Uint8Array {
  const r = rng(seed);
  const size = TYPES[t];
  const b = new Uint8Array(blocks * size);
  for (let i = 0; i < b.length; i++) b[i] = r() & 0xff;
  for (let k = 0; k < blocks; k++) {
    for (const o of SCALE_FIELDS[t]) {
      const h = specials && r() % 4 === 0 ? SPECIAL_HALVES[r() % SPECIAL_HALVES.length] : moderateHalf(r);
      b[k * size + o] = h & 0xff;
      b[k * size + o + 1] = h >> 8;
    }
    if (t === 'q8_k') new DataView(b.buffer).setFloat32(k * size, (r() / 2 ** 32 - 0.5) * 2 ** -(r() % 140), true);
  }
  return b;
}

/** Copies bytes into wasm memory (a float tensor rounded up, plus one guard vector). */
function residentBytes(bs: Bitsieve, bytes: Uint8Array) {
  const t = bs.tensor(Math.ceil(bytes.length / 4) + 4);
  new Uint8Array(bs.kernels.memory.buffer, t.ptr, bytes.length).set(bytes);
  return t;
}

/** Runs gguf_dequant_<t>; checks nothing past the output was written. */
function kernelDequant(bs: Bitsieve, t: KType, bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / TYPES[t];
  const src = residentBytes(bs, bytes);
  const dst = bs.tensor(blocks * 256 + 4);
  dst.write(new Float32Array(blocks * 256 + 4).fill(7));
  bs.kernels[`gguf_dequant_${t}`](src.ptr, dst.ptr, blocks);
  const y = dst.read();
  assert.equal([...y.subarray(blocks * 256)], [7, 7, 7, 7], `${t}: no write past the end`);
  src.dispose();
  dst.dispose();
  return y.subarray(0, blocks * 256);
}

function referenceDequant(t: KType, bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / TYPES[t];
  const y = new Float32Array(blocks * 256);
  codec(t).dequantize(bytes, 0, y, 0, blocks);
  return y;
}

function assertSameFloats(got: Float32Array, want: Float32Array, what: string): void {
  assert.is(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.unreachable(`${what}: element ${i} (block ${i >> 8}, e ${i & 255}) = ${got[i]}, reference ${want[i]}`);
  }
}

/** Every value 0..255 at every byte position of a base block (moderate scales): blockBytes·256 blocks. */
function byteSweep(t: KType, seed: number): Uint8Array {
  const size = TYPES[t];
  const base = randomBlocks(t, 1, seed, false);
  const out = new Uint8Array(size * 256 * size);
  for (let p = 0; p < size; p++) {
    for (let v = 0; v < 256; v++) {
      const o = (p * 256 + v) * size;
      out.set(base, o);
      out[o + p] = v;
    }
  }
  return out;
}

// Raw output bits of every dequantization case, per case name, from the first build that ran it.
const firstBits = new Map<string, { variant: string; bits: Uint32Array }>();
function assertSameAcrossBuilds(variant: string, name: string, y: Float32Array): void {
  const bits = new Uint32Array(y.buffer.slice(y.byteOffset, y.byteOffset + y.byteLength));
  const seen = firstBits.get(name);
  if (!seen) {
    firstBits.set(name, { variant, bits });
    return;
  }
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] !== seen.bits[i]) assert.unreachable(`${name}: bits ${bits[i].toString(16)} here, ${seen.bits[i].toString(16)} in the ${seen.variant} build (element ${i})`);
  }
}

const sweeps = new Map<KType, { bytes: Uint8Array; want: Float32Array }>();
function sweepCase(t: KType) {
  let c = sweeps.get(t);
  if (!c) {
    const bytes = byteSweep(t, 1000 + TYPES[t]);
    c = { bytes, want: referenceDequant(t, bytes) };
    sweeps.set(t, c);
  }
  return c;
}

eachVariant('K-quant dequantization kernels', (test) => {
  for (const t of Object.keys(TYPES) as KType[]) {
    test(`gguf_dequant_${t}: 64 random blocks (special fp16 scales included) = TS codec, bit for bit`, ({ bs, variant }) => {
      const bytes = randomBlocks(t, 64, 17 + TYPES[t]);
      const y = kernelDequant(bs, t, bytes);
      assertSameFloats(y, referenceDequant(t, bytes), t);
      assert.ok(y.some((v) => Object.is(v, -0)) || t === 'q2_k' || t === 'q4_k' || t === 'q5_k', `${t}: the random blocks reach −0.0`);
      assertSameAcrossBuilds(variant, `random ${t}`, y);
    });

    test(`gguf_dequant_${t}: every byte value at every byte position = TS codec`, ({ bs, variant }) => {
      const { bytes, want } = sweepCase(t);
      const y = kernelDequant(bs, t, bytes);
      assertSameFloats(y, want, `${t} sweep`);
      assertSameAcrossBuilds(variant, `sweep ${t}`, y);
    });
  }

  test('zero blocks dequantize to nothing (no write)', ({ bs }) => {
    for (const t of Object.keys(TYPES) as KType[]) assert.is(kernelDequant(bs, t, new Uint8Array(0)).length, 0);
  });
});

/** Q8_K input rows: random floats of varied scale, a zero block, a block with NaN / ±inf / subnormals /
 *  exact ties, a block whose largest |x| is negative. */
function q8Inputs(): Float32Array {
  const r = rng(5);
  const x = new Float32Array(256 * 8);
  for (let i = 0; i < x.length; i++) x[i] = ((r() / 2 ** 32) * 2 - 1) * 2 ** ((i >> 8) - 4);
  x.fill(0, 256, 512); // block 1: all zero
  const b2 = 512;
  x[b2] = NaN;
  x[b2 + 1] = Infinity;
  x[b2 + 2] = -Infinity;
  x[b2 + 3] = 1e-45;
  const b3 = 768; // max |x| = 127 (negative), ties at k + 0.5 → half to even
  for (let j = 0; j < 256; j++) x[b3 + j] = (j % 2 ? -1 : 1) * ((j % 60) + 0.5);
  x[b3 + 7] = -127;
  const b4 = 1024; // only subnormals: iscale overflows to −inf
  for (let j = 0; j < 256; j++) x[b4 + j] = (j - 128) * 1e-45;
  return x;
}

function referenceQ8K(x: Float32Array): Uint8Array {
  const blocks = x.length / 256;
  const q = new Uint8Array(blocks * 292);
  codec('q8_k').quantize!(x, 0, q, 0, blocks);
  return q;
}

function kernelQ8K(bs: Bitsieve, x: Float32Array): Uint8Array {
  const blocks = x.length / 256;
  const xt = bs.tensor(x);
  const dst = residentBytes(bs, new Uint8Array(blocks * 292 + 16).fill(0xa5));
  bs.kernels.gguf_quantize_q8_k(xt.ptr, dst.ptr, blocks);
  const got = new Uint8Array(bs.kernels.memory.buffer, dst.ptr, blocks * 292 + 16).slice();
  xt.dispose();
  dst.dispose();
  assert.ok(got.subarray(blocks * 292).every((v) => v === 0xa5), 'no write past the end');
  return got.subarray(0, blocks * 292);
}

eachVariant('gguf_quantize_q8_k', (test) => {
  test('bytes identical to the TS Q8_K reference quantizer (random, zero, non-finite, ties, subnormal blocks)', ({ bs }) => {
    const x = q8Inputs();
    const want = referenceQ8K(x);
    const got = kernelQ8K(bs, x);
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) assert.unreachable(`byte ${i} (block ${Math.floor(i / 292)}, offset ${i % 292}) = ${got[i]}, reference ${want[i]}`);
    assert.ok(got.subarray(292, 584).every((v) => v === 0), 'an all-zero block is all zero bytes');
  });
});

// ---- fused GEMV ---------------------------------------------------------------------------------

const GEMV_TYPES = ['q4_k', 'q5_k', 'q6_k'] as const;
type GemvType = (typeof GEMV_TYPES)[number];

/** Weight rows with moderate scales and random codes (no special values: the sums must be finite). */
function gemvWeights(t: GemvType, out: number, k: number, seed: number): Uint8Array {
  return randomBlocks(t, (out * k) / 256, seed, false);
}

/** Dequantized weights, and per element the magnitudes |d·sc·q| + |dmin·m| of its two terms (the terms the
 *  kernels sum; they may cancel in w), taken from the TS codec with dmin or d zeroed. */
function weightTerms(t: GemvType, bytes: Uint8Array): { w: Float32Array; mag: Float32Array } {
  const w = referenceDequant(t, bytes);
  if (t === 'q6_k') return { w, mag: w.map(Math.abs) };
  const size = TYPES[t];
  const noMin = bytes.slice();
  const noScale = bytes.slice();
  for (let o = 0; o < bytes.length; o += size) {
    noMin[o + 2] = noMin[o + 3] = 0; // dmin = 0 → d·sc·q
    noScale[o] = noScale[o + 1] = 0; // d = 0 → −dmin·m
  }
  const a = referenceDequant(t, noMin);
  const b = referenceDequant(t, noScale);
  return { w, mag: a.map((v, i) => Math.abs(v) + Math.abs(b[i])) };
}

interface GemvCase { t: GemvType; out: number; k: number; bias?: Float32Array; relu: boolean; seed: number }

/** y = act(bias + Σ w·x) in float64, and the tolerance (k + 8)·u·(Σ mag·|x| + |bias|). */
function gemvReference(c: GemvCase, w: Float32Array, mag: Float32Array, x: ArrayLike<number>) {
  const want = new Float64Array(c.out);
  const tol = new Float64Array(c.out);
  for (let r = 0; r < c.out; r++) {
    let s = c.bias ? c.bias[r] : 0;
    let m = c.bias ? Math.abs(c.bias[r]) : 0;
    for (let i = 0; i < c.k; i++) {
      s += w[r * c.k + i] * x[i];
      m += mag[r * c.k + i] * Math.abs(x[i]);
    }
    want[r] = c.relu ? Math.max(s, 0) : s;
    tol[r] = (c.k + 8) * U32 * m + 1e-30;
  }
  return { want, tol };
}

function runGemv(bs: Bitsieve, kernel: string, c: GemvCase, wBytes: Uint8Array, xBytes: Uint8Array | Float32Array): Float32Array {
  const w = residentBytes(bs, wBytes);
  const x = xBytes instanceof Float32Array ? bs.tensor(xBytes) : residentBytes(bs, xBytes);
  const bias = c.bias ? bs.tensor(c.bias) : undefined;
  const y = bs.tensor(c.out + 4);
  y.write(new Float32Array(c.out + 4).fill(7));
  (bs.kernels as unknown as Record<string, (...a: number[]) => void>)[kernel](w.ptr, bias ? bias.ptr : 0, x.ptr, y.ptr, c.out, c.k, c.relu ? 1 : 0);
  const got = y.read();
  assert.equal([...got.subarray(c.out)], [7, 7, 7, 7], 'no write past the end');
  for (const t of [w, x, bias, y]) t?.dispose();
  return got.subarray(0, c.out);
}

function assertWithin(got: Float32Array, want: Float64Array, tol: Float64Array, what: string): void {
  for (let r = 0; r < want.length; r++) {
    const err = Math.abs(got[r] - want[r]);
    if (!(err <= tol[r])) assert.unreachable(`${what}: y[${r}] = ${got[r]}, reference ${want[r]}, |err| ${err} > ${tol[r]}`);
  }
}

// Odd shapes: one to five super-blocks, outputs that are not a multiple of any row tile.
const SHAPES: [out: number, k: number][] = [[1, 256], [3, 512], [7, 1280], [13, 768], [2, 256 * 5], [0, 256]];

eachVariant('K-quant fused GEMV vs float64 over the TS-dequantized weights', (test) => {
  for (const t of GEMV_TYPES) {
    for (const [out, k] of SHAPES) {
      for (const [withBias, relu] of [[false, false], [true, false], [true, true]] as const) {
        const c: GemvCase = { t, out, k, relu, seed: out * 31 + k + (withBias ? 7 : 0) + (relu ? 3 : 0) };
        if (withBias) c.bias = Float32Array.from({ length: out }, (_, i) => (i % 3) - 1 + i / 8);
        const label = `${t} ${out}×${k}${withBias ? ' + bias' : ''}${relu ? ' + relu' : ''}`;
        const wBytes = gemvWeights(t, out, k, c.seed);
        const { w, mag } = weightTerms(t, wBytes);
        const xr = rng(c.seed + 1);
        const x = Float32Array.from({ length: k }, () => (xr() / 2 ** 32) * 4 - 2);

        test(`f32_gemv_${label}`, ({ bs }) => {
          const { want, tol } = gemvReference(c, w, mag, x);
          const y = runGemv(bs, `f32_gemv_${t}`, c, wBytes, x);
          assertWithin(y, want, tol, `f32_gemv_${t}`);
          if (relu) assert.ok(y.every((v) => v >= 0 && !Object.is(v, -0)), 'relu output is ≥ +0');
        });

        test(`q8_gemv_${label} (Q8_K activations from the TS quantizer; same bits in every build)`, ({ bs, variant }) => {
          const xq = referenceQ8K(x);
          const xd = referenceDequant('q8_k', xq); // the activations the integer path multiplies
          const { want, tol } = gemvReference(c, w, mag, xd);
          const y = runGemv(bs, `q8_gemv_${t}`, c, wBytes, xq);
          assertWithin(y, want, tol, `q8_gemv_${t}`);
          assertSameAcrossBuilds(variant, `q8_gemv ${label}`, y);
        });
      }
    }
  }

  test('f32_gemv_q4_k / q5_k: more than one input panel (513 super-blocks)', ({ bs }) => {
    for (const t of ['q4_k', 'q5_k'] as const) {
      const c: GemvCase = { t, out: 2, k: 256 * 513, relu: false, seed: 99 };
      const wBytes = gemvWeights(t, c.out, c.k, c.seed);
      const { w, mag } = weightTerms(t, wBytes);
      const x = Float32Array.from({ length: c.k }, (_, i) => Math.sin(i));
      const { want, tol } = gemvReference(c, w, mag, x);
      assertWithin(runGemv(bs, `f32_gemv_${t}`, c, wBytes, x), want, tol, `f32_gemv_${t} panels`);
    }
  });
});
