import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bf16ToFloatBits, bitsToFloat, floatBitsToBf16, floatBitsToHalf, floatToBits, halfToFloat, halfToFloatBits } from '../src/formats/half.js';

/** The value of half bits from the IEEE definition, in float64. */
function halfValue(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0x1f) return f ? NaN : s * Infinity;
  return e === 0 ? s * f * 2 ** -24 : s * (1 + f / 1024) * 2 ** (e - 15);
}

test('half → float: every one of the 65536 patterns has its IEEE value; NaN payloads kept', () => {
  for (let h = 0; h < 0x10000; h++) {
    const want = halfValue(h);
    const bits = halfToFloatBits(h);
    if (Number.isNaN(want)) {
      assert.is(bits, (((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13)) >>> 0, `h=${h.toString(16)}`);
    } else {
      assert.ok(Object.is(halfToFloat(h), want), `h=${h.toString(16)}: ${halfToFloat(h)} vs ${want}`);
    }
  }
});

test('float → half: exact halves round-trip, midpoints go to the even neighbour, just above goes up', () => {
  for (let h = 0; h < 0x7c00; h++) {
    for (const sign of [0, 0x8000]) {
      const bits = halfToFloatBits(h | sign);
      assert.is(floatBitsToHalf(bits), h | sign);
      if (h === 0x7bff) continue;
      const mid = (halfValue(h) + halfValue(h + 1)) / 2; // exact in float32 (13 spare mantissa bits)
      const midBits = floatToBits(sign ? -mid : mid);
      assert.is(bitsToFloat(midBits), sign ? -mid : mid);
      assert.is(floatBitsToHalf(midBits), (h & 1 ? h + 1 : h) | sign, `midpoint above ${h.toString(16)}`);
      assert.is(floatBitsToHalf(midBits + 1), (h + 1) | sign, `just above midpoint ${h.toString(16)}`);
      assert.is(floatBitsToHalf(midBits - 1), h | sign, `just below midpoint ${h.toString(16)}`);
    }
  }
});

test('float → half: overflow, infinities, NaN and float32 subnormals', () => {
  assert.is(floatBitsToHalf(floatToBits(65504)), 0x7bff);
  assert.is(floatBitsToHalf(floatToBits(65519.99)), 0x7bff);
  assert.is(floatBitsToHalf(floatToBits(65520)), 0x7c00); // the midpoint to 2^16 rounds to even = inf
  assert.is(floatBitsToHalf(floatToBits(-1e9)), 0xfc00);
  assert.is(floatBitsToHalf(0x7f800000), 0x7c00);
  assert.is(floatBitsToHalf(0xff800000), 0xfc00);
  assert.is(floatBitsToHalf(0x7fc00001), 0x7e00);
  assert.is(floatBitsToHalf(0xffc00000), 0x7e00);
  assert.is(floatBitsToHalf(0x00000001), 0); // float32 subnormal underflows to +0
  assert.is(floatBitsToHalf(0x80000001), 0x8000);
  assert.is(floatBitsToHalf(floatToBits(2 ** -25)), 0); // half of the smallest subnormal: ties to even 0
  assert.is(floatBitsToHalf(floatToBits(2 ** -25 * 1.0000001)), 1);
  assert.is(floatBitsToHalf(floatToBits(3 * 2 ** -25)), 2); // 1.5 units: ties to even 2
});

test('bf16: ggml rounding (nearest even), NaN quieted, widening exact', () => {
  assert.is(floatBitsToBf16(0x3f808000), 0x3f80); // tie, even stays
  assert.is(floatBitsToBf16(0x3f818000), 0x3f82); // tie, odd rounds up
  assert.is(floatBitsToBf16(0x3f808001), 0x3f81);
  assert.is(floatBitsToBf16(0x7f7fffff), 0x7f80); // rounds to +inf
  assert.is(floatBitsToBf16(0x7f800001), 0x7fc0); // signalling NaN gets the quiet bit
  assert.is(floatBitsToBf16(0xff800000), 0xff80);
  for (let b = 0; b < 0x10000; b += 7) {
    const bits = bf16ToFloatBits(b);
    assert.is(bits, (b * 65536) >>> 0);
    if ((bits & 0x7fffffff) <= 0x7f800000) assert.is(floatBitsToBf16(bits), b);
  }
});

test.run();
