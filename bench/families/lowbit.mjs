// The low-bit family (issue 4): fused dequant-GEMV/GEMM of GGUF blocks and group-wise integers,
// and dequantization alone, against the same layer run in f32 (tfjs, own dense), ONNX Runtime's
// MatMulNBits on the very same codes, and plain JS (dequantize a row, then dot). The weights are
// seeded codes and scales in each format's layout (bench/quantized.mjs), not the library's
// quantizers, so every library multiplies the same matrix.
import * as lib from '../../dist/index.js';
import { fill, seedOf } from '../data.mjs';
import { dequantizeAll, randomQuantized } from '../quantized.mjs';

const GEMV = { m: 1, n: 4096, k: 4096 };
const B64 = { m: 64, n: 1024, k: 1024 };
const OWN = ['bitsieve-relaxed', 'bitsieve-simd'];

/** Format descriptors (bench/quantized.mjs); int8 is per output channel (one group per row). */
export const FORMATS = {
  q4_0: { kind: 'gguf', type: 'Q4_0' },
  q4_k: { kind: 'gguf', type: 'Q4_K' },
  q8_0: { kind: 'gguf', type: 'Q8_0' },
  'int4-g32': { kind: 'int', bits: 4, groupSize: 32 },
  int8: { kind: 'int', bits: 8 },
};

/** Dense f32 baselines: what a user runs without the format (tfjs) and the library's own dense path. */
const BASELINES = [
  { case: 'dense-gemv', ...GEMV, libraries: [...OWN, 'tfjs'] },
  { case: 'dense-b64', ...B64, libraries: [...OWN, 'tfjs'] },
];

// `op: 'dequantize'`: packed [N, K] → f32 [N, K], measured in G weights/s.
const LOWBIT = [
  ...['q4_0', 'q4_k', 'q8_0', 'int4-g32', 'int8'].map((f) => ({ case: `${f}-gemv`, ...GEMV, format: f })),
  // ggml's own GEMV: activations quantized per block to the type's dot type (Q8_0 / Q8_K), integer dots (the
  // group-wise ints take Q8_0 blocks too). Outputs carry the activation rounding (≈ 1/254 of each block's
  // max |x|), hence the wider tolerance.
  ...['q4_0', 'q4_k', 'q8_0', 'int4-g32'].map((f) => ({ case: `${f}-gemv-q8`, ...GEMV, format: f, options: { activations: 'q8' }, tolerance: 5e-3 * Math.sqrt(GEMV.k) })),
  ...['q4_0', 'q4_k', 'int4-g32'].map((f) => ({ case: `${f}-dequant`, ...GEMV, format: f, op: 'dequantize' })),
  { case: 'int4-g32-b64', ...B64, format: 'int4-g32' },
];

/**
 * What each case needs from bitsieve, as paths into the built package: the format (by kind) and the
 * operation. A case whose API this build lacks is skipped for bitsieve and reported as not measured.
 */
const API = {
  format: { gguf: ['GgufMatrix'], int: ['GroupwiseInt.fromQuantized', 'QuantizedWeights'] },
  linear: { gguf: ['GgufLinear'], int: ['GroupwiseIntLinear'] }, // bs.linear(format) dispatches to these
  dequantize: ['Bitsieve.prototype.dequantize'], // bs.dequantize(format, out: Float32Array)
};
const has = (path) => path.split('.').reduce((o, key) => o?.[key], lib) !== undefined;
const lacking = (c) => {
  const kind = FORMATS[c.format].kind;
  return [...API.format[kind], ...(c.op === 'dequantize' ? API.dequantize : API.linear[kind])].filter((path) => !has(path));
};

/** ORT's MatMulNBits runs the 4-bit group-wise formats the issue compares with it (Q4_0 is one: block 32, zero 8, scale d). */
const ORT_FORMATS = ['q4_0', 'int4-g32'];

/**
 * The acceptance criteria. `vs`: 'tfjs' / 'own-dense' measured on `baseline` (resident vs
 * resident), 'ort' on the case itself (end to end vs end to end: ORT has no resident mode);
 * ratio = peer ms / bitsieve ms. `rate`: an absolute G weights/s floor. Checked on the relaxed build.
 */
export const TARGETS = [
  { case: 'q4_0-gemv-q8', vs: 'tfjs', baseline: 'dense-gemv', min: 3 },
  { case: 'int4-g32-gemv-q8', vs: 'tfjs', baseline: 'dense-gemv', min: 3 },
  { case: 'q4_0-gemv-q8', vs: 'ort', min: 20 },
  { case: 'int4-g32-gemv-q8', vs: 'ort', min: 20 },
  { case: 'q4_k-gemv-q8', vs: 'tfjs', baseline: 'dense-gemv', min: 2.5 },
  { case: 'q8_0-gemv-q8', vs: 'tfjs', baseline: 'dense-gemv', min: 2 },
  { case: 'int8-gemv', vs: 'tfjs', baseline: 'dense-gemv', min: 2 },
  { case: 'q4_0-dequant', rate: 1.0 },
  { case: 'q4_k-dequant', rate: 1.0 },
  { case: 'int4-g32-dequant', rate: 1.0 },
  { case: 'int4-g32-b64', vs: 'own-dense', baseline: 'dense-b64', min: 0.8 },
];

/** A resident quantized layer may hold at most this many times its packed bytes. */
export const MEMORY_LIMIT = 1.05;

export function cases({ quick }) {
  const base = BASELINES.map((c) => ({ ...c, format: { kind: 'dense' } }));
  const lowbit = LOWBIT.map((c) => {
    const peers = [...(c.op !== 'dequantize' && ORT_FORMATS.includes(c.format) ? ['ort'] : []), ...(c.m === 1 && !c.options ? ['plain-js'] : [])]; // plain JS once per format
    return {
      ...c,
      format: FORMATS[c.format],
      baseline: c.op === 'dequantize' ? undefined : base.find((b) => b.m === c.m && b.n === c.n && b.k === c.k).case,
      // Without the library's API the peers still run (their numbers stand on their own).
      libraries: [...(lacking(c).length ? [] : OWN), ...peers],
      // plain JS takes ~0.1-0.2 s per call at 4096²; once is plenty in quick mode.
      rounds: quick ? { 'plain-js': 1 } : {},
    };
  });
  return [...base, ...lowbit].map((c) => ({
    suite: 'lowbit',
    layout: 'rows',
    rounds: {},
    ...c,
    ...(c.op === 'dequantize' ? { work: { amount: c.n * c.k, unit: 'G weights/s' } } : { flops: 2 * c.m * c.n * c.k }),
  }));
}

/** Cases bitsieve skips because this build lacks their API (their peers still run). */
export const missing = () => LOWBIT.filter((c) => lacking(c).length).map((c) => `${c.case} (needs ${lacking(c).join(', ')})`);

/**
 * x: [M, K]; q: the quantized weights; w: the dense [N, K] matrix they stand for, built on first
 * use (only the reference needs it; at 4096² it costs up to ~1 s of plain JS per process and case).
 */
export function data(c) {
  const seed = seedOf(c);
  const x = fill(c.m * c.k, seed ^ 0x5bd1e995);
  if (c.format.kind === 'dense') return { w: fill(c.n * c.k, seed), x };
  const q = randomQuantized(c.format, c.n, c.k, seed);
  let w;
  return {
    x,
    q,
    get w() {
      return (w ??= dequantizeAll(c.format, q, c.n, c.k));
    },
  };
}
