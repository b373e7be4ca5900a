// The K-quant and ternary reference quantizers: golden bytes from a C build of ggml's reference code, ggml's
// own round-trip error thresholds, and properties that ggml's algorithms guarantee (stated per test); then
// GgufMatrix round trips for these types and bad input → BitsieveError.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError } from '../src/runtime/errors.js';
import { bitsToFloat, floatToBits, halfToFloat } from '../src/formats/half.js';
import { GgufMatrix, ggufCodec } from '../src/formats/gguf/matrix.js';
import { codeOf } from './helpers/errors.js';
import { dequantize, quantize } from './helpers/gguf.js';
import { k4Field, q3Scales } from './reference/gguf-k.js';
import { GOLDEN_DYADIC_BLOCK, GOLDEN_MIXED_SHA256, dyadicBlock, mixedBlocks } from './reference/gguf-k-golden.js';
import { randomFloats } from './reference/linear.js';

const SEED = 20261201;
const f = Math.fround;
const QUANTIZED = ['Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K', 'TQ1_0', 'TQ2_0'] as const;
const hexOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** ggml test-quantize-fns' error measure: sqrt(Σ(x − y)²) / n. */
function ggmlError(x: Float32Array, y: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] - y[i]) ** 2;
  return Math.sqrt(sum) / x.length;
}

/** Round half to even, from the definition. */
function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const diff = v - fl;
  return diff > 0.5 || (diff === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
}
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const half = (b: Uint8Array, o: number): number => halfToFloat(b[o] | (b[o + 1] << 8));

test('golden: one block of dyadic inputs, byte-identical to ggml (hex); 256 blocks of mixed data (SHA-256)', () => {
  const mixed = mixedBlocks(256, 20261201);
  for (const type of QUANTIZED) {
    assert.is(hexOf(quantize(type, dyadicBlock())), GOLDEN_DYADIC_BLOCK[type], `${type} dyadic block`);
    assert.is(createHash('sha256').update(quantize(type, mixed)).digest('hex'), GOLDEN_MIXED_SHA256[type], `${type} mixed blocks`);
  }
});

// Thresholds of ggml's tests/test-quantize-fns.cpp (lowbit.md §(b)4) on its data, 0.1 + 2·cos(i), 4096 values.
const THRESHOLD: Record<string, number> = { Q2_K: 0.0075, Q3_K: 0.004, Q4_K: 0.002, Q5_K: 0.002, Q6_K: 0.002, Q8_K: 0.002, TQ1_0: 0.01, TQ2_0: 0.01 };

test("round-trip error within ggml's test-quantize-fns thresholds (cosine, PRNG and dyadic data)", () => {
  const cosine = Float32Array.from({ length: 4096 }, (_, i) => 0.1 + 2 * f(Math.cos(i)));
  const prng = randomFloats(4096, SEED).map((v) => 2 * v);
  const dyadic = Float32Array.from({ length: 4096 }, (_, i) => dyadicBlock()[i % 256] * (1 - (i >> 8) / 32));
  for (const type of QUANTIZED) {
    for (const [name, x] of [['cosine', cosine], ['PRNG', prng], ['dyadic', dyadic]] as const) {
      const err = ggmlError(x, dequantize(type, quantize(type, x)));
      assert.ok(err < THRESHOLD[type], `${type} ${name}: ${err} ≥ ${THRESHOLD[type]}`);
    }
  }
  // Sanity of the measure itself: more bits, less error, on the same data.
  const errs = ['Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K'].map((t) => ggmlError(cosine, dequantize(t, quantize(t, cosine))));
  for (let i = 1; i < errs.length; i++) assert.ok(errs[i] < errs[i - 1], `error not decreasing with bits: ${errs}`);
});

test('deterministic and block-local: offsets, batching and stale destination bytes change nothing', () => {
  const blocks = 5;
  const x = randomFloats(7 + blocks * 256, SEED + 1);
  const before = x.slice();
  for (const type of QUANTIZED) {
    const codec = ggufCodec(type);
    const bytes = codec.info.blockBytes;
    const dst = new Uint8Array(3 + blocks * bytes + 4).fill(0xab);
    codec.quantize!(x, 7, dst, 3, blocks);
    assert.equal(Array.from(dst.subarray(0, 3)), [0xab, 0xab, 0xab], `${type} wrote before its span`);
    assert.equal(Array.from(dst.subarray(3 + blocks * bytes)), [0xab, 0xab, 0xab, 0xab], `${type} wrote after its span`);
    for (let b = 0; b < blocks; b++) {
      const one = quantize(type, x.slice(7 + 256 * b, 7 + 256 * (b + 1)));
      assert.is(hexOf(dst.subarray(3 + b * bytes, 3 + (b + 1) * bytes)), hexOf(one), `${type} block ${b}`);
    }
    assert.equal(x, before, `${type} mutated its input`);
  }
});

test('non-finite inputs (NaN, ±Infinity) quantize without throwing and stay inside their span', () => {
  const x = randomFloats(2 * 256, SEED + 8);
  x[3] = NaN;
  x[300] = Infinity;
  x[301] = -Infinity;
  for (const type of QUANTIZED) {
    const bytes = ggufCodec(type).info.blockBytes;
    const dst = new Uint8Array(2 * bytes + 2).fill(0xcd);
    ggufCodec(type).quantize!(x, 0, dst, 1, 2);
    assert.is(dst[0], 0xcd, type);
    assert.is(dst[2 * bytes + 1], 0xcd, type);
  }
});

/** Stored (dl, ml) of every sub-block and the code of every element, read back through the dequantizer. */
function subBlocks(type: string, q: Uint8Array): { size: number; dl: number[]; ml: number[]; lo: number; hi: number } {
  const d = (o: number) => half(q, o);
  switch (type) {
    case 'Q2_K':
      return { size: 16, dl: [...q.subarray(0, 16)].map((s) => f(d(80) * (s & 15))), ml: [...q.subarray(0, 16)].map((s) => f(d(82) * (s >> 4))), lo: 0, hi: 3 };
    case 'Q3_K':
      return { size: 16, dl: q3Scales(q, 96).map((s) => f(d(108) * s)), ml: Array(16).fill(0), lo: -4, hi: 3 };
    case 'Q4_K':
    case 'Q5_K': {
      const j8 = [0, 1, 2, 3, 4, 5, 6, 7];
      const hi = type === 'Q4_K' ? 15 : 31;
      return { size: 32, dl: j8.map((j) => f(d(0) * k4Field(q, 4, j, 'sc'))), ml: j8.map((j) => f(d(2) * k4Field(q, 4, j, 'm'))), lo: 0, hi };
    }
    default: // Q6_K
      return { size: 16, dl: [...new Int8Array(q.buffer, q.byteOffset + 192, 16)].map((s) => f(d(208) * s)), ml: Array(16).fill(0), lo: -32, hi: 31 };
  }
}

test('codes are recomputed from the stored fp16 scales: q = clamp(round-half-even((x + ml)/dl)) wherever dl ≠ 0', () => {
  // ggml's last step (quantize_row_q*_K_ref): with the fp16 d/dmin and the packed sub-block scales as stored,
  // each code is nearest_int((x + dm)/d) (Q2/4/5_K) or nearest_int(x/d) (Q3/6_K), clamped. The code is read
  // back from the dequantized value y = dl·q − ml, where dl·q is exact (≤ 25 significant bits).
  const x = new Float32Array([...randomFloats(8 * 256, SEED + 2), ...dyadicBlock()]).map((v, i) => (i < 1024 ? v : 3 * v));
  for (const type of ['Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K']) {
    const bytes = ggufCodec(type).info.blockBytes;
    const q = quantize(type, x);
    const y = dequantize(type, q);
    let checked = 0;
    for (let b = 0; b < x.length / 256; b++) {
      const s = subBlocks(type, q.subarray(b * bytes, (b + 1) * bytes));
      for (let e = 0; e < 256; e++) {
        const j = Math.floor(e / s.size);
        if (s.dl[j] === 0) continue;
        const i = 256 * b + e;
        const code = Math.round((y[i] + s.ml[j]) / s.dl[j]);
        assert.is(code, clamp(roundHalfEven(f(f(x[i] + s.ml[j]) / s.dl[j])), s.lo, s.hi), `${type} block ${b} element ${e}`);
        checked++;
      }
    }
    assert.ok(checked > 0.9 * x.length, `${type}: only ${checked} codes checked`);
  }
});

test('the largest sub-block scale gets the extreme scale code (15, 63, −32 or −128 times its sign)', () => {
  // Each quantizer divides every scale by the block's largest and rounds nmax·s/s_max: for s = s_max that is
  // nmax up to two float32 roundings, hence exactly nmax after nearest_int.
  const x = randomFloats(6 * 256, SEED + 3);
  for (let b = 0; b < 6; b++) {
    const xb = x.subarray(256 * b, 256 * (b + 1));
    const q2 = quantize('Q2_K', xb);
    assert.is(Math.max(...q2.subarray(0, 16).map((s) => s & 15)), 15);
    assert.is(Math.max(...q2.subarray(0, 16).map((s) => s >> 4)), 15);
    for (const type of ['Q4_K', 'Q5_K']) {
      const q = quantize(type, xb);
      assert.is(Math.max(...[0, 1, 2, 3, 4, 5, 6, 7].map((j) => k4Field(q, 4, j, 'sc'))), 63, type);
      assert.is(Math.max(...[0, 1, 2, 3, 4, 5, 6, 7].map((j) => k4Field(q, 4, j, 'm'))), 63, type);
    }
    assert.ok(q3Scales(quantize('Q3_K', xb), 96).includes(-32));
    assert.ok(new Int8Array(quantize('Q6_K', xb).buffer, 192, 16).includes(-128));
    // Q8_K: the first element of largest magnitude is coded −127 (d takes the opposite sign).
    const q8 = new Int8Array(quantize('Q8_K', xb).buffer);
    let first = 0;
    for (let i = 1; i < 256; i++) if (Math.abs(xb[i]) > Math.abs(xb[first])) first = i;
    assert.is(q8[4 + first], -127);
  }
});

/** Byte offsets of the scale fields whose value is d·2^k after scaling the input by 2^k. */
const SCALE_FIELDS: Record<string, { at: number; kind: 'f16' | 'f32' }[]> = {
  Q2_K: [{ at: 80, kind: 'f16' }, { at: 82, kind: 'f16' }],
  Q3_K: [{ at: 108, kind: 'f16' }],
  Q4_K: [{ at: 0, kind: 'f16' }, { at: 2, kind: 'f16' }],
  Q5_K: [{ at: 0, kind: 'f16' }, { at: 2, kind: 'f16' }],
  Q6_K: [{ at: 208, kind: 'f16' }],
  Q8_K: [{ at: 0, kind: 'f32' }],
  TQ1_0: [{ at: 52, kind: 'f16' }],
  TQ2_0: [{ at: 64, kind: 'f16' }],
};
const fieldValue = (q: Uint8Array, o: number, kind: 'f16' | 'f32') =>
  kind === 'f16' ? half(q, o) : bitsToFloat((q[o] | (q[o + 1] << 8) | (q[o + 2] << 16) | (q[o + 3] << 24)) >>> 0);

test('scaling the input by 2^k scales the stored d/dmin by 2^k and leaves every other byte unchanged', () => {
  // Every float32 operation commutes with multiplication by a power of two (no overflow or subnormals here),
  // nearest_int's arguments are scale-free, and so is fp16 rounding of normal values.
  const x = randomFloats(4 * 256, SEED + 4);
  for (const type of QUANTIZED) {
    const bytes = ggufCodec(type).info.blockBytes;
    const q = quantize(type, x);
    for (const k of [-2, 1, 5]) {
      const qs = quantize(type, x.map((v) => v * 2 ** k));
      for (let b = 0; b < 4; b++) {
        const o = b * bytes;
        const fields = new Set<number>();
        for (const { at, kind } of SCALE_FIELDS[type]) {
          const d = fieldValue(q, o + at, kind);
          assert.ok(d === 0 || Math.abs(d) >= 2 ** -12, `${type}: precondition, d = ${d} is far from fp16 subnormals`);
          assert.is(fieldValue(qs, o + at, kind), d * 2 ** k, `${type} block ${b} k=${k} field @${at}`);
          for (let i = 0; i < (kind === 'f16' ? 2 : 4); i++) fields.add(at + i);
        }
        for (let i = 0; i < bytes; i++) if (!fields.has(i)) assert.is(qs[o + i], q[o + i], `${type} block ${b} k=${k} byte ${i}`);
      }
    }
  }
});

test('negated input: Q6_K and Q8_K flip only the sign of d; the ternary codes mirror', () => {
  // make_qx_quants and Q8_K's scan are odd in x (iscale = −nmax/max changes sign with max, codes do not).
  // Q2/4/5_K (asymmetric min) and Q3_K (its refinement runs only when Σw·x·l > 0) have no such symmetry.
  const x = randomFloats(4 * 256, SEED + 5);
  const neg = x.map((v) => -v);
  for (const [type, signByte] of [['Q6_K', 209], ['Q8_K', 3]] as const) {
    const bytes = ggufCodec(type).info.blockBytes;
    const q = quantize(type, x);
    const qn = quantize(type, neg);
    for (let i = 0; i < q.length; i++) assert.is(qn[i], i % bytes === signByte ? q[i] ^ 0x80 : q[i], `${type} byte ${i}`);
  }
  for (const type of ['TQ1_0', 'TQ2_0']) {
    const y = dequantize(type, quantize(type, x));
    const yn = dequantize(type, quantize(type, neg));
    for (let i = 0; i < y.length; i++) assert.ok(yn[i] === -y[i], `${type} element ${i}`);
  }
});

test('ternary: quantize(dequantize(q)) = q for every block the encoder can produce with d > 0 and a nonzero trit', () => {
  // dequantize gives (t−1)·d exactly, so max|x| = d, x·(1/d) rounds (half away) back to t − 1, and d is an fp16 value.
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 256, maxLength: 256 }),
      fc.integer({ min: 1, max: 0x7bff }),
      (trits, dBits) => {
        fc.pre(trits.some((t) => t !== 1));
        for (const type of ['TQ1_0', 'TQ2_0']) {
          const block = new Uint8Array(ggufCodec(type).info.blockBytes);
          if (type === 'TQ2_0') {
            for (let e = 0; e < 256; e++) block[32 * (e >> 7) + (e % 32)] |= trits[e] << (2 * ((e % 128) >> 5));
            block.set([dBits & 0xff, dBits >> 8], 64);
          } else {
            // The encoder's ceil(v·256/243), v the base-3 number of a byte's trits (4 + a zero place in qh).
            const places = Array.from({ length: 52 }, () => [0, 0, 0, 0, 0]);
            for (let e = 0; e < 256; e++) {
              if (e < 160) places[e % 32][e >> 5] = trits[e];
              else if (e < 240) places[32 + ((e - 160) % 16)][(e - 160) >> 4] = trits[e];
              else places[48 + ((e - 240) % 4)][(e - 240) >> 2] = trits[e];
            }
            places.forEach((t, i) => (block[i] = Math.ceil((t.reduce((v, d) => 3 * v + d, 0) * 256) / 243)));
            block.set([dBits & 0xff, dBits >> 8], 52);
          }
          const y = dequantize(type, block);
          assert.equal([...y].map((v) => Math.sign(v) + 1), trits, `${type} decodes the trits`);
          assert.is(hexOf(quantize(type, y)), hexOf(block), type);
        }
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
});

test('Q8_K: quantize(dequantize(q)) keeps codes and group sums when the first largest code is −127; d too if a power of 2', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -126, max: 126 }), { minLength: 256, maxLength: 256 }),
      fc.integer({ min: 0, max: 255 }),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 5 }),
      fc.integer({ min: 1, max: 0x7f7fffff }),
      fc.boolean(),
      (codes, first, extremes, dBits, powerOfTwo) => {
        codes[first] = -127;
        for (const e of extremes) if (e > first) codes[e] = e % 2 ? 127 : -127; // later ties do not matter
        const block = new Uint8Array(292);
        const bits = powerOfTwo ? (dBits & 0x7f800000) || 0x00800000 : dBits;
        block.set([bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24], 0);
        codes.forEach((c, i) => (block[4 + i] = c & 0xff));
        const d = bitsToFloat(bits);
        fc.pre(Math.abs(d) * 127 < 3e38 && Math.abs(d) > 2 ** -100); // no overflow or subnormal in d·q and 1/iscale
        const again = quantize('Q8_K', dequantize('Q8_K', block));
        assert.equal([...new Int8Array(again.buffer, 4, 256)], codes);
        const sums = new Int16Array(again.buffer.slice(260, 292));
        for (let g = 0; g < 16; g++) assert.is(sums[g], codes.slice(16 * g, 16 * g + 16).reduce((a, b) => a + b, 0));
        const d2 = bitsToFloat(floatToBits(fieldValue(again, 0, 'f32')));
        if (powerOfTwo) assert.is(d2, d);
        else assert.ok(Math.abs(d2 - d) <= Math.abs(d) * 2 ** -22, `d ${d} → ${d2}`);
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
});

test('degenerate blocks: all zero, constant, one spike', () => {
  // All-zero: every quantizer stores d = 0 (Q6_K and Q8_K zero every byte); the block dequantizes to zeros.
  for (const type of QUANTIZED) {
    const q = quantize(type, new Float32Array(256));
    const y = dequantize(type, q);
    assert.ok(y.every((v) => v === 0), `${type}: zeros`);
    if (type === 'Q6_K' || type === 'Q8_K') assert.ok(q.every((v) => v === 0), `${type}: all bytes 0`);
  }
  // A constant block is reproduced exactly by the asymmetric types (scale·l − min hits it with l = nmax).
  for (const type of ['Q4_K', 'Q5_K']) {
    const y = dequantize(type, quantize(type, new Float32Array(256).fill(0.75)));
    assert.ok(y.every((v) => Math.abs(v - 0.75) < 0.75 / 62), `${type}: ${y[0]}`);
  }
  // One spike among zeros: it is the block maximum, coded at the top of the range; zeros stay zero where the
  // type is symmetric.
  const spike = new Float32Array(256);
  spike[77] = -3;
  for (const type of ['Q6_K', 'Q8_K', 'TQ1_0', 'TQ2_0', 'Q3_K']) {
    const y = dequantize(type, quantize(type, spike));
    assert.ok(Math.abs(y[77] + 3) < 3 / 30, `${type}: spike → ${y[77]}`);
    assert.ok(y.every((v, i) => i === 77 || v === 0), `${type}: zeros`);
  }
});

const ALL = [...QUANTIZED, 'IQ4_XS'] as const;

test('GgufMatrix: fromDense → toDense is the codec round trip; bytes round-trip; bits per weight', () => {
  const bpw: Record<string, number> = { Q2_K: 2.625, Q3_K: 3.4375, Q4_K: 4.5, Q5_K: 5.5, Q6_K: 6.5625, Q8_K: 9.125, IQ4_XS: 4.25, TQ1_0: 1.6875, TQ2_0: 2.0625 };
  const w = randomFloats(3 * 512, SEED + 6);
  for (const type of ALL) {
    const m =
      type === 'IQ4_XS'
        ? new GgufMatrix(type, [3, 512], Uint8Array.from(randomFloats(3 * 2 * 136, SEED + 7), (v) => (v + 1) * 100))
        : GgufMatrix.fromDense(w, [3, 512], type);
    assert.is(m.bitsPerWeight, bpw[type], type);
    assert.is(m.data.length, 3 * 2 * ggufCodec(type).info.blockBytes);
    if (type !== 'IQ4_XS') assert.is(hexOf(m.data), hexOf(quantize(type, w)), type);
    const dense = m.toDense();
    assert.equal(dense, dequantize(type, m.data), type);
    const back = GgufMatrix.fromBytes(m.toBytes());
    assert.is(back.type.name, type);
    assert.equal(back.shape, [3, 512]);
    assert.is(hexOf(back.data), hexOf(m.data));
  }
  assert.is(codeOf(() => GgufMatrix.fromDense(w, [3, 512], 'IQ4_XS')), 'E_UNSUPPORTED'); // dequantize-only type
});

test('bad input → BitsieveError with the right code', () => {
  const codec = ggufCodec('Q4_K');
  const q = new Uint8Array(2 * 144);
  const y = new Float32Array(512);
  assert.is(codeOf(() => codec.dequantize(q, 0, y, 0, 2)), 'no error');
  assert.is(codeOf(() => codec.dequantize(q, 1, y, 0, 2)), 'E_RANGE'); // one byte short
  assert.is(codeOf(() => codec.dequantize(q, 0, y, 1, 2)), 'E_RANGE'); // one element short
  assert.is(codeOf(() => codec.dequantize(q, 0, y, 0, 3)), 'E_RANGE');
  assert.is(codeOf(() => codec.dequantize(q, -1, y, 0, 1)), 'E_RANGE');
  assert.is(codeOf(() => codec.dequantize(q, 0, y, 0, 1.5)), 'E_RANGE');
  assert.is(codeOf(() => codec.dequantize(q, 0, y, 0, NaN)), 'E_RANGE');
  assert.is(codeOf(() => codec.dequantize(new Float32Array(72) as unknown as Uint8Array, 0, y, 0, 1)), 'E_DTYPE');
  assert.is(codeOf(() => codec.dequantize(q, 0, new Float64Array(512) as unknown as Float32Array, 0, 1)), 'E_DTYPE');
  assert.is(codeOf(() => codec.quantize!(y, 0, q, 0, 2)), 'no error');
  assert.is(codeOf(() => codec.quantize!(y, 1, q, 0, 2)), 'E_RANGE');
  assert.is(codeOf(() => codec.quantize!(y, 0, q, 145, 1)), 'E_RANGE');
  assert.is(codeOf(() => ggufCodec('IQ4_XS').quantize), 'no error');
  assert.is(ggufCodec('IQ4_XS').quantize, undefined);
  assert.is(codeOf(() => new GgufMatrix('Q6_K', [2, 256], new Uint8Array(419))), 'E_SHAPE');
  assert.is(codeOf(() => new GgufMatrix('TQ1_0', [2, 100], new Uint8Array(108))), 'E_SHAPE'); // not whole blocks
  assert.is(codeOf(() => GgufMatrix.fromDense(new Float32Array(300), [1, 300], 'Q2_K')), 'E_SHAPE');
  assert.is(codeOf(() => GgufMatrix.fromDense(new Float32Array(256).fill(NaN), [1, 256], 'Q3_K')), 'E_RANGE');
  const bytes = GgufMatrix.fromDense(randomFloats(256, 1), [1, 256], 'TQ2_0').toBytes();
  assert.is(codeOf(() => GgufMatrix.fromBytes(bytes.subarray(0, bytes.length - 1))), 'E_CORRUPT');
});

test('fast-check: random offsets, counts and bytes reach the codecs as typed errors or bit-exact output only', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ALL),
      fc.integer({ min: -2, max: 700 }),
      fc.integer({ min: -2, max: 1100 }),
      fc.integer({ min: -1, max: 4 }),
      fc.integer({ min: 0, max: 900 }),
      (type, byteOffset, elemOffset, blocks, len) => {
        const codec = ggufCodec(type);
        const src = Uint8Array.from(randomFloats(len, len + 1), (v) => (v + 1) * 128);
        const dst = new Float32Array(1024).fill(7);
        try {
          codec.dequantize(src, byteOffset, dst, elemOffset, blocks);
        } catch (e) {
          assert.ok(e instanceof BitsieveError, String(e));
          assert.ok(dst.every((v) => v === 7), 'an error after writing');
          return;
        }
        assert.ok(byteOffset + blocks * codec.info.blockBytes <= len && elemOffset + 256 * blocks <= 1024);
        assert.ok(dst.every((v, i) => (i >= elemOffset && i < elemOffset + 256 * blocks) || v === 7), 'wrote outside its span');
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

test.run();
