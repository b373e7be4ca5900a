// The hand-derived anchors of lowbit.md §(b)3 for the HF / ONNX 4-bit layouts, as literal values:
// they pin nibble order, packing direction and the zero-point conventions of each importer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { importAwq, importBnb4, importMatMulBnb4, importGptq, importMatMulNBits, FP4_CODEBOOK, NF4_CODEBOOK } from '../src/index.js';

const test = suite('HF/ONNX import anchors');
const utf8 = (s: string) => new TextEncoder().encode(s);
const HALF_0_5 = 0x3800; // f16 0.5

test('GPTQ: qweight word 0x76543210 → k = 8r..8r+7 codes 0..7; qzeros nibble 7 (v1) → z = 8', () => {
  // K = 16 (two qweight rows), N = 8, one group; every word 0x76543210, every stored zero 7.
  const w = importGptq({ qweight: new Int32Array(16).fill(0x76543210), qzeros: Int32Array.of(0x77777777), scales: new Uint16Array(8).fill(HALF_0_5) }, { bits: 4, group_size: -1 }, [8, 16]);
  for (let n = 0; n < 8; n++) assert.equal(Array.from(w.codes.subarray(n * 16, n * 16 + 16)), [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
  assert.is(w.params(3, 0).zero, 8);
  assert.is(w.mode, 'symmetric');
  assert.equal(Array.from(w.dequantize().subarray(0, 8)), [-4, -3.5, -3, -2.5, -2, -1.5, -1, -0.5]);
  // gptq_v2 stores the true zero: nibble 7 is z = 7.
  const v2 = importGptq({ qweight: new Int32Array(16).fill(0x76543210), qzeros: Int32Array.of(0x77777777), scales: new Uint16Array(8).fill(HALF_0_5) }, { bits: 4, group_size: -1, checkpoint_format: 'gptq_v2' }, [8, 16]);
  assert.is(v2.params(0, 0).zero, 7);
  // v1 nibble 0xF: (15 + 1) & 15 = 0 (an asymmetric z = 0 stored as −1).
  const zf = importGptq({ qweight: new Int32Array(16), qzeros: Int32Array.of(-1), scales: new Uint16Array(8).fill(HALF_0_5) }, { bits: 4, group_size: -1 }, [8, 16]);
  assert.is(zf.params(5, 0).zero, 0);
});

test('GPTQ 3-bit: 32 codes in 3 words, codes 10 and 21 straddling word boundaries', () => {
  // Words from a Python transliteration of AutoGPTQ's 3-bit pack loop (values 0–9 at bits 3i, value 10
  // at bits 30–31 + bit 0 of the next word, 11–20 at 3i + 1, 21 at bit 31 + bits 0–1, 22–31 at 3i + 2)
  // run on codes (5k + 3) mod 8.
  const words = [0x43c67543, 0x7543c675, 0xc67543c6];
  const expected = Array.from({ length: 32 }, (_, k) => (5 * k + 3) % 8);
  // K = 32, N = 32 (3-bit needs both multiples of 32): every column and the qzeros row hold the same stream.
  const qweight = Int32Array.from({ length: 3 * 32 }, (_, i) => words[Math.floor(i / 32)]);
  const w = importGptq({ qweight, qzeros: Int32Array.from(words), scales: new Uint16Array(32).fill(HALF_0_5) }, { bits: 3, group_size: 32 }, [32, 32]);
  for (const n of [0, 17, 31]) assert.equal(Array.from(w.codes.subarray(n * 32, n * 32 + 32)), expected);
  for (let n = 0; n < 32; n++) assert.is(w.params(n, 0).zero, (expected[n] + 1) % 8, `zero of output ${n} (v1: stored + 1, masked)`);
});

test('AWQ: word 0x76543210 → columns 8c..8c+7 codes [0, 4, 1, 5, 2, 6, 3, 7]', () => {
  const w = importAwq({ qweight: Int32Array.of(0x76543210), qzeros: Int32Array.of(0), scales: new Uint16Array(8).fill(HALF_0_5) }, { bits: 4, group_size: 1 }, [8, 1]);
  assert.equal(Array.from(w.codes), [0, 4, 1, 5, 2, 6, 3, 7]);
  // The same interleave holds for zero points: qzeros 0x76543210 → zeros [0, 4, 1, 5, 2, 6, 3, 7].
  const z = importAwq({ qweight: Int32Array.of(0), qzeros: Int32Array.of(0x76543210), scales: new Uint16Array(8).fill(HALF_0_5) }, { bits: 4, group_size: 1 }, [8, 1]);
  assert.equal(Array.from(z.zeros!), [0, 4, 1, 5, 2, 6, 3, 7]);
});

test('bnb NF4: byte 0xF7 with absmax 2.0 → [2.0 (code 15), 0.0 (code 7)], high nibble first', () => {
  const w = importBnb4({
    weight: Uint8Array.of(0xf7),
    absmax: Float32Array.of(2),
    quant_map: NF4_CODEBOOK,
    quant_state: utf8('{"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16", "shape": [1, 2]}'),
  });
  assert.equal(Array.from(w.codes), [15, 7]);
  assert.equal(Array.from(w.dequantize()), [2, 0]);
});

test('ORT MatMulBnb4 (quant_type 1 = NF4): the same byte 0xF7, absmax 2.0 → [2.0, 0.0]', () => {
  const w = importMatMulBnb4({ B: Uint8Array.of(0xf7), absmax: Float32Array.of(2) }, { K: 2, N: 1, block_size: 16, quant_type: 1 });
  assert.equal(Array.from(w.dequantize()), [2, 0]);
  // quant_type 0 = FP4: code 15 = −3/12 (bit 3 sign, 0b111 → 3/12), code 7 = 0.25; ·2 → [−0.5, 0.5].
  const fp4 = importMatMulBnb4({ B: Uint8Array.of(0xf7), absmax: Float32Array.of(2) }, { K: 2, N: 1, block_size: 16, quant_type: 0 });
  assert.equal(Array.from(fp4.dequantize()), [-0.5, 0.5]);
});

test('bnb codebooks: NF4 ends and zero, FP4 in bit-pattern order with −0 at code 8', () => {
  assert.is(NF4_CODEBOOK[0], -1);
  assert.is(NF4_CODEBOOK[7], 0);
  assert.is(NF4_CODEBOOK[15], 1);
  assert.equal(Array.from(FP4_CODEBOOK.subarray(0, 8)), [0, Math.fround(0.0625 / 12), Math.fround(8 / 12), 1, Math.fround(4 / 12), 0.5, Math.fround(2 / 12), 0.25]);
  assert.ok(Object.is(FP4_CODEBOOK[8], -0));
  assert.is(FP4_CODEBOOK[11], -1);
});

test('MatMulNBits: byte 0xF7, zp 8, scale 0.5 → k even −0.5, k odd 3.5 (low nibble first)', () => {
  // K = 16 (the smallest block), N = 1, every byte 0xF7; no zero_points → default 8.
  const w = importMatMulNBits({ B: new Uint8Array(8).fill(0xf7), scales: Float32Array.of(0.5) }, { K: 16, N: 1, bits: 4, block_size: 16 });
  assert.equal(Array.from(w.dequantize().subarray(0, 4)), [-0.5, 3.5, -0.5, 3.5]);
  // Explicit zero point 8 in the low nibble (block 0): the same values.
  const z = importMatMulNBits({ B: new Uint8Array(8).fill(0xf7), scales: Float32Array.of(0.5), zero_points: Uint8Array.of(0x08) }, { K: 16, N: 1, bits: 4, block_size: 16 });
  assert.equal(Array.from(z.dequantize().subarray(0, 2)), [-0.5, 3.5]);
});

test('MatMulNBits: MLAS symmetric scales are negative (m / −8) and 0 for an all-zero block; both import', () => {
  const w = importMatMulNBits({ B: new Uint8Array(16).fill(0x08), scales: Float32Array.of(-0.25, -0) }, { K: 32, N: 1, bits: 4, block_size: 16 });
  assert.ok(w.signedScales);
  const d = w.dequantize();
  // Byte 0x08: k even code 8, k odd code 0.
  assert.ok(Object.is(d[0], -0)); // (8 − 8)·(−0.25) = −0
  assert.is(d[1], 2); // (0 − 8)·(−0.25)
  assert.ok(Object.is(d[17], 0)); // (0 − 8)·(−0) = +0
});

test.run();
