// A checkpoint-shaped safetensors file with a GPTQ, an AWQ and two bitsandbytes layers under the
// exact key names of lowbit.md §2 (…qweight, …qzeros, …scales, …g_idx; …weight, …weight.absmax,
// …weight.quant_map, …weight.nested_absmax, …weight.nested_quant_map,
// …weight.quant_state.bitsandbytes__nf4/__fp4), written with writeSafetensors, read back with
// readSafetensors and imported by module prefix; the exports written again give the same file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { exportAwq, exportBnb4, exportGptq, readAwqLayer, readBnb4Layer, readGptqLayer, readSafetensors, writeSafetensors, FP4_CODEBOOK, NF4_CODEBOOK, type SafetensorsTensorInput } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { awqReference, bnb4Reference, gptqReference } from './reference/hf-quant.js';

const test = suite('HF quantized layers in safetensors');

/** xorshift32, fixed seed: deterministic test data. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}
const next = rng(20261201);
const randomWords = (n: number) => Int32Array.from({ length: n }, () => next() | 0);
/** Positive normal f16 scales in [2^-10, 2): exponents 5..15. */
const randomHalves = (n: number) => Uint16Array.from({ length: n }, () => (((5 + (next() % 11)) << 10) | (next() % 1024)) & 0x7fff);
const randomFloats = (n: number) => Float32Array.from({ length: n }, () => Math.fround((next() / 2 ** 32) * 4 - 2));
const utf8 = (s: string) => new TextEncoder().encode(s);

// GPTQ q_proj: N = 16, K = 64, 4-bit, group 32, act-order g_idx; v1 zeros.
const G_N = 16;
const G_K = 64;
const gIdx = Int32Array.from({ length: G_K }, (_, k) => ((k * 37) % G_K) % 2); // 32 inputs per group, scattered
const gptq = { qweight: randomWords((G_K / 8) * G_N), qzeros: randomWords(2 * (G_N / 8)), scales: randomHalves(2 * G_N), g_idx: gIdx };
// AWQ up_proj: N = 24, K = 32, group 16.
const A_N = 24;
const A_K = 32;
const awq = { qweight: randomWords(A_K * (A_N / 8)), qzeros: randomWords(2 * (A_N / 8)), scales: randomHalves(2 * A_N) };
// bnb down_proj: NF4 [6, 50] nested (nested block 2), block 64; gate_proj: FP4 [3, 7] plain.
const nf4State = '{"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16", "shape": [6, 50], "nested_blocksize": 2, "nested_dtype": "float32", "nested_offset": 0.0327148400247097}';
const nf4 = { weight: Uint8Array.from({ length: 150 }, () => next() & 0xff), absmax: Uint8Array.from({ length: 5 }, () => next() & 0xff), quant_map: NF4_CODEBOOK, nested_absmax: randomFloats(3), nested_quant_map: randomFloats(256), quant_state: utf8(nf4State) };
const fp4State = '{"quant_type": "fp4", "blocksize": 32, "dtype": "float16", "shape": [3, 7]}';
const fp4 = { weight: Uint8Array.from({ length: 11 }, (_, i) => (i === 10 ? next() & 0xf0 : next() & 0xff)), absmax: randomFloats(1), quant_map: FP4_CODEBOOK, quant_state: utf8(fp4State) };

const G = 'model.layers.0.self_attn.q_proj.';
const A = 'model.layers.0.mlp.up_proj.';
const D = 'model.layers.0.mlp.down_proj.';
const P = 'model.layers.0.mlp.gate_proj.';
const tensors: Record<string, SafetensorsTensorInput> = {
  [`${G}qweight`]: { dtype: 'I32', shape: [G_K / 8, G_N], data: gptq.qweight },
  [`${G}qzeros`]: { dtype: 'I32', shape: [2, G_N / 8], data: gptq.qzeros },
  [`${G}scales`]: { dtype: 'F16', shape: [2, G_N], data: gptq.scales },
  [`${G}g_idx`]: { dtype: 'I32', shape: [G_K], data: gptq.g_idx },
  [`${A}qweight`]: { dtype: 'I32', shape: [A_K, A_N / 8], data: awq.qweight },
  [`${A}qzeros`]: { dtype: 'I32', shape: [2, A_N / 8], data: awq.qzeros },
  [`${A}scales`]: { dtype: 'F16', shape: [2, A_N], data: awq.scales },
  [`${D}weight`]: { dtype: 'U8', shape: [150, 1], data: nf4.weight },
  [`${D}weight.absmax`]: { dtype: 'U8', shape: [5], data: nf4.absmax },
  [`${D}weight.quant_map`]: { dtype: 'F32', shape: [16], data: nf4.quant_map },
  [`${D}weight.nested_absmax`]: { dtype: 'F32', shape: [3], data: nf4.nested_absmax },
  [`${D}weight.nested_quant_map`]: { dtype: 'F32', shape: [256], data: nf4.nested_quant_map },
  [`${D}weight.quant_state.bitsandbytes__nf4`]: { dtype: 'U8', shape: [nf4.quant_state.length], data: nf4.quant_state },
  [`${P}weight`]: { dtype: 'U8', shape: [11, 1], data: fp4.weight },
  [`${P}weight.absmax`]: { dtype: 'F32', shape: [1], data: fp4.absmax },
  [`${P}weight.quant_map`]: { dtype: 'F32', shape: [16], data: fp4.quant_map },
  [`${P}weight.quant_state.bitsandbytes__fp4`]: { dtype: 'U8', shape: [fp4.quant_state.length], data: fp4.quant_state },
};
const file = writeSafetensors(tensors, { format: 'pt' });
const GPTQ_CONFIG = { bits: 4, group_size: 32, desc_act: true, sym: false, checkpoint_format: 'gptq' as const };
const AWQ_CONFIG = { bits: 4, group_size: 16, zero_point: true, version: 'gemm' };

function assertSameBits(actual: Float32Array, expected: Float32Array): void {
  assert.is(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) assert.unreachable(`[${i}]: ${actual[i]} ≠ ${expected[i]}`);
}

test('each layer imports by prefix and dequantizes as the element-wise reference', () => {
  const st = readSafetensors(file);
  const g = readGptqLayer(st, G, GPTQ_CONFIG);
  assert.equal(g.shape, [G_N, G_K]);
  assert.ok(g.gIdx, 'act-order g_idx kept');
  assertSameBits(g.dequantize(), gptqReference(gptq, 4, 32, G_N, G_K, false));
  const a = readAwqLayer(st, A, AWQ_CONFIG);
  assert.equal(a.shape, [A_N, A_K]);
  assertSameBits(a.dequantize(), awqReference(awq, 16, A_N, A_K));
  const d = readBnb4Layer(st, D);
  assert.is(d.quantType, 'nf4');
  assert.equal(d.shape, [6, 50]);
  assertSameBits(d.dequantize(), bnb4Reference(nf4, 300, 64, { blockSize: 2, offset: 0.0327148400247097 }));
  const p = readBnb4Layer(st, P);
  assert.is(p.quantType, 'fp4');
  assertSameBits(p.dequantize(), bnb4Reference(fp4, 21, 32));
});

test('the exports, written under the same names, reproduce the file byte for byte', () => {
  const st = readSafetensors(file);
  const prefixed = (prefix: string, record: Readonly<Record<string, SafetensorsTensorInput>>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [prefix + k, v]));
  const again = writeSafetensors(
    {
      ...prefixed(G, exportGptq(readGptqLayer(st, G, GPTQ_CONFIG), GPTQ_CONFIG) as unknown as Record<string, SafetensorsTensorInput>),
      ...prefixed(A, exportAwq(readAwqLayer(st, A, AWQ_CONFIG)) as unknown as Record<string, SafetensorsTensorInput>),
      ...prefixed(D, exportBnb4(readBnb4Layer(st, D))),
      ...prefixed(P, exportBnb4(readBnb4Layer(st, P))),
    },
    { format: 'pt' },
  );
  assert.equal(Array.from(again), Array.from(file));
});

test('missing tensors, wrong dtypes and a mislabeled quant_state are BitsieveErrors', () => {
  const without = (name: string) => readSafetensors(writeSafetensors(Object.fromEntries(Object.entries(tensors).filter(([k]) => k !== name))));
  assert.is(codeOf(() => readGptqLayer(without(`${G}qzeros`), G, GPTQ_CONFIG)), 'E_FORMAT');
  assert.is(codeOf(() => readAwqLayer(without(`${A}scales`), A, AWQ_CONFIG)), 'E_FORMAT');
  assert.is(codeOf(() => readBnb4Layer(without(`${D}weight.quant_state.bitsandbytes__nf4`), D)), 'E_FORMAT');
  assert.is(codeOf(() => readBnb4Layer(without(`${D}weight.nested_absmax`), D)), 'E_FORMAT'); // nested state without its tensor
  const retyped = readSafetensors(writeSafetensors({ ...tensors, [`${G}qweight`]: { dtype: 'U32', shape: [G_K / 8, G_N], data: new Uint32Array(gptq.qweight.buffer) } }));
  assert.is(codeOf(() => readGptqLayer(retyped, G, GPTQ_CONFIG)), 'E_DTYPE');
  const renamed = Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k.replace('bitsandbytes__fp4', 'bitsandbytes__nf4'), v]));
  assert.is(codeOf(() => readBnb4Layer(readSafetensors(writeSafetensors(renamed)), P)), 'E_FORMAT');
  // sym: true with zero points that are not all 8 → E_FORMAT (a hint that checkpoint_format is wrong).
  assert.is(codeOf(() => readGptqLayer(readSafetensors(file), G, { ...GPTQ_CONFIG, sym: true })), 'E_FORMAT');
});

test.run();
