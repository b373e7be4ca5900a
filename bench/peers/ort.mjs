// onnxruntime-web, single thread, no proxy worker, running a one-node model built here: MatMul for
// dense weights, the contrib op MatMulNBits for group-wise 4/8-bit weights (the layout transformers.js'
// "q4" models use). session.run() copies the feeds into ORT's heap and the result out, so it is end
// to end only.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { transpose } from '../data.mjs';
import { matMulModel, matMulNBitsModel } from './onnx-model.mjs';
import { installWasmProbe, loadedWasmFiles } from './wasm-probe.mjs';

export async function open() {
  installWasmProbe();
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  const dir = dirname(createRequire(import.meta.url).resolve('onnxruntime-web')); // …/dist/ort.node.min.js
  let simd = null; // the wasm loads on the first session; read what happened then
  return {
    library: 'onnxruntime-web',
    variant: 'simd', // current builds ship only ort-wasm-simd-threaded*.wasm
    get simd() {
      return simd ?? 'simd (ORT always uses its SIMD build)';
    },
    async prepare(c, { w, x, q }) {
      const model = c.format.kind === 'dense' ? matMulModel(c.m, c.k, c.n, transpose(w, c.n, c.k)) : nBits(c, q);
      const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
      simd ??= `loaded ${loadedWasmFiles(dir).join(', ')}, numThreads=${ort.env.wasm.numThreads}, ORT ${ort.env.versions?.web}`;
      const feeds = { X: new ort.Tensor('float32', x, [c.m, c.k]) };
      const run = async () => (await session.run(feeds)).Y.data;
      return {
        modes: { 'end-to-end': run },
        async outputs() {
          return { 'end-to-end': Float32Array.from(await run()) };
        },
        dispose: () => session.release(),
      };
    },
  };
}

/** MatMulNBits for a case whose quantized weights have a group-wise view (codes, scales, implicit zero). */
function nBits(c, q) {
  const g = q?.groupwise;
  if (c.op === 'dequantize' || !g || g.zero !== 2 ** (g.bits - 1)) throw new Error(`ort: no MatMulNBits form for ${c.case}`);
  return matMulNBitsModel(c.m, c.k, c.n, g);
}
