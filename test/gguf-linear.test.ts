// Fused GGUF GEMVs (f32 and q8 activations) and GgufLinear: against a float64 reference over the TypeScript
// dequantization, ggml's generic integer dot emulated exactly, odd shapes, bias, ReLU, batches through the
// tiled path, resident size, bs.dequantize, and typed errors.
import * as assert from 'uvu/assert';
import { BitsieveError, GgufLinear, GgufMatrix, ggufType, type Bitsieve } from '../src/index.js';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { affineMagnitude, ggmlQ8Gemv, q81SumSlack } from './reference/gguf-dot.js';
import { linearReference, magnitude, randomFloats, U32, type LinearCase } from './reference/linear.js';

const SEED = 20261202;
const FUSED = ['Q4_0', 'Q4_1', 'Q8_0'] as const;
const TILED = ['F16', 'BF16', 'Q5_0', 'Q5_1', 'IQ4_NL', 'MXFP4'] as const;
const SHAPES: [number, number][] = [[1, 32], [3, 32], [4, 64], [5, 96], [7, 2048], [13, 160], [16, 256], [33, 128]];

/** Weights quantized by the reference quantizer, with the row scale varying over 2^±6. */
function matrix(type: string, out: number, k: number, seed: number): GgufMatrix {
  const w = randomFloats(out * k, seed).map((v, i) => v * 2 ** ((Math.floor(i / 32) % 13) - 6));
  return GgufMatrix.fromDense(Float32Array.from(w), [out, k], type);
}

/**
 * The stated tolerance of the f32-accumulating paths: (k + 4)·u·M per output, where M = Σ|w·x| + |bias| for
 * the types whose dequantized weight is exactly code·d (every type but Q4_1), and for Q4_1 (computed as
 * d·Σq·x + m·Σx) M = Σ|x|·(|q·d| + |m|) + |bias| plus the rounding of each dequantized weight (u·Σ|w·x|).
 * Q4_1 with q8 activations adds the fp16 rounding of Q8_1's s field (q81SumSlack).
 */
function expectClose(c: LinearCase, y: Float32Array, extraMag: Float64Array | undefined, what: string, slack?: Float64Array): void {
  const ref = linearReference(c);
  const mag = magnitude(c);
  for (let i = 0; i < ref.length; i++) {
    const m = extraMag ? extraMag[i % c.out] + 2 * mag[i] : mag[i];
    const tol = (c.in + 4) * U32 * m + (slack ? slack[i % c.out] : 0) + 1e-30;
    const err = Math.abs(y[i] - ref[i]);
    if (!(err <= tol)) assert.unreachable(`${what}: y[${i}] = ${y[i]}, reference ${ref[i]}, |err| ${err} > ${tol}`);
  }
}

function forward(bs: Bitsieve, m: GgufMatrix, x: Float32Array, batch: number, opts: { bias?: Float32Array; relu?: boolean; activations?: 'f32' | 'q8' }): Float32Array {
  const layer = bs.linear(m, { bias: opts.bias, activation: opts.relu ? 'relu' : 'none', activations: opts.activations });
  try {
    return layer.forward(x, batch);
  } finally {
    layer.dispose();
  }
}

eachVariant('GGUF fused GEMV and GgufLinear', (test) => {
  test('f32 activations (batch 1, fused): float64 reference over the TS dequantization, odd shapes, bias, ReLU', ({ bs }) => {
    FUSED.forEach((type, t) => {
      for (const [out, k] of SHAPES) {
        for (const withBias of [false, true]) {
          for (const relu of [false, true]) {
            const m = matrix(type, out, k, SEED + 31 * t + out + k);
            const x = randomFloats(k, SEED + k + out);
            const bias = withBias ? randomFloats(out, SEED + 3) : undefined;
            const y = forward(bs, m, x, 1, { bias, relu });
            const c: LinearCase = { w: m.toDense(), x, bias, batch: 1, out, in: k, relu };
            expectClose(c, y, type === 'Q4_1' ? affineMagnitude(m.data, x, out, k) : undefined, `${type} [${out}, ${k}] bias ${withBias} relu ${relu}`);
          }
        }
      }
    });
  });

  test('q8 activations: exactly ggml generic dot (emulated) over the reference-quantized x, and close to float64', ({ bs }) => {
    FUSED.forEach((type, t) => {
      const act = type === 'Q4_1' ? 'Q8_1' : 'Q8_0';
      for (const [out, k] of SHAPES) {
        for (const withBias of [false, true]) {
          const m = matrix(type, out, k, SEED + 77 * t + out * k);
          const x = randomFloats(k, SEED + 2 * k + out);
          const bias = withBias ? randomFloats(out, SEED + 9) : undefined;
          const relu = out % 2 === 1;
          const y = forward(bs, m, x, 1, { bias, relu, activations: 'q8' });
          const xq = new Uint8Array((k / 32) * ggufType(act).blockBytes);
          ggufCodec(act).quantize!(x, 0, xq, 0, k / 32);
          const want = ggmlQ8Gemv(type, m.data, xq, out, k, bias, relu);
          for (let i = 0; i < out; i++) assert.ok(Object.is(y[i], want[i]), `${type} [${out}, ${k}] row ${i}: ${y[i]} vs ggml ${want[i]}`);
          const xd = new Float32Array(k);
          ggufCodec(act).dequantize(xq, 0, xd, 0, k / 32);
          const c: LinearCase = { w: m.toDense(), x: xd, bias, batch: 1, out, in: k, relu };
          const slack = type === 'Q4_1' ? q81SumSlack(m.data, xq, out, k) : undefined;
          expectClose(c, y, type === 'Q4_1' ? affineMagnitude(m.data, xd, out, k) : undefined, `${type} q8 [${out}, ${k}]`, slack);
        }
      }
    });
  });

  test('batch > 1 (tiled dequantize + dense micro-kernel) and the types without a fused GEMV, batch 1 and 3', ({ bs }) => {
    [...FUSED, ...TILED].forEach((type, t) => {
      for (const [out, k, batch] of [[5, 64, 3], [19, 96, 2], [40, 1024, 5], [9, 32, 1], [130, 4160, 2]] as const) {
        const m = matrix(type, out, k, SEED + 13 * t + out);
        const x = randomFloats(batch * k, SEED + batch + k);
        const bias = out % 2 ? randomFloats(out, SEED + 8) : undefined;
        const y = forward(bs, m, x, batch, { bias, relu: true });
        const c: LinearCase = { w: m.toDense(), x, bias, batch, out, in: k, relu: true };
        const extra = type === 'Q4_1' && batch === 1 ? affineMagnitude(m.data, x, out, k) : undefined;
        expectClose(c, y, extra, `${type} [${out}, ${k}] × ${batch}`);
      }
    });
  });

  test('K-quant and ternary types through GgufLinear: fused GEMV (f32 and Q8_K activations), tiled batches', ({ bs }) => {
    // The kernels are checked tightly against float64 in gguf-k-kernels.test.ts; this checks the op's table and
    // wiring with a coarse bound (1e-2 · Σ|x|·max|w| per output covers Q8_K's activation rounding, while a wrong
    // kernel, type or layout is off by O(1) of that scale).
    const types = ['Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'TQ1_0', 'TQ2_0']; // IQ4_XS has no reference quantizer here
    types.forEach((type, t) => {
      for (const [out, k, batch] of [[3, 256, 1], [9, 768, 1], [5, 512, 3]] as const) {
        const w = randomFloats(out * k, SEED + 101 * t + out);
        const m = GgufMatrix.fromDense(w, [out, k], type);
        const dense = m.toDense();
        const x = randomFloats(batch * k, SEED + 7 * t + k);
        const modes: ('f32' | 'q8')[] = batch === 1 && ['Q4_K', 'Q5_K', 'Q6_K'].includes(type) ? ['f32', 'q8'] : ['f32'];
        for (const activations of modes) {
          const y = forward(bs, m, x, batch, { activations });
          const ref = linearReference({ w: dense, x, batch, out, in: k, relu: false });
          for (let i = 0; i < ref.length; i++) {
            const b = Math.floor(i / out), r = i % out;
            let sx = 0, mw = 0;
            for (let j = 0; j < k; j++) {
              sx += Math.abs(x[b * k + j]);
              mw = Math.max(mw, Math.abs(dense[r * k + j]));
            }
            const tol = 1e-2 * sx * mw + 1e-30;
            if (!(Math.abs(y[i] - ref[i]) <= tol)) assert.unreachable(`${type} ${activations} [${out}, ${k}] × ${batch}: y[${i}] = ${y[i]}, reference ${ref[i]}, tol ${tol}`);
          }
        }
      }
    });
  });

  test('residentBytes ≤ 1.05 × the packed blocks; nothing left after dispose', ({ bs }) => {
    for (const type of [...FUSED, ...TILED]) {
      const m = matrix(type, 24, 4096, SEED);
      const before = bs.heap.inUseBytes;
      const a = bs.linear(m);
      assert.ok(a.residentBytes <= 1.05 * m.data.byteLength, `${type}: ${a.residentBytes} vs ${m.data.byteLength}`);
      const b = bs.linear(m, { bias: new Float32Array(24) });
      assert.ok(b.residentBytes <= 1.05 * m.data.byteLength, `${type} with bias: ${b.residentBytes} vs ${m.data.byteLength}`);
      a.forward(randomFloats(4096 * 2, 1));
      a.dispose();
      b.dispose();
      assert.is(bs.heap.inUseBytes, before, `${type}: heap back to where it was`);
    }
  });

  test('bs.dequantize is the codec dequantization bit for bit (several chunks, out parameter)', ({ bs }) => {
    for (const type of [...FUSED, ...TILED]) {
      const m = matrix(type, type === 'Q4_0' ? 1030 : 3, 1056, SEED + 1);
      const want = m.toDense();
      const got = bs.dequantize(m);
      assert.ok(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `${type}`);
      const out = new Float32Array(want.length);
      assert.is(bs.dequantize(m, out), out);
    }
    assert.is(bs.dequantize(matrix('Q8_0', 0, 64, 1)).length, 0);
  });

  test('bad input → BitsieveError', ({ bs }) => {
    const q5 = matrix('Q5_0', 4, 64, 1);
    const q4 = matrix('Q4_0', 4, 64, 1);
    assert.is(codeOf(() => bs.linear(q5, { activations: 'q8' })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.linear(q4, { activations: 'int4' as 'q8' })), 'E_RANGE');
    assert.is(codeOf(() => bs.linear(new GgufMatrix('F32', [2, 4], new Uint8Array(32)))), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.linear(new GgufMatrix('Q8_1', [2, 32], new Uint8Array(72)))), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.linear(q4, { bias: new Float32Array(3) })), 'E_SHAPE');
    const before = bs.heap.inUseBytes;
    const layer = bs.linear(q4, { activations: 'q8' });
    assert.ok(layer instanceof GgufLinear);
    assert.is(codeOf(() => layer.forward(new Float32Array(63))), 'E_SHAPE');
    const x = randomFloats(64, 3);
    x[5] = NaN;
    assert.is(codeOf(() => layer.forward(x)), 'E_RANGE');
    layer.dispose();
    assert.is(codeOf(() => layer.forward(randomFloats(64, 3))), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before, 'scratch released on the error paths');
    assert.is(codeOf(() => bs.dequantize({} as GgufMatrix)), 'E_DTYPE');
    assert.is(codeOf(() => bs.dequantize(q4, new Float32Array(3))), 'E_SHAPE');
    assert.ok(new BitsieveError('E_RANGE', 'x') instanceof Error);
  });
});
