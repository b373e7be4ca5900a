// Bad input to the HF / ONNX importers (fast-check, fixed seed): one targeted defect applied to a
// valid tensor set must give its specific BitsieveError code, and arbitrary junk (random array
// types, lengths and config values) must give a BitsieveError or a valid import, never another
// exception.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { exportAwq, exportGptq, exportMatMulBnb4, exportMatMulNBits, importMatMulBnb4, importAwq, importBnb4, importGptq, importMatMulNBits, NF4_CODEBOOK, QuantizedWeights } from '../src/index.js';
import { codeOf } from './helpers/errors.js';

const test = suite('HF/ONNX import errors');
const SEED = 20261201;
const utf8 = (s: string) => new TextEncoder().encode(s);

// Valid bases: GPTQ 4-bit N = 8, K = 16, group 8; AWQ N = 8, K = 4, group 2; ORT N = 2, K = 32, block 16; bnb NF4 [3, 5].
const gptqBase = () => ({ t: { qweight: new Int32Array(16).fill(0x12345678), qzeros: Int32Array.of(0x77777777, 0x77777777), scales: new Uint16Array(16).fill(0x3c00), g_idx: Int32Array.from({ length: 16 }, (_, k) => k >> 3) as Int32Array | undefined }, config: { bits: 4 as unknown, group_size: 8 as unknown, checkpoint_format: 'gptq' as unknown, sym: undefined as unknown }, shape: [8, 16] as unknown });
const awqBase = () => ({ t: { qweight: new Int32Array(4), qzeros: new Int32Array(2), scales: new Uint16Array(16).fill(0x3c00) }, config: { bits: 4 as unknown, group_size: 2 as unknown, version: 'gemm' as unknown }, shape: [8, 4] as unknown });
const ortBase = () => ({ t: { B: new Uint8Array(32), scales: new Float32Array(4).fill(0.5) as Float32Array | Uint16Array, zero_points: new Uint8Array(2) as Uint8Array | undefined }, attrs: { K: 32 as unknown, N: 2 as unknown, bits: 4 as unknown, block_size: 16 as unknown } });
const bnbState = (o: Record<string, unknown>) => utf8(JSON.stringify({ quant_type: 'nf4', blocksize: 64, dtype: 'float16', shape: [3, 5], ...o }));
const bnbBase = () => ({ weight: new Uint8Array(8), absmax: Float32Array.of(1) as Float32Array | Uint8Array, quant_map: NF4_CODEBOOK, quant_state: bnbState({}) });

type Defect = { name: string; code: string; run: (pick: number) => unknown };
const callGptq = (b: ReturnType<typeof gptqBase>) => importGptq(b.t as never, b.config as never, b.shape as never);
const callAwq = (b: ReturnType<typeof awqBase>) => importAwq(b.t as never, b.config as never, b.shape as never);
const callOrt = (b: ReturnType<typeof ortBase>) => importMatMulNBits(b.t as never, b.attrs as never);
const withGptq = (edit: (b: ReturnType<typeof gptqBase>, pick: number) => void) => (pick: number) => {
  const b = gptqBase();
  edit(b, pick);
  return callGptq(b);
};
const withAwq = (edit: (b: ReturnType<typeof awqBase>, pick: number) => void) => (pick: number) => {
  const b = awqBase();
  edit(b, pick);
  return callAwq(b);
};
const withOrt = (edit: (b: ReturnType<typeof ortBase>, pick: number) => void) => (pick: number) => {
  const b = ortBase();
  edit(b, pick);
  return callOrt(b);
};
const withBnb = (edit: (b: ReturnType<typeof bnbBase>, pick: number) => void) => (pick: number) => {
  const b = bnbBase();
  edit(b, pick);
  return importBnb4(b as never);
};

const DEFECTS: Defect[] = [
  { name: 'gptq bits 1/5/6/7/16', code: 'E_UNSUPPORTED', run: withGptq((b, p) => (b.config.bits = [1, 5, 6, 7, 16][p % 5])) },
  { name: 'gptq bits non-integer', code: 'E_DTYPE', run: withGptq((b, p) => (b.config.bits = [4.5, '4', null][p % 3])) },
  { name: 'gptq group_size 0/−2/1.5', code: 'E_RANGE', run: withGptq((b, p) => (b.config.group_size = [0, -2, 1.5][p % 3])) },
  { name: 'gptq group_size not dividing in', code: 'E_UNSUPPORTED', run: withGptq((b, p) => (b.config.group_size = [3, 5, 7, 32][p % 4])) },
  { name: 'gptq checkpoint_format', code: 'E_UNSUPPORTED', run: withGptq((b) => (b.config.checkpoint_format = 'gptq_v3')) },
  { name: 'gptq qweight length', code: 'E_SHAPE', run: withGptq((b, p) => (b.t.qweight = new Int32Array(16 + ((p % 7) - 3 || 1)))) },
  { name: 'gptq qweight type', code: 'E_DTYPE', run: withGptq((b) => (b.t.qweight = new Uint32Array(16) as never)) },
  { name: 'gptq qzeros length', code: 'E_SHAPE', run: withGptq((b, p) => (b.t.qzeros = new Int32Array(p % 2 ? 1 : 3))) },
  { name: 'gptq scales inf/NaN', code: 'E_RANGE', run: withGptq((b, p) => (b.t.scales[p % 16] = [0x7c00, 0xfc00, 0x7e00][p % 3])) },
  { name: 'gptq scales type', code: 'E_DTYPE', run: withGptq((b) => (b.t.scales = new Float64Array(16) as never)) },
  { name: 'gptq g_idx group out of range', code: 'E_FORMAT', run: withGptq((b, p) => (b.t.g_idx![p % 16] = p % 2 ? 2 + (p % 9) : -1 - (p % 9))) },
  { name: 'gptq g_idx unequal groups', code: 'E_FORMAT', run: withGptq((b, p) => (b.t.g_idx![p % 8] = 1)) },
  { name: 'gptq g_idx length', code: 'E_SHAPE', run: withGptq((b) => (b.t.g_idx = new Int32Array(15))) },
  { name: 'gptq shape', code: 'E_SHAPE', run: withGptq((b, p) => (b.shape = [[9, 16], [8, 12], [0, 16], [8], 'x', [8, -16]][p % 6])) },
  { name: 'gptq sym with asymmetric zeros', code: 'E_FORMAT', run: withGptq((b, p) => ((b.config.sym = true), (b.t.qzeros[p % 2] = 0x77777776))) },
  { name: 'gptq tensors null', code: 'E_DTYPE', run: withGptq((b) => (b.t = null as never)) },
  { name: 'awq bits 8', code: 'E_UNSUPPORTED', run: withAwq((b) => (b.config.bits = 8)) },
  { name: 'awq version gemv', code: 'E_UNSUPPORTED', run: withAwq((b) => (b.config.version = 'GEMV')) },
  { name: 'awq out not a multiple of 8', code: 'E_SHAPE', run: withAwq((b) => (b.shape = [12, 4])) },
  { name: 'awq qzeros length', code: 'E_SHAPE', run: withAwq((b) => (b.t.qzeros = new Int32Array(3))) },
  { name: 'ort block_size', code: 'E_RANGE', run: withOrt((b, p) => (b.attrs.block_size = [8, 24, 512, 0, 16.5][p % 5])) },
  { name: 'ort K not a multiple of block_size', code: 'E_UNSUPPORTED', run: withOrt((b) => ((b.attrs.K = 40), (b.t.B = new Uint8Array(40)))) },
  { name: 'ort bits 2/3', code: 'E_UNSUPPORTED', run: withOrt((b, p) => (b.attrs.bits = 2 + (p % 2))) },
  { name: 'ort B length', code: 'E_SHAPE', run: withOrt((b, p) => (b.t.B = new Uint8Array(p % 2 ? 31 : 64))) },
  { name: 'ort zero-point padding nibble', code: 'E_FORMAT', run: withOrt((b, p) => ((b.attrs.K = 48), (b.t.B = new Uint8Array(48)), (b.t.scales = new Float32Array(6).fill(1)), (b.t.zero_points = Uint8Array.of(0, 0, 0, 0x10 * (1 + (p % 15)))))) },
  { name: 'ort scales NaN', code: 'E_RANGE', run: withOrt((b, p) => (b.t.scales[p % 4] = NaN)) },
  { name: 'ort f32 scale beyond 2^119', code: 'E_FORMAT', run: withOrt((b, p) => (b.t.scales[p % 4] = (p % 2 ? -1 : 1) * 2 ** 120)) },
  { name: 'ort K non-integer', code: 'E_SHAPE', run: withOrt((b) => (b.attrs.K = '32')) },
  { name: 'bnb quant_state not JSON', code: 'E_FORMAT', run: withBnb((b) => (b.quant_state = utf8('{quant_type: nf4'))) },
  { name: 'bnb quant_state not UTF-8', code: 'E_CORRUPT', run: withBnb((b) => (b.quant_state = Uint8Array.of(0x7b, 0xff))) },
  { name: 'bnb quant_type', code: 'E_UNSUPPORTED', run: withBnb((b) => (b.quant_state = bnbState({ quant_type: 'int4' }))) },
  { name: 'bnb blocksize', code: 'E_RANGE', run: withBnb((b, p) => (b.quant_state = bnbState({ blocksize: [48, 16, 8192, '64'][p % 4] }))) },
  { name: 'bnb shape vs weight', code: 'E_SHAPE', run: withBnb((b, p) => (b.quant_state = bnbState({ shape: [[3, 6], [20], [0, 5], []][p % 4] }))) },
  { name: 'bnb odd padding nibble', code: 'E_FORMAT', run: withBnb((b, p) => (b.weight[7] = 1 + (p % 15))) },
  { name: 'bnb absmax NaN', code: 'E_RANGE', run: withBnb((b) => (b.absmax = Float32Array.of(NaN))) },
  { name: 'bnb nested state without tensors', code: 'E_FORMAT', run: withBnb((b) => ((b.quant_state = bnbState({ nested_blocksize: 256, nested_offset: 0.1 })), (b.absmax = Uint8Array.of(0)))) },
];

test('every targeted defect gives its error code', () => {
  // The bases themselves are valid.
  assert.is(codeOf(() => callGptq(gptqBase())), 'no error');
  assert.is(codeOf(() => callAwq(awqBase())), 'no error');
  assert.is(codeOf(() => callOrt(ortBase())), 'no error');
  assert.is(codeOf(() => importBnb4(bnbBase())), 'no error');
  fc.assert(
    fc.property(fc.constantFrom(...DEFECTS), fc.nat(1000), (defect, pick) => {
      assert.is(codeOf(() => defect.run(pick)), defect.code, `${defect.name} (pick ${pick})`);
    }),
    { seed: SEED, numRuns: 1500 },
  );
});

test('arbitrary junk never escapes as anything but a BitsieveError', () => {
  const array = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 0, max: 40 }).chain((n) => fc.constantFrom(new Int32Array(n).fill(-1), new Uint8Array(n).fill(0xf7), new Uint16Array(n).fill(0x3c00), new Float32Array(n).fill(0.5), new Float64Array(n), new Uint32Array(n))),
    fc.constantFrom(null, 3, 'x', [1, 2]),
  );
  const value = fc.oneof(fc.integer({ min: -3, max: 300 }), fc.constantFrom(undefined, null, NaN, 'gemm', 'gptq_v2', 4.5, true, {}));
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom('qweight', 'qzeros', 'scales', 'g_idx', 'B', 'zero_points', 'weight', 'absmax', 'quant_map', 'quant_state', 'nested_absmax', 'nested_quant_map'), array), fc.dictionary(fc.constantFrom('bits', 'group_size', 'checkpoint_format', 'version', 'sym', 'K', 'N', 'block_size'), value), fc.array(value, { maxLength: 3 }), (tensors, config, shape) => {
      for (const call of [() => importGptq(tensors as never, config as never, shape as never), () => importAwq(tensors as never, config as never, shape as never), () => importMatMulNBits(tensors as never, config as never), () => importBnb4(tensors as never)]) {
        const code = codeOf(call);
        assert.ok(code === 'no error' || code.startsWith('E_'), code);
      }
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test('MatMulBnb4: attribute, size and value defects', () => {
  const ok = { B: new Uint8Array(8), absmax: Float32Array.of(1) as Float32Array | Uint16Array };
  const attrs = { K: 4, N: 4, block_size: 16, quant_type: 1 };
  assert.is(codeOf(() => importMatMulBnb4(ok, attrs)), 'no error');
  assert.is(codeOf(() => importMatMulBnb4(ok, { ...attrs, quant_type: 2 })), 'E_UNSUPPORTED');
  assert.is(codeOf(() => importMatMulBnb4(ok, { ...attrs, block_size: 8 })), 'E_RANGE');
  assert.is(codeOf(() => importMatMulBnb4(ok, { ...attrs, block_size: 48 })), 'E_RANGE');
  assert.is(codeOf(() => importMatMulBnb4({ ...ok, B: new Uint8Array(7) }, attrs)), 'E_SHAPE');
  assert.is(codeOf(() => importMatMulBnb4({ ...ok, absmax: Float32Array.of(1, 1) }, attrs)), 'E_SHAPE');
  assert.is(codeOf(() => importMatMulBnb4({ ...ok, absmax: Uint16Array.of(0x7c00) }, attrs)), 'E_RANGE');
  assert.is(codeOf(() => importMatMulBnb4({ ...ok, absmax: new Float64Array(1) as never }, attrs)), 'E_DTYPE');
  assert.is(codeOf(() => importMatMulBnb4({ B: Uint8Array.of(0, 0, 1), absmax: Float32Array.of(1) }, { ...attrs, K: 5, N: 1 })), 'E_FORMAT'); // odd padding nibble
  const w = importMatMulBnb4({ ...ok, absmax: Float32Array.of(0.1) }, attrs);
  assert.is(codeOf(() => exportMatMulBnb4(w, { absmaxDtype: 'f16' })), 'E_RANGE'); // 0.1 is no f16 value
  const custom = importBnb4({ weight: new Uint8Array(8), absmax: Float32Array.of(1), quant_map: new Float32Array(16), quant_state: utf8('{"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [4, 4]}') });
  assert.is(codeOf(() => exportMatMulBnb4(custom)), 'E_UNSUPPORTED');
});

test('exporters refuse weights their layout cannot hold', () => {
  const w = (o: Partial<ConstructorParameters<typeof QuantizedWeights>[0]>) => new QuantizedWeights({ shape: [8, 32], bits: 4, groupSize: 16, mode: 'symmetric', scaleDtype: 'f16', codes: new Uint8Array(256), scales: new Float32Array(16).fill(1), ...o });
  assert.is(codeOf(() => exportGptq(w({ bits: 5, codes: new Uint8Array(256) }))), 'E_UNSUPPORTED');
  assert.is(codeOf(() => exportGptq(w({ shape: [4, 32], codes: new Uint8Array(128), scales: new Float32Array(8).fill(1) }))), 'E_SHAPE'); // out 4: half an int32 of zeros
  assert.is(codeOf(() => exportAwq(w({ bits: 8 }))), 'E_UNSUPPORTED');
  const actOrder = w({ gIdx: Int32Array.from({ length: 32 }, (_, k) => k % 2) });
  assert.is(codeOf(() => exportAwq(actOrder)), 'E_UNSUPPORTED');
  assert.is(codeOf(() => exportMatMulNBits(actOrder)), 'E_UNSUPPORTED');
  assert.is(codeOf(() => exportMatMulNBits(w({ groupSize: 8, scales: new Float32Array(32).fill(1) }))), 'E_RANGE'); // block 8 < 16
  assert.is(codeOf(() => exportGptq(w({}), { checkpoint_format: 'x' as never })), 'E_UNSUPPORTED');
});

test('QuantizedWeights.signedScales: negative and zero scales only when set; existing rule unchanged', () => {
  const base = { shape: [1, 4] as [number, number], bits: 4, groupSize: 2, mode: 'symmetric' as const, scaleDtype: 'f16' as const, codes: new Uint8Array(4) };
  assert.is(codeOf(() => new QuantizedWeights({ ...base, scales: Float32Array.of(-0.5, 0) })), 'E_FORMAT');
  assert.is(codeOf(() => new QuantizedWeights({ ...base, scales: Float32Array.of(-0.5, -0), signedScales: true })), 'no error');
  assert.is(codeOf(() => new QuantizedWeights({ ...base, scales: Float32Array.of(-0.1, 1), signedScales: true })), 'E_FORMAT'); // −0.1 is no f16 value
  assert.is(codeOf(() => new QuantizedWeights({ ...base, scales: Float32Array.of(-Infinity, 1), signedScales: true })), 'E_FORMAT');
  assert.is(codeOf(() => new QuantizedWeights({ ...base, scales: Float32Array.of(NaN, 1), signedScales: true })), 'E_FORMAT');
  assert.is(codeOf(() => new QuantizedWeights({ ...base, scales: Float32Array.of(1, 1), signedScales: 1 as never })), 'E_FORMAT');
});

test.run();
