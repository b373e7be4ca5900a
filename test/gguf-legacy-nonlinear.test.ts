// IQ4_NL and MXFP4: golden blocks derived by hand (derivations in the comments), the nearest-level tie
// rules, exhaustive byte and scale sweeps against the element-wise reference, MXFP4's float32 floor(log2f),
// quantizer identities, an independent float64 model of the IQ4_NL reference quantizer, error thresholds.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { floorLog2f } from '../src/formats/gguf/ggml-arith.js';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { IQ4_NL_SEARCHED } from '../src/formats/gguf/nonlinear.js';
import { bitsToFloat, floatToBits } from '../src/formats/half.js';
import { halfValue, referenceBlock } from './reference/gguf-blocks.js';
import { dequantize, quantize } from './helpers/gguf.js';

const SEED = 20261202;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
const ANCHOR = Float32Array.from({ length: 32 }, (_, j) => (j - 10) * 0.25);
const KV = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.unreachable(`${what}: element ${i} is ${show(got[i])}, expected ${show(want[i])}`);
  }
}

const golden = suite('GGUF IQ4_NL / MXFP4: golden blocks');

golden('IQ4_NL reference quantizer on the §(b)3 anchor', () => {
  // quantize_row_iq4_nl_ref (ntry = −1): d0 = max/−127 = −5.25/127, so element j sits at −6.047619·(j − 10) in
  // level units. Nearest levels (midpoints 61, 45.5, 31.5, 19, 7, −4.5, −16, −28.5, −42, −57, −74, −93.5, −115.5):
  // codes 12 12 12 11 11 10 10 9 9 8 8 7 7 6 6 5 | 5 4 4 4 3 3 3 2 2 2 1 1 1 1 0 0 → qs = 5c 4c 4c 4b 3b 3a 3a 29 29 28
  // 18 17 17 16 06 05. Stored d = Σw·q·x / Σw·q² with w = x², i.e. with k = j − 10: Σk³q / (4·Σk²q²) =
  // −5639849 / (4·33866691) = −0.0416327 = −1364.22·2^-15 → f16 −1364·2^-15 = 0xA954 (0.22 from the rounding
  // point, so float32 accumulation cannot move it).
  const b = quantize('IQ4_NL', ANCHOR);
  assert.is(hex(b), '54a9' + '5c4c4c4b3b3a3a292928181717160605');
  assertSame(dequantize('IQ4_NL', b), referenceBlock('IQ4_NL', b), 'IQ4_NL');
  // llama-quantize's quantize_iq4_nl (ntry = 7) searches 15 more scales and recodes with the winner. This block
  // was derived with an independent numpy float32 transcription of that C function (not with this code).
  assert.is(hex(quantize('IQ4_NL', ANCHOR, IQ4_NL_SEARCHED)), '15a9' + '5d4c4c4b3b3a2a292918181717060605');
});

golden('IQ4_NL: an exact tie between two levels goes to the upper one', () => {
  // x = [127, −7, 4.5, 0, …]: d0 = 127/−127 = −1, id = −1, so −7 → 7 (the midpoint of 1 and 13 → index 9) and
  // 4.5 → −4.5 (the midpoint of −10 and 1 → index 8); 127 → −127 → index 0; zeros → −0 → index 8.
  // d = Σx³q/Σx²q² = (−127⁴ − 343·13 + 91.125)/(127⁴ + 49·169 + 20.25) = −0.9999849 → f16 −1.0 = 0xBC00.
  // (Ties to the lower level would give codes 8 and 7 instead.)
  const x = new Float32Array(32);
  x.set([127, -7, 4.5]);
  assert.is(hex(quantize('IQ4_NL', x)), '00bc' + '8089' + '88'.repeat(14));
});

golden('MXFP4 on the §(b)3 anchor, and the extremes of its E8M0 exponent', () => {
  // amax = 5.25: floor(log2 5.25) = 2 → e = 2 − 2 + 127 = 127 (0x7F), d = 2^(127−128) = 0.5, levels ×0.5 =
  // 0 .5 1 1.5 2 3 4 6 | 0 −.5 −1 −1.5 −2 −3 −4 −6. Nearest by linear scan, the first minimum winning:
  // −2.5 → −2 (index 12 before 13), −1.75 → −1.5 (11), −1.25 → −1 (10), −0.75 → −0.5 (9), −0.25 → 0 (index 0
  // before 9), 0.25 → 0 (before 0.5), 0.75 → 0.5, 1.25 → 1, 1.75 → 1.5, 2.5 → 2, 3.5 → 3, 5 → 4 (before 6), 5.25 → 6.
  // codes 12 12 12 11 11 10 10 9 9 0 0 0 1 1 2 2 | 3 3 4 4 4 5 5 5 5 6 6 6 6 6 6 7.
  const b = quantize('MXFP4', ANCHOR);
  assert.is(hex(b), '7f' + '3c3c4c4b4b5a5a595960606061616272');
  // prettier-ignore
  assertSame(dequantize('MXFP4', b), [-2, -2, -2, -1.5, -1.5, -1, -1, -0.5, -0.5, 0, 0, 0, 0.5, 0.5, 1, 1,
    1.5, 1.5, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 6], 'MXFP4');
  // FLT_MAX: log2f rounds to 128.0f, so e = 253, d = 2^125; 8·d and 12·d overflow to inf, 6·d = 2.55e38 is the
  // nearest finite level → code 5; the zeros → code 0.
  const big = new Float32Array(32);
  big[0] = 3.4028234663852886e38;
  assert.is(hex(quantize('MXFP4', big)), 'fd' + '05' + '00'.repeat(15));
  // Just below 2^-9: x = 2^-9·(1 − 5·2^-24) has log2 = −9 − 8.6e-8·5 = −9 − 4.3e-7, within half a float32
  // step (2^-21 = 4.8e-7) of −9, so log2f = −9.0f and e = −9 − 2 + 127 = 116; with 6·2^-24 it is 115.
  for (const [m, e] of [[5, 116], [6, 115]]) {
    const x = new Float32Array(32);
    x[0] = 2 ** -9 * (1 - m * 2 ** -24);
    assert.is(quantize('MXFP4', x)[0], e, `m = ${m}`);
  }
  // Below 2^-125 the exponent goes negative and (uint8_t) wraps as on x86-64: 2^-130 → −5 → 251.
  const tiny = new Float32Array(32);
  tiny[3] = -(2 ** -130);
  assert.is(hex(quantize('MXFP4', tiny)), 'fb' + '00'.repeat(16));
});

golden.run();

const sweep = suite('GGUF IQ4_NL / MXFP4: sweeps against the element-wise reference');

sweep('every byte value in every code position; every MXFP4 exponent; every IQ4_NL fp16 scale', () => {
  for (const [type, scale, codesFrom] of [['IQ4_NL', [0x54, 0xa9], 2], ['IQ4_NL', [0x00, 0x3c], 2], ['MXFP4', [0x7f], 1], ['MXFP4', [0x01], 1]] as const) {
    const c = ggufCodec(type);
    const block = new Uint8Array(c.info.blockBytes);
    const out = new Float32Array(32);
    for (let p = codesFrom; p < block.length; p++) {
      for (let i = 0; i < block.length; i++) block[i] = (i * 73 + 41) & 0xff;
      block.set(scale);
      for (let v = 0; v < 256; v++) {
        block[p] = v;
        c.dequantize(block, 0, out, 0, 1);
        assertSame(out, referenceBlock(type, block), `${type} byte ${p} = ${v}`);
      }
    }
  }
  const fp4 = Uint8Array.from({ length: 17 }, (_, i) => (i === 0 ? 0 : ((i - 1) | ((15 - (i - 1)) << 4)) & 0xff));
  for (let e = 0; e < 256; e++) {
    fp4[0] = e;
    assertSame(dequantize('MXFP4', fp4), referenceBlock('MXFP4', fp4), `MXFP4 e = ${e}`);
  }
  const iq4 = Uint8Array.from({ length: 18 }, (_, i) => (i < 2 ? 0 : ((i - 2) | ((15 - (i - 2)) << 4)) & 0xff));
  for (let h = 0; h < 0x10000; h++) {
    iq4[0] = h & 0xff;
    iq4[1] = h >> 8;
    const y = dequantize('IQ4_NL', iq4);
    assertSame(y, referenceBlock('IQ4_NL', iq4), `IQ4_NL d = 0x${h.toString(16)}`);
    if (Number.isNaN(halfValue(h))) assert.ok(y.every(Number.isNaN));
  }
});

sweep.run();

const quant = suite('GGUF IQ4_NL / MXFP4: quantizers');

/** Floats just below and just above every power of two 2^-149 … 2^128, plus a spread of others. */
function log2Probes(): number[] {
  const probes: number[] = [];
  for (let k = -149; k <= 128; k++) {
    const edge = k === 128 ? 0x7f800000 : floatToBits(2 ** k);
    for (let i = 1; i <= 64 && edge - i > 0; i++) probes.push(bitsToFloat(edge - i));
    if (k < 128) for (let i = 0; i < 4; i++) probes.push(bitsToFloat(edge + i));
  }
  for (let i = 1; i < 0x7f800000; i += 0x12345) probes.push(bitsToFloat(i));
  return probes;
}

quant('floor(log2f(x)) is the floor of log2 rounded to float32 (Math.log2 as the independent reference)', () => {
  // Math.log2 is accurate to about one float64 ulp, so Math.fround(Math.log2(x)) is the correctly rounded
  // float32 log2 unless x sat within ~1e-16 of a rounding point; floorLog2f decides by δ = −log2(x/2^K) instead.
  let roundedUp = 0;
  for (const x of log2Probes()) {
    const want = Math.floor(Math.fround(Math.log2(x)));
    assert.is(floorLog2f(x), want, `x = ${x} (bits 0x${floatToBits(x).toString(16)})`);
    if (x < 2 ** want) roundedUp++; // x is below 2^⌊log2f x⌋: log2 rounded up to the integer
  }
  assert.ok(roundedUp > 1000, `the probes include many values whose log2f rounds up to the next integer (${roundedUp})`);
  assert.is(floorLog2f(3.4028234663852886e38), 128);
  assert.is(floorLog2f(2 ** -149), -149);
  assert.is(floorLog2f(1), 0);
  assert.is(floorLog2f(bitsToFloat(0x3f7fffff)), -1); // 1 − 2^-24: log2 = −8.6e-8 is representable
  assert.is(floorLog2f(Infinity), Infinity);
});

quant('fast-check: MXFP4 quantize ∘ dequantize is the identity on blocks the quantizer can produce', () => {
  // With a ±12 level present, amax = 12·2^(e−128) = 1.5·2^(e−125) → e again; every value is a level times d
  // exactly, found with error 0; only code 8 (a second 0) is not reproducible (0 is found at index 0 first).
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 252 }), fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 31 }), fc.boolean(), (e, raw, at, neg) => {
      const codes = raw.map((c) => (c >= 8 ? c + 1 : c)); // skip 8
      codes[at] = neg ? 15 : 7;
      const b = new Uint8Array(17);
      b[0] = e;
      for (let j = 0; j < 16; j++) b[1 + j] = codes[j] | (codes[j + 16] << 4);
      assert.is(hex(quantize('MXFP4', dequantize('MXFP4', b))), hex(b));
      return true;
    }),
    { seed: SEED, numRuns: 500 },
  );
});

quant('fast-check: IQ4_NL reference quantizer = nearest levels at −127/max and the f16 least-squares scale (float64 model)', () => {
  // An independent float64 model: codes are the nearest levels of x·(−127/max) (ties up) and d the weighted
  // least-squares scale Σx³q/Σx²q². Float32 rounding can only matter within a hair of a level midpoint or an
  // f16 rounding point; such blocks are skipped, and at most a few percent may be.
  let checked = 0;
  let skipped = 0;
  const ints = fc.array(fc.integer({ min: -4096, max: 4096 }), { minLength: 32, maxLength: 32 });
  // One element of magnitude ≥ 2048·2^shift keeps d ≈ max/127 a normal f16 (2^-12 … 2^15).
  const big = fc.integer({ min: 2048, max: 4096 }).chain((v) => fc.constantFrom(v, -v));
  fc.assert(
    fc.property(ints, big, fc.integer({ min: 0, max: 31 }), fc.integer({ min: -16, max: 10 }), (raw, top, at, shift) => {
      const x = Float32Array.from(raw, (v, j) => (j === at ? top : v) * 2 ** shift);
      const max = [...x].reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      const codes = [...x].map((v) => {
        const t = (v * -127) / max;
        let best = 0;
        for (let i = 1; i < 16; i++) if (t >= (KV[i - 1] + KV[i]) / 2) best = i;
        return best;
      });
      const nearTie = [...x].some((v) => KV.some((_, i) => i > 0 && Math.abs((v * -127) / max - (KV[i - 1] + KV[i]) / 2) < 1e-4));
      let num = 0;
      let den = 0;
      x.forEach((v, j) => {
        num += v * v * v * KV[codes[j]];
        den += v * v * KV[codes[j]] ** 2;
      });
      const d = num / den;
      const units = Math.abs(d) / 2 ** (Math.floor(Math.log2(Math.abs(d))) - 10); // in f16 steps
      if (nearTie || Math.abs((units % 1) - 0.5) < 0.01) {
        skipped++;
        return true;
      }
      checked++;
      const b = quantize('IQ4_NL', x);
      const got = b.subarray(2).reduce<number[]>((a, byte, j) => ((a[j] = byte & 15), (a[j + 16] = byte >> 4), a), []);
      assert.equal(got, codes);
      assert.is(halfValue(b[0] | (b[1] << 8)), Math.sign(d) * Math.round(units) * 2 ** (Math.floor(Math.log2(Math.abs(d))) - 10));
      return true;
    }),
    { seed: SEED, numRuns: 600 },
  );
  assert.ok(skipped < checked / 10, `checked ${checked}, skipped ${skipped}`);
});

quant('round-trip error on test-quantize-fns data: IQ4_NL < 0.002, MXFP4 < 0.003; the scale search helps', () => {
  for (const offset of [0, 0.5, 3]) {
    const x = Float32Array.from({ length: 4096 }, (_, i) => Math.round((0.1 + 2 * Math.cos(i + offset)) * 2 ** 16) / 2 ** 16);
    const rmse = (y: Float32Array) => Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0)) / x.length;
    const ref = rmse(dequantize('IQ4_NL', quantize('IQ4_NL', x)));
    const searched = rmse(dequantize('IQ4_NL', quantize('IQ4_NL', x, IQ4_NL_SEARCHED)));
    const fp4 = rmse(dequantize('MXFP4', quantize('MXFP4', x)));
    assert.ok(ref > 0 && ref < 0.002, `IQ4_NL ${ref}`);
    assert.ok(searched > 0 && searched < ref, `IQ4_NL searched ${searched} vs ${ref}`);
    assert.ok(fp4 > 0 && fp4 < 0.003, `MXFP4 ${fp4}`);
  }
});

quant.run();
