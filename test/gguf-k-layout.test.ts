// K-quant, IQ4_XS and ternary block layouts: the hand-derived anchors of lowbit.md §(b)3, single-bit walks
// through the 96 scale bits, and every byte value at every byte position against the element-wise
// reference in test/reference/gguf-k.ts, compared bit for bit (Object.is: −0.0 ≠ +0.0, NaN = NaN).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { iq4xsScale } from '../src/formats/gguf/iq4-xs.js';
import { k4Min, k4Scale, packK4, packQ3, q3Scale } from '../src/formats/gguf/k-scales.js';
import { tq1Trit } from '../src/formats/gguf/ternary.js';
import { k4Field, q3Scales, referenceBlock } from './reference/gguf-k.js';
import { randomFloats } from './reference/linear.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
const TYPES = ['Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K', 'IQ4_XS', 'TQ1_0', 'TQ2_0'] as const;

function dequantize(type: string, block: Uint8Array): Float32Array {
  const y = new Float32Array(256);
  ggufCodec(type).dequantize(block, 0, y, 0, 1);
  return y;
}

/** Index of the first element whose bits differ, or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

// Anchor: the 12 scale bytes of §(b)3. By the k4 table: j < 4 reads bits 0–5 of bytes j and j+4 →
// (0x41&63, 0xC5&63) = (1, 5), (2, 6), (3, 7), (4, 8); j = 4 takes the low/high nibble of byte 8 (0x9A → 10, 9)
// and bits 6–7 of bytes 0 and 4 (1 and 3) as bits 4–5 → (10 + 16, 9 + 48) = (26, 57); likewise (12, 11),
// (14, 13), (0, 15) from bytes 9–11 = BC DE F0 with bytes 1–3, 5–7 contributing 0.
const SCALE_BYTES = hex('41 02 03 04 C5 06 07 08 9A BC DE F0');

test('Q4_K scale unpack anchor: (sc, m) pairs; d = 1, dmin = 0.5, qs[0] = 0x21 → elements 0 and 32 = −1.5 and 1.0', () => {
  const pairs = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => [k4Scale(SCALE_BYTES, 0, j), k4Min(SCALE_BYTES, 0, j)]);
  assert.equal(pairs, [[1, 5], [2, 6], [3, 7], [4, 8], [26, 57], [12, 11], [14, 13], [0, 15]]);
  const block = new Uint8Array(144);
  block.set([0x00, 0x3c, 0x00, 0x38], 0); // d = 1.0 (fp16 3C00), dmin = 0.5 (fp16 3800), little-endian
  block.set(SCALE_BYTES, 4);
  block[16] = 0x21; // element 0 = low nibble 1 (sub-block 0), element 32 = high nibble 2 (sub-block 1)
  const y = dequantize('Q4_K', block);
  assert.is(y[0], -1.5); // 1·1·1 − 0.5·5
  assert.is(y[32], 1.0); // 1·2·2 − 0.5·6
  assert.is(y[1], -2.5); // code 0 in sub-block 0: 0 − 0.5·5
  assert.is(y[255], -7.5); // code 0 in sub-block 7: 0 − 0.5·15
});

test('Q3_K scale unpack anchor: the same 12 bytes → 16 signed scales; through the dequantizer too', () => {
  // s_j = (low nibble of byte j, or high nibble of byte j−8) | (bits 2(j/4)..+1 of byte 8 + j%4) << 4, − 32.
  const want = [1, -30, 3, -28, 5, 22, 23, -24, -12, 16, -16, 16, 12, 0, 16, 16];
  assert.equal(Array.from({ length: 16 }, (_, j) => q3Scale(SCALE_BYTES, 0, j)), want);
  const block = new Uint8Array(110);
  block.fill(0xff, 0, 32); // every high bit set: q = low2 (no −4)
  block.fill(0x55, 32, 96); // every low2 = 1 → q = 1, y = d·s
  block.set(SCALE_BYTES, 96);
  block.set([0x00, 0x3c], 108); // d = 1.0
  const y = dequantize('Q3_K', block);
  assert.equal(Array.from({ length: 16 }, (_, j) => y[16 * j]), want);
  assert.equal(Array.from({ length: 16 }, (_, j) => y[16 * j + 15]), want);
});

test('IQ4_XS scale anchor: scales_h 0xA5F0, scales_l 21 43 65 87 → ls − 32; index 8 = codebook 1', () => {
  const block = new Uint8Array(136);
  block.set([0x00, 0x3c, 0xf0, 0xa5, 0x21, 0x43, 0x65, 0x87], 0); // d = 1.0, scales_h LE, scales_l
  const want = [-31, -30, 19, 20, -11, -10, 7, 8];
  assert.equal(Array.from({ length: 8 }, (_, ib) => iq4xsScale(block, 0, ib)), want);
  block.fill(0x88, 8); // both nibbles index 8 → kvalue 1
  const y = dequantize('IQ4_XS', block);
  assert.equal(Array.from({ length: 8 }, (_, ib) => y[32 * ib]), want);
  assert.equal(Array.from({ length: 8 }, (_, ib) => y[32 * ib + 31]), want);
});

test('TQ1_0 trit anchors: 205 → 2 1 0 1 2, 0 → all 0, 255 → all 2', () => {
  // 205·243/256 = 194.6 → trits of 194 = 2·81 + 1·27 + 0·9 + 1·3 + 2 (the encoder's ceil(194·256/243) = 205).
  assert.equal([0, 1, 2, 3, 4].map((n) => tq1Trit(205, n)), [2, 1, 0, 1, 2]);
  assert.equal([0, 1, 2, 3, 4].map((n) => tq1Trit(0, n)), [0, 0, 0, 0, 0]);
  assert.equal([0, 1, 2, 3, 4].map((n) => tq1Trit(255, n)), [2, 2, 2, 2, 2]);
  const block = new Uint8Array(54);
  block[0] = 205; // elements 0, 32, 64, 96, 128
  block.set([0x00, 0x3c], 52);
  const y = dequantize('TQ1_0', block);
  assert.equal([0, 32, 64, 96, 128].map((e) => y[e]), [1, 0, -1, 0, 1]);
});

test('TQ1_0: all 256 byte values decode like the base-3 digits of byte/256; the 243 encodings round-trip', () => {
  const seen = new Set<number>();
  for (let v = 0; v < 243; v++) {
    const byte = Math.ceil((v * 256) / 243);
    const digits = [81, 27, 9, 3, 1].map((p) => Math.floor(v / p) % 3);
    assert.equal([0, 1, 2, 3, 4].map((n) => tq1Trit(byte, n)), digits, `v=${v}`);
    seen.add(byte);
  }
  assert.is(seen.size, 243);
  for (let byte = 0; byte < 256; byte++) {
    for (let n = 0; n < 5; n++) assert.is(tq1Trit(byte, n), Math.floor((byte * 3 ** (n + 1)) / 256) % 3);
  }
});

test('Q4_K / Q5_K scale bits: one set bit among the 96 changes exactly one (sc, m) field, each field bit once', () => {
  const hits = new Set<string>();
  for (let p = 0; p < 96; p++) {
    const b = new Uint8Array(12);
    b[p >> 3] = 1 << (p & 7);
    const changed: string[] = [];
    for (let j = 0; j < 8; j++) {
      for (const [name, v] of [['sc', k4Scale(b, 0, j)], ['m', k4Min(b, 0, j)]] as const) {
        assert.is(v, k4Field(b, 0, j, name), `bit ${p}, ${name}${j}: table reference`);
        if (v !== 0) changed.push(`${name}${j}:${Math.log2(v)}`);
      }
    }
    assert.is(changed.length, 1, `bit ${p} changed ${changed.join(', ') || 'nothing'}`);
    hits.add(changed[0]);
  }
  assert.is(hits.size, 96); // 16 fields × 6 bits, each reached from exactly one position
});

test('Q3_K scale bits: one set bit among the 96 changes exactly one of the 16 scales, each scale bit once', () => {
  const hits = new Set<string>();
  for (let p = 0; p < 96; p++) {
    const b = new Uint8Array(12);
    b[p >> 3] = 1 << (p & 7);
    const scales = Array.from({ length: 16 }, (_, j) => q3Scale(b, 0, j));
    assert.equal(scales, q3Scales(b, 0), `bit ${p}: ggml's word-mask unpack`);
    const changed = scales.flatMap((s, j) => (s !== -32 ? [`s${j}:${Math.log2(s + 32)}`] : []));
    assert.is(changed.length, 1, `bit ${p} changed ${changed.join(', ') || 'nothing'}`);
    hits.add(changed[0]);
  }
  assert.is(hits.size, 96);
});

test('scale packers invert the unpackers for every value 0..63 in every field', () => {
  for (let j = 0; j < 16; j++) {
    for (let v = 0; v < 64; v++) {
      const biased = new Uint8Array(16).fill(63 - v);
      biased[j] = v;
      const b = new Uint8Array(12);
      packQ3(b, 0, biased);
      assert.equal(Array.from({ length: 16 }, (_, i) => q3Scale(b, 0, i) + 32), Array.from(biased));
      if (j < 8) {
        const sc = new Uint8Array(8).fill(v);
        const m = new Uint8Array(8).fill(63 - v);
        sc[j] = (v * 7) & 63;
        const k = new Uint8Array(12);
        packK4(k, 0, sc, m);
        assert.equal([0, 1, 2, 3, 4, 5, 6, 7].map((i) => [k4Scale(k, 0, i), k4Min(k, 0, i)]), Array.from(sc, (s, i) => [s, m[i]]));
      }
    }
  }
});

/** A block with random bytes but finite scale fields: d negative (so zero codes give −0.0), dmin positive. */
function baseBlock(type: string, seed: number): Uint8Array {
  const block = Uint8Array.from(randomFloats(ggufCodec(type).info.blockBytes, seed), (v) => Math.floor((v + 1) * 128));
  const setHalf = (o: number, h: number) => block.set([h & 0xff, h >> 8], o);
  const d = 0xb4cd; // fp16 −0.300048828125
  const dmin = 0x2e66; // fp16 0.0999755859375
  if (type === 'Q2_K') (setHalf(80, d), setHalf(82, dmin));
  if (type === 'Q3_K') setHalf(108, d);
  if (type === 'Q4_K' || type === 'Q5_K') (setHalf(0, d), setHalf(2, dmin));
  if (type === 'Q6_K') setHalf(208, d);
  if (type === 'Q8_K') block.set([0x00, 0x00, 0x80, 0xbe], 0); // float32 −0.25
  if (type === 'IQ4_XS') setHalf(0, d);
  if (type === 'TQ1_0') setHalf(52, d);
  if (type === 'TQ2_0') setHalf(64, d);
  return block;
}

for (const type of TYPES) {
  test(`${type}: every byte value at every byte position dequantizes like the element-wise reference`, () => {
    const block = baseBlock(type, 7 + type.length);
    const size = block.length;
    const y = new Float32Array(256);
    const codec = ggufCodec(type);
    for (let p = 0; p < size; p++) {
      const keep = block[p];
      for (let v = 0; v < 256; v++) {
        block[p] = v;
        codec.dequantize(block, 0, y, 0, 1);
        const at = firstDifference(y, referenceBlock(type, block, 0));
        if (at >= 0) assert.unreachable(`byte ${p} = ${v}: element ${at} is ${y[at]}, reference ${referenceBlock(type, block, 0)[at]}`);
      }
      block[p] = keep;
    }
  });
}

test('random blocks (any bit pattern, NaN and ±inf scales included), several per call at offsets: bit-exact', () => {
  for (const type of TYPES) {
    const bytes = ggufCodec(type).info.blockBytes;
    const blocks = 40;
    const src = Uint8Array.from(randomFloats(3 + blocks * bytes, 99), (v) => Math.floor((v + 1) * 128));
    const y = new Float32Array(5 + blocks * 256).fill(42);
    ggufCodec(type).dequantize(src, 3, y, 5, blocks);
    assert.equal(Array.from(y.subarray(0, 5)), [42, 42, 42, 42, 42], `${type}: wrote before its offset`);
    for (let b = 0; b < blocks; b++) {
      const at = firstDifference(y.subarray(5 + 256 * b, 5 + 256 * (b + 1)), referenceBlock(type, src, 3 + b * bytes));
      assert.is(at, -1, `${type} block ${b} element ${at}`);
    }
  }
});

test('−0.0 where ggml makes it: zero codes times a negative scale', () => {
  // Q6_K: d = −1 (fp16 BC00), every scale 1, every 6-bit code 32 (ql = 0, qh = 0b10 in each pair) → q = 0.
  const q6 = new Uint8Array(210);
  q6.fill(0xaa, 128, 192);
  q6.fill(1, 192, 208);
  q6.set([0x00, 0xbc], 208);
  assert.ok(dequantize('Q6_K', q6).every((v) => Object.is(v, -0)));
  // Q4_K: d = −1, dmin = 0, every sc = 1 and m = 0, every code 0 → (−1·1)·0 − 0 = −0 − 0 = −0.
  const q4 = new Uint8Array(144);
  q4.set([0x00, 0xbc, 0x00, 0x00, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1], 0);
  assert.ok(dequantize('Q4_K', q4).every((v) => Object.is(v, -0)));
  // Same with d = +1: +0 (the sign comes from the product, not from a subtraction x − x).
  q4[1] = 0x3c;
  assert.ok(dequantize('Q4_K', q4).every((v) => Object.is(v, 0)));
  // TQ2_0: code 1 (0b01 everywhere) with d = −2 → (1 − 1)·(−2) = −0.
  const tq2 = new Uint8Array(66).fill(0x55);
  tq2.set([0x00, 0xc0], 64);
  assert.ok(dequantize('TQ2_0', tq2).every((v) => Object.is(v, -0)));
});

test.run();
