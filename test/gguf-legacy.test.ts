// ggml's legacy block types Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1: golden blocks from lowbit.md §(b)3 and
// more derived by hand from ggml's C (derivations in the comments), exhaustive byte and scale sweeps against
// the element-wise reference of test/reference/gguf-blocks.ts, exact round-trip identities, and
// test-quantize-fns' error thresholds.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { GgufCodec } from '../src/formats/gguf/codec.js';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { floatToHalf } from '../src/formats/half.js';
import { codeOf } from './helpers/errors.js';
import { dequantize, quantize } from './helpers/gguf.js';
import { halfValue, referenceBlock } from './reference/gguf-blocks.js';

const SEED = 20261201;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

/** Object.is per element (−0 ≠ +0, NaN = NaN). */
function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) assert.unreachable(`${what}: element ${i} is ${show(got[i])}, expected ${show(want[i])}`);
  }
}

/** x[j] = (j − 10)·0.25, the §(b)3 anchor input (exact in float32). */
const ANCHOR = Float32Array.from({ length: 32 }, (_, j) => (j - 10) * 0.25);

const golden = suite('GGUF legacy: golden blocks');

golden('Q4_0, Q8_0, Q4_1 of the §(b)3 anchor: exact bytes and dequantized values (three −0.0 in Q4_0)', () => {
  assert.is(hex(quantize('Q4_0', ANCHOR)), '40b96c5b5b5b4a4a3a393928282817170606');
  assert.is(hex(quantize('Q8_0', ANCHOR)), '4b29c4cad0d6dce2e8eef4fa00060c12181e242a30363c43494f555b61676d73797f');
  assert.is(hex(quantize('Q4_1', ANCHOR)), '223800c180809191a2a2b3b3c4c4d5d5e6e6f7f7');
  // prettier-ignore
  const q4_0 = [-2.625, -1.96875, -1.96875, -1.96875, -1.3125, -1.3125, -1.3125, -0.65625, -0.65625, -0, -0, -0,
    0.65625, 0.65625, 1.3125, 1.3125, 1.3125, 1.96875, 1.96875, 1.96875, 2.625, 2.625, 3.28125, 3.28125, 3.28125,
    3.9375, 3.9375, 3.9375, 4.59375, 4.59375, 5.25, 5.25];
  assertSame(dequantize('Q4_0', fromHex('40b9 6c5b5b5b4a4a3a393928282817170606')), q4_0, 'Q4_0');
  const q8_0 = dequantize('Q8_0', fromHex('4b29 c4cad0d6dce2e8eef4fa00060c12181e242a30363c43494f555b61676d73797f'));
  // prettier-ignore
  assertSame(q8_0.subarray(0, 8), [-2.4810791015625, -2.23297119140625, -1.98486328125, -1.73675537109375,
    -1.4886474609375, -1.24053955078125, -0.992431640625, -0.74432373046875], 'Q8_0');
  const q4_1 = dequantize('Q4_1', fromHex('2238 00c1 80809191a2a2b3b3c4c4d5d5e6e6f7f7'));
  assertSame(q4_1.subarray(0, 8), [-2.5, -2.5, -1.9833984375, -1.9833984375, -1.466796875, -1.466796875, -0.9501953125, -0.9501953125], 'Q4_1');
});

golden('Q5_0, Q5_1, Q8_1 of the §(b)3 anchor (derived by hand, see comments)', () => {
  // Q5_0: max = x[31] = 5.25, d = 5.25/−16 = −0.328125 = −21/64 → f16 0xB540; id = −64/21, so
  // q_j = trunc(16.5 − 16(j−10)/21): j = 0..31 → 24 23 22 21 21 20 19 18 18 17 16 15 14 14 13 12 | 11 11 10 9 8 8 7 6
  // 5 5 4 3 2 2 1 0 (j = 31 gives exactly 0.5 → 0, robust to id's rounding). qs[j] = q_j & 15 | (q_{j+16} & 15) << 4;
  // the 5th bits are set for q ≥ 16, i.e. j = 0..10 → qh = 0x000007FF.
  assert.is(hex(quantize('Q5_0', ANCHOR)), '40b5' + 'ff070000' + 'b8b7a695858473625251403f2e2e1d0c');
  // Q5_1: min = −2.5, max = 5.25, d = 7.75/31 = 0.25 exactly (0x3400), m = −2.5 (0xC100), id = 4, so
  // q_j = trunc(4(x_j + 2.5) + 0.5) = j: qs[j] = j | j << 4 (j & 15 = (j+16) & 15), qh = bits 16..31 = 0xFFFF0000.
  // Lossless: q·0.25 − 2.5 gives x back exactly (j = 10: 2.5 + −2.5 = +0).
  const q5_1 = quantize('Q5_1', ANCHOR);
  assert.is(hex(q5_1), '0034' + '00c1' + '0000ffff' + '00112233445566778899aabbccddeeff');
  assertSame(dequantize('Q5_1', q5_1), ANCHOR, 'Q5_1 lossless');
  // Q8_1: d and qs as Q8_0. q_j = 6(j−10) for j ≤ 20; for j = 21..31 round(k·127/21) with k = 11..21 gives
  // 67, 73, …, 127 (67 + 6i): Σq = 0 + 11·67 + 6·55 = 1067. s = f16(f32(1067·d)), d = f32(5.25/127):
  // 1067·0.041338583 = 44.10827 → f16 step 2^-5 → 1411·2^-5 = 44.09375 = 0x5183.
  const q8_1 = quantize('Q8_1', ANCHOR);
  assert.is(hex(q8_1), '4b29' + '8351' + 'c4cad0d6dce2e8eef4fa00060c12181e242a30363c43494f555b61676d73797f');
  assertSame(dequantize('Q8_1', q8_1), dequantize('Q8_0', quantize('Q8_0', ANCHOR)), 'Q8_1 = Q8_0 values');
});

golden('rounding rules of the reference quantizers (hand-derived blocks)', () => {
  // Q8_0 uses roundf (half away from zero): amax = 127 → d = 1 (0x3C00), id = 1, so codes = roundf(x).
  // 2.5 → 3, −2.5 → −3, 0.5 → 1, −0.5 → −1, 1.5 → 2, 0.49999997 → 0 (the case trunc(x + 0.5) gets wrong).
  const x = new Float32Array(32);
  x.set([127, 2.5, -2.5, 0.5, -0.5, 1.5, -1.5, 0.49999997, -126.5, 3.5]);
  assert.is(hex(quantize('Q8_0', x).subarray(0, 12)), '003c' + '7f03fd01ff02fe0081' + '04');
  // Q4_0 truncates x·id + 8.5 and clamps at 15. max = −8: the first largest magnitude (+8 at j = 7 only ties), so
  // d = −8/−8 = 1 (0x3C00), id = 1: −8 → 0.5 → 0, 7 → 15, 7.5 → 16 → 15, −0.5 → 8, 0.5 → 9 (half up), −7.5 → 1,
  // 3.25 → 11, 8 → 16 → 15; the zeros (all of j ≥ 16) → 8, so every byte has high nibble 8.
  const y = new Float32Array(32);
  y.set([-8, 7, 7.5, -0.5, 0.5, -7.5, 3.25, 8]);
  assert.is(hex(quantize('Q4_0', y)), '003c' + '808f8f8889818b8f' + '88'.repeat(8));
  // The same two magnitudes the other way round: max = +8 → d = −1 (0xBC00), id = −1: 8 → 0, −8 → 16 → 15,
  // 0·(−1) = −0 → 8.
  const z = new Float32Array(32);
  z.set([8, -8]);
  assert.is(hex(quantize('Q4_0', z)), '00bc' + '808f' + '88'.repeat(14));
  // A constant block in Q4_1: max − min = 0 → d = 0, id = 0, codes trunc(0 + 0.5) = 0, m = f16(1.5) = 0x3E00.
  const c = quantize('Q4_1', new Float32Array(32).fill(1.5));
  assert.is(hex(c), '0000' + '003e' + '00'.repeat(16));
  assertSame(dequantize('Q4_1', c), new Float32Array(32).fill(1.5), 'constant Q4_1');
});

golden('all-zero blocks: Q4_0 and Q5_0 store d = −0 and give back −0.0 everywhere, the others +0.0', () => {
  // Q4_0: max = 0 → d = 0/−8 = −0 → f16 0x8000; id = 0 (d == 0); codes trunc(0 + 8.5) = 8 → qs 0x88;
  // dequantized (8 − 8)·(−0) = −0. Q5_0 likewise with code 16: nibble 0, all 32 fifth bits set.
  const zero = new Float32Array(32);
  const q4 = quantize('Q4_0', zero);
  assert.is(hex(q4), '0080' + '88'.repeat(16));
  assertSame(dequantize('Q4_0', q4), new Float32Array(32).fill(-0), 'Q4_0');
  const q5 = quantize('Q5_0', zero);
  assert.is(hex(q5), '0080' + 'ffffffff' + '00'.repeat(16));
  assertSame(dequantize('Q5_0', q5), new Float32Array(32).fill(-0), 'Q5_0');
  // Q4_1/Q5_1: d = 0/15 = +0, m = +0, codes 0 → 0·0 + 0 = +0. Q8_0/Q8_1: d = 0/127 = +0, codes roundf(0) = 0.
  for (const type of ['Q4_1', 'Q5_1', 'Q8_0', 'Q8_1']) {
    const b = quantize(type, zero);
    assert.ok(b.every((v) => v === 0), type);
    assertSame(dequantize(type, b), zero, type);
  }
});

golden('C-undefined conversions follow x86-64 builds (cvttss2si → 0x80000000, low byte kept)', () => {
  // Q8_0 with a NaN: amax = MAX(amax, |v|) = amax > |v| ? amax : |v| takes the NaN (100, 1e10, then NaN), and
  // the next element replaces it (NaN > 1 is false), so amax = 1, d = 1/127 (f16 0x2008), id = 127.
  // 100·127 = 12700 → low byte 0x9C (−100); 1e10·127 = 1.27e12 is past int32 → 0x80000000 → 0x00 (a float32 that
  // large is a multiple of 256, so any wrapping would give 0x00 as well); roundf(NaN) → 0x80000000 → 0x00; 1 → 127.
  const x = new Float32Array(32);
  x.set([100, 1e10, NaN, 1]);
  assert.is(hex(quantize('Q8_0', x).subarray(0, 6)), '0820' + '9c00007f');
  // All NaN: MAX keeps NaN → d = NaN is stored as 0x7E00; id = 1/NaN (C's `d ? …` is true for NaN) → codes 0.
  assert.is(hex(quantize('Q8_0', new Float32Array(32).fill(NaN))), '007e' + '00'.repeat(32));
  // Q4_0 with +inf: d = inf/−8 = −inf (0xFC00), id = −0; inf·(−0) = NaN → code 0; 0·(−0) + 8.5 → 8.
  const y = new Float32Array(32);
  y[0] = Infinity;
  assert.is(hex(quantize('Q4_0', y).subarray(0, 4)), '00fc' + '8088');
});

golden.run();

const sweep = suite('GGUF legacy: dequantization sweeps against the element-wise reference');

/** Scale-field bytes (two settings: ordinary, and negative d with m = −0 so −0.0 can appear) and where the
 *  swept code bytes start. Q8_1 sweeps its s field too: dequantization must ignore it. */
const LAYOUTS: Record<string, { scales: number[][]; codesFrom: number }> = {
  Q4_0: { scales: [[0x40, 0xb9], [0x00, 0x3c]], codesFrom: 2 },
  Q4_1: { scales: [[0x22, 0x38, 0x00, 0xc1], [0x22, 0xb8, 0x00, 0x80]], codesFrom: 4 },
  Q5_0: { scales: [[0x40, 0xb5], [0x00, 0x3c]], codesFrom: 2 },
  Q5_1: { scales: [[0x00, 0x34, 0x00, 0xc1], [0x00, 0xb4, 0x00, 0x80]], codesFrom: 4 },
  Q8_0: { scales: [[0x4b, 0x29], [0x4b, 0xa9]], codesFrom: 2 },
  Q8_1: { scales: [[0x4b, 0x29], [0x4b, 0xa9]], codesFrom: 2 },
};

for (const [type, { scales, codesFrom }] of Object.entries(LAYOUTS)) {
  sweep(`${type}: every byte value in every code position, two scale settings`, () => {
    const c: GgufCodec = ggufCodec(type);
    const block = new Uint8Array(c.info.blockBytes);
    const out = new Float32Array(32);
    for (const scale of scales) {
      for (let p = codesFrom; p < block.length; p++) {
        for (let i = codesFrom; i < block.length; i++) block[i] = (i * 73 + 41) & 0xff; // fixed background
        block.set(scale);
        for (let v = 0; v < 256; v++) {
          block[p] = v;
          c.dequantize(block, 0, out, 0, 1);
          assertSame(out, referenceBlock(type, block), `${type} byte ${p} = ${v}`);
        }
      }
    }
  });
}

sweep('Q4_0 and Q8_0: all 65536 fp16 patterns of d (subnormals, ±0, ±inf, NaN) against the reference', () => {
  for (const [type, codes] of [
    ['Q4_0', Array.from({ length: 16 }, (_, j) => j | ((15 - j) << 4))], // every nibble in both halves
    ['Q8_0', Array.from({ length: 32 }, (_, j) => [0x00, 0x01, 0x7f, 0x80, 0xff][j] ?? (j * 37) & 0xff)], // 0, 1, 127, −128, −1, …
  ] as const) {
    const c = ggufCodec(type);
    const block = new Uint8Array(c.info.blockBytes);
    block.set(codes, 2);
    const out = new Float32Array(32);
    for (let h = 0; h < 0x10000; h++) {
      block[0] = h & 0xff;
      block[1] = h >> 8;
      c.dequantize(block, 0, out, 0, 1);
      assertSame(out, referenceBlock(type, block), `${type} d = 0x${h.toString(16)}`);
      const d = halfValue(h);
      if (Number.isNaN(d)) assert.ok(out.every(Number.isNaN), `${type}: a NaN d gives NaN everywhere`);
    }
  }
  // Explicit IEEE cases: code 8 is 0 in Q4_0, so 0·inf = NaN; 0·(−0) = −0; a negative code times +0 = −0.
  const inf = dequantize('Q4_0', fromHex('007c' + '08'.repeat(16)));
  assertSame(inf.subarray(0, 2), [NaN, NaN], 'Q4_0 zero code × inf');
  assertSame(inf.subarray(16, 18), [-Infinity, -Infinity], 'Q4_0 code 0 × inf');
  assertSame(dequantize('Q4_0', fromHex('0080' + '1f'.repeat(16))).subarray(15, 17), [-0, 0], 'Q4_0 ±code × −0');
  assertSame(dequantize('Q8_0', fromHex('0000' + 'ff'.repeat(32))).subarray(0, 1), [-0], 'Q8_0 −1 × +0');
});

sweep.run();

const roundTrip = suite('GGUF legacy: quantizer identities and error thresholds');

/** Any finite non-zero fp16 pattern (sign optional), as bytes. */
const halfScale = (signed: boolean) =>
  fc.integer({ min: 1, max: 0x7bff }).chain((h) => (signed ? fc.constantFrom(h, h | 0x8000) : fc.constant(h)));

roundTrip('fast-check: quantize ∘ dequantize is the identity on blocks the quantizer can produce', () => {
  // Q4_0 / Q5_0: with some code 0 the largest magnitude is zero·|d| at that element, so the requantized
  // d = (−zero·d)/−zero = d exactly and every (q − zero)·d·(1/d) lands within 1e-6 of q − zero: same codes.
  // Q8_0 / Q8_1: with some |code| = 127 and d > 0, amax/127 = d exactly; s must be f16(f32(Σq·d)).
  const codes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 32, maxLength: 32 });
  fc.assert(
    fc.property(halfScale(true), halfScale(false), codes, fc.integer({ min: 0, max: 31 }), fc.boolean(), (hs, hu, raw, at, neg) => {
      for (const [type, zero] of [['Q4_0', 8], ['Q5_0', 16]] as const) {
        const q = raw.map((v) => v % (2 * zero));
        q[at] = 0;
        const b = new Uint8Array(ggufCodec(type).info.blockBytes);
        b[0] = hs & 0xff;
        b[1] = hs >> 8;
        const qs = type === 'Q4_0' ? 2 : 6;
        let qh = 0;
        for (let j = 0; j < 16; j++) b[qs + j] = (q[j] & 15) | ((q[j + 16] & 15) << 4);
        for (let j = 0; j < 32; j++) qh += (q[j] >> 4) * 2 ** j;
        if (type === 'Q5_0') new DataView(b.buffer).setUint32(2, qh, true);
        assert.is(hex(quantize(type, dequantize(type, b))), hex(b), type);
      }
      const q8 = raw.map((v) => (v % 255) - 127); // −127..127
      q8[at] = neg ? -127 : 127;
      const d = halfValue(hu);
      const b0 = new Uint8Array(34);
      b0.set([hu & 0xff, hu >> 8]);
      b0.set(q8.map((v) => v & 0xff), 2);
      assert.is(hex(quantize('Q8_0', dequantize('Q8_0', b0))), hex(b0), 'Q8_0');
      const b1 = new Uint8Array(36);
      const s = new Float32Array([q8.reduce((a, v) => a + v, 0) * d])[0];
      const sh = floatToHalf(s);
      b1.set([hu & 0xff, hu >> 8, sh & 0xff, sh >> 8]);
      b1.set(q8.map((v) => v & 0xff), 4);
      assert.is(hex(quantize('Q8_1', dequantize('Q8_1', b1))), hex(b1), 'Q8_1');
      return true;
    }),
    { seed: SEED, numRuns: 400 },
  );
});

/** test-quantize-fns' data 0.1 + 2·cos(i + offset), rounded to a multiple of 2^-16 so it is exact everywhere. */
function cosData(n: number, offset: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.round((0.1 + 2 * Math.cos(i + offset)) * 2 ** 16) / 2 ** 16);
}

/** test-quantize-fns' error measure: sqrt(Σ(a − b)²) / n. */
function rmseOverN(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s) / a.length;
}

roundTrip('round-trip error on test-quantize-fns data is under its threshold (0.002 for 4–8-bit types)', () => {
  for (const offset of [0, 0.5, 3]) {
    const x = cosData(32 * 128, offset);
    let prev = Infinity;
    for (const type of ['Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'Q8_1']) {
      const err = rmseOverN(x, dequantize(type, quantize(type, x)));
      assert.ok(err > 0 && err < 0.002, `${type} offset ${offset}: ${err}`);
      if (type.endsWith('_0')) assert.ok(err < prev, `${type}: more bits, less error`);
      if (type.endsWith('_0')) prev = err;
    }
  }
});

roundTrip('bad arguments → BitsieveError, checked before any byte is read or written', () => {
  const c = ggufCodec('Q4_0');
  const bytes = new Uint8Array(36);
  const out = new Float32Array(64);
  assert.is(codeOf(() => c.dequantize(bytes, 0, out, 0, 2)), 'no error');
  assert.is(codeOf(() => c.dequantize(bytes, 1, out, 0, 2)), 'E_RANGE'); // 37 bytes needed
  assert.is(codeOf(() => c.dequantize(bytes, 0, out, 1, 2)), 'E_RANGE'); // 65 floats needed
  assert.is(codeOf(() => c.dequantize(bytes, 0, out, 0, 3)), 'E_RANGE');
  assert.is(codeOf(() => c.dequantize(bytes, -1, out, 0, 1)), 'E_RANGE');
  assert.is(codeOf(() => c.dequantize(bytes, 0.5, out, 0, 1)), 'E_RANGE');
  assert.is(codeOf(() => c.dequantize(bytes, 0, out, 0, -1)), 'E_RANGE');
  assert.is(codeOf(() => c.dequantize(bytes, 0, out, 0, NaN)), 'E_RANGE');
  assert.is(codeOf(() => c.dequantize(out as never, 0, out, 0, 1)), 'E_DTYPE');
  assert.is(codeOf(() => c.dequantize(bytes, 0, new Float64Array(32) as never, 0, 1)), 'E_DTYPE');
  assert.is(codeOf(() => c.quantize!(out, 33, bytes, 0, 1)), 'E_RANGE');
  assert.is(codeOf(() => c.quantize!(out, 0, bytes, 19, 1)), 'E_RANGE');
  assert.is(codeOf(() => c.quantize!(bytes as never, 0, bytes, 0, 1)), 'E_DTYPE');
  const untouched = out.slice();
  codeOf(() => c.dequantize(bytes.fill(0x11), 0, out, 1, 2));
  assertSame(out, untouched, 'nothing written on error');
});

roundTrip.run();
