// @tensorflow/tfjs-backend-wasm (XNNPACK), pinned to one thread, used the fastest honest way.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { transpose } from '../data.mjs';
import { installWasmProbe, loadedWasmFiles } from './wasm-probe.mjs';

export const TFJS_NOTE =
  'tfjs: weights pre-transposed to [in,out] and matMul(x, wT) with transposeB=false; ' +
  'matMul(x, w, false, true) is pathologically slow in tfjs-backend-wasm 4.22 (~1.5 GFLOP/s), a user would pre-transpose.';

export async function open() {
  installWasmProbe();
  const tf = await import('@tensorflow/tfjs-core');
  const { setThreadsCount, getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  setThreadsCount(1); // must precede setBackend; Node never gets the threaded build anyway
  await tf.setBackend('wasm');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${tf.getBackend()}, not wasm`);
  const hasSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  return {
    library: '@tensorflow/tfjs-backend-wasm',
    variant: hasSimd ? 'simd' : 'scalar',
    simd: `WASM_HAS_SIMD_SUPPORT=${hasSimd}, threads=${getThreadsCount()}, loaded ${loadedWasmFiles(dir).join(', ')}`,
    prepare(c, { w, x }) {
      // Created once, in the layout XNNPACK's fully-connected path takes without a transpose.
      const wT = tf.tensor2d(transpose(w, c.n, c.k), [c.k, c.n]);
      const xT = tf.tensor2d(x, [c.m, c.k]);
      const endToEnd = () => {
        const a = tf.tensor2d(x, [c.m, c.k]);
        const y = tf.matMul(a, wT);
        const data = y.dataSync();
        a.dispose();
        y.dispose();
        return data;
      };
      return {
        modes: {
          // The wasm backend executes matMul synchronously, so this times the kernel without a read-back.
          resident: () => tf.matMul(xT, wT).dispose(),
          'end-to-end': endToEnd,
        },
        outputs() {
          const y = tf.matMul(xT, wT);
          const resident = y.dataSync().slice();
          y.dispose();
          return { resident, 'end-to-end': Float32Array.from(endToEnd()) };
        },
        dispose() {
          wT.dispose();
          xT.dispose();
          if (tf.memory().numTensors !== 0) throw new Error(`tfjs leaked ${tf.memory().numTensors} tensors`);
        },
      };
    },
  };
}

