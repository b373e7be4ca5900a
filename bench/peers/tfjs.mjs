// @tensorflow/tfjs-backend-wasm (XNNPACK), pinned to one thread, used the fastest honest way.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { transpose } from '../data.mjs';
import { installWasmProbe, loadedWasmFiles } from './wasm-probe.mjs';

export const TFJS_NOTE =
  'tfjs: weights pre-transposed to [in,out] and matMul(x, wT) with transposeB=false; ' +
  'matMul(x, w, false, true) is pathologically slow in tfjs-backend-wasm 4.22 (~1.5 GFLOP/s), a user would pre-transpose. ' +
  '1×1 convolutions: tf.conv2d in tfjs\' native NHWC layout on the same pixels, filter [1, 1, in, out].';

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
      // Weights created once, in the layout XNNPACK's fully-connected / 1×1-conv path takes without
      // a transpose ([in, out]). 'chw' cases run conv2d 1×1 in tfjs' native NHWC layout on the same
      // pixels (the input given to tfjs pre-transposed, as a tfjs user's tensors already are).
      const conv = c.layout === 'chw';
      const wKN = transpose(w, c.n, c.k);
      const weights = conv ? tf.tensor4d(wKN, [1, 1, c.k, c.n]) : tf.tensor2d(wKN, [c.k, c.n]);
      const input = conv ? transpose(x, c.k, c.m) : x; // [M, K] either way
      const inputShape = conv ? [1, c.h, c.w, c.k] : [c.m, c.k];
      const op = conv ? (a) => tf.conv2d(a, weights, 1, 'valid') : (a) => tf.matMul(a, weights);
      const resident = tf.tensor(input, inputShape);
      const endToEnd = () => {
        const a = tf.tensor(input, inputShape);
        const y = op(a);
        const data = y.dataSync();
        a.dispose();
        y.dispose();
        return data;
      };
      const canonical = (y) => (conv ? transpose(y, c.m, c.n) : Float32Array.from(y)); // back to [N, M] for 'chw'
      return {
        modes: {
          // The wasm backend executes synchronously, so this times the kernel without a read-back.
          resident: () => op(resident).dispose(),
          'end-to-end': endToEnd,
        },
        outputs() {
          const y = op(resident);
          const out = canonical(y.dataSync());
          y.dispose();
          return { resident: out, 'end-to-end': canonical(endToEnd()) };
        },
        dispose() {
          weights.dispose();
          resident.dispose();
          if (tf.memory().numTensors !== 0) throw new Error(`tfjs leaked ${tf.memory().numTensors} tensors`);
        },
      };
    },
  };
}

