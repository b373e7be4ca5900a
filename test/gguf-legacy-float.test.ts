// GGUF's float tensor types F32, F16, BF16 as codecs: little-endian bytes, exact bit patterns both ways (NaN
// payloads included), ggml's rounding and NaN quieting on the way in.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { halfValue } from './reference/gguf-blocks.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bitsOf = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);
const fromBits = (bits: number[]): Float32Array => new Float32Array(Uint32Array.from(bits).buffer);

function quantize(type: string, x: Float32Array): Uint8Array {
  const c = ggufCodec(type);
  const out = new Uint8Array(x.length * c.info.blockBytes);
  c.quantize!(x, 0, out, 0, x.length);
  return out;
}

function dequantize(type: string, bytes: Uint8Array): Float32Array {
  const c = ggufCodec(type);
  const out = new Float32Array(bytes.length / c.info.blockBytes);
  c.dequantize(bytes, 0, out, 0, out.length);
  return out;
}

const float = suite('GGUF float types');

float('F32: bytes are the little-endian bit patterns, both ways, signalling-NaN payloads and −0 included', () => {
  const bits = [0x3f800000, 0x80000000, 0x7fa00001, 0xffc12345, 0x00000001, 0x7f800000, 0xc0490fdb];
  const bytes = quantize('F32', fromBits(bits));
  assert.is(hex(bytes), '0000803f' + '00000080' + '0100a07f' + '4523c1ff' + '01000000' + '0000807f' + 'db0f49c0');
  assert.equal([...bitsOf(dequantize('F32', bytes))], bits);
  // Offsets: two elements from byte 4 into element 1.
  const out = new Float32Array(4);
  ggufCodec('F32').dequantize(bytes, 4, out, 1, 2);
  assert.equal([...bitsOf(out)], [0, 0x80000000, 0x7fa00001, 0]);
});

float('F16: all 65536 patterns widen to their IEEE value (NaN payload kept in place); every value narrows back', () => {
  const all = new Uint8Array(2 * 0x10000);
  for (let h = 0; h < 0x10000; h++) {
    all[2 * h] = h & 0xff;
    all[2 * h + 1] = h >> 8;
  }
  const wide = dequantize('F16', all);
  const wideBits = bitsOf(wide);
  for (let h = 0; h < 0x10000; h++) {
    const v = halfValue(h);
    if (Number.isNaN(v)) assert.is(wideBits[h], (((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13)) >>> 0);
    else assert.ok(Object.is(wide[h], v), `0x${h.toString(16)}`);
  }
  const back = quantize('F16', wide);
  for (let h = 0; h < 0x10000; h++) {
    const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    assert.is(back[2 * h] | (back[2 * h + 1] << 8), isNaN ? 0x7e00 : h, `0x${h.toString(16)}`); // ggml quiets NaN to 0x7E00
  }
  // Rounding on the way in: 65520 (the midpoint to 2^16) → inf, 1 + 2^-11 (a tie) → 1.0, 2^-25 → +0, −1e-8 → −0.
  assert.is(hex(quantize('F16', Float32Array.of(65520, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 ** -25, -1e-8))), '007c' + '003c' + '023c' + '0000' + '0080');
});

float('BF16: all 65536 patterns widen to bits << 16; narrowing rounds to nearest even and quiets NaN with 0x40', () => {
  const all = Uint8Array.from({ length: 2 * 0x10000 }, (_, i) => (i & 1 ? (i >> 1) >> 8 : (i >> 1) & 0xff));
  const wideBits = bitsOf(dequantize('BF16', all));
  for (let b = 0; b < 0x10000; b++) assert.is(wideBits[b], (b << 16) >>> 0);
  // 0x3F808000 is a tie (even stays), 0x3F818000 a tie (odd rounds up), 0x3F808001 above the tie,
  // 0x7FA00000 a signalling NaN → 0x7FA0 | 0x40, 0x7F7FFFFF (FLT_MAX) rounds to inf.
  const bits = [0x3f808000, 0x3f818000, 0x3f808001, 0x7fa00000, 0x7f7fffff, 0x80000000];
  assert.is(hex(quantize('BF16', fromBits(bits))), '803f' + '823f' + '813f' + 'e07f' + '807f' + '0080');
});

float('float types are lossless on their own values; fromDense-sized spans with offsets', () => {
  const x = Float32Array.from({ length: 64 }, (_, i) => (i - 30) / 8);
  for (const type of ['F32', 'F16', 'BF16']) {
    const c = ggufCodec(type);
    const bytes = new Uint8Array(8 + 64 * c.info.blockBytes);
    c.quantize!(x, 0, bytes, 8, 64);
    const y = new Float32Array(70);
    c.dequantize(bytes, 8, y, 3, 64);
    assert.equal([...y.subarray(3, 67)], [...x], type);
  }
});

float.run();
