// The dense family: dense f32 layers against every peer (tfjs-backend-wasm, onnxruntime-web,
// plain JS) at GEMM, linear-layer and GEMV shapes.
import { fill, seedOf } from '../data.mjs';

const LIBRARIES = ['bitsieve-relaxed', 'bitsieve-simd', 'bitsieve-scalar', 'tfjs', 'ort', 'plain-js'];

const CASES = [
  { suite: 'dense-gemm', case: '256x256x256', m: 256, n: 256, k: 256 },
  { suite: 'dense-gemm', case: '512x512x512', m: 512, n: 512, k: 512 },
  { suite: 'dense-gemm', case: '1024x1024x1024', m: 1024, n: 1024, k: 1024 },
  { suite: 'dense-linear', case: 'batch1-1024x1024', m: 1, n: 1024, k: 1024 },
  { suite: 'dense-linear', case: 'batch8-1024x1024', m: 8, n: 1024, k: 1024 },
  { suite: 'dense-linear', case: 'batch64-1024x1024', m: 64, n: 1024, k: 1024 },
  { suite: 'dense-gemv', case: 'gemv-4096x4096', m: 1, n: 4096, k: 4096 },
];

/**
 * `rounds[worker]` caps how many rounds a worker joins a case (0 = skipped). At 1024³ plain JS
 * takes ~2 s and scalar bitsieve ~0.5 s per call and neither is in a headline ratio, so they run
 * once in full mode and not at all in quick mode.
 */
export function cases({ quick }) {
  return CASES.map((c) => {
    const slow = c.m * c.n * c.k >= 1 << 30 ? (quick ? 0 : 1) : Infinity;
    return {
      ...c,
      layout: 'rows',
      format: { kind: 'dense' },
      flops: 2 * c.m * c.n * c.k,
      libraries: LIBRARIES,
      rounds: { 'plain-js': slow, 'bitsieve-scalar': slow },
    };
  });
}

/** w: [n, k] row-major (bitsieve's [out, in]); x: [m, k]. */
export function data(c) {
  const seed = seedOf(c);
  return { w: fill(c.n * c.k, seed), x: fill(c.m * c.k, seed ^ 0x5bd1e995) };
}
