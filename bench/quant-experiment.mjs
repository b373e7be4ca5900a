// The real-data quantization experiment, shared by bench/quant-quality.mjs and
// test/quantize-gptq.test.ts: round-to-nearest vs GPTQ on face-api's face_recognition_model layers
// (prune-experiment.mjs: layers, conv reshape, correlated activations, layer/method loops, output
// error), at 4 and 3 bits with g128 groups and f16 scales (asymmetric, AutoGPTQ's min/max grid).
import { LAYERS, experimentLayers, outputError, timeMethods } from './prune-experiment.mjs';

export { LAYERS };

export const SETTINGS = [
  { label: '4-bit g128', bits: 4, groupSize: 128 },
  { label: '3-bit g128', bits: 3, groupSize: 128 },
];

/** 128 where it divides `in`, else the largest divisor of `in` below it (conv64_3/conv2: in = 576 → 96). */
export function groupSizeFor(groupSize, cols) {
  let g = Math.min(groupSize, cols);
  while (cols % g !== 0) g--;
  return g;
}

/**
 * Quantizes every layer × setting with RTN and GPTQ. `lib` supplies readTfjsWeights, quantizeRtn
 * and quantizeGptq (sources or the built package). Returns one record per run with the group
 * size used, weightError, outputError (calibration set) and heldOutError (fresh samples from the
 * same distribution; NaN when `heldOut: false`).
 */
export function runQuantExperiment(lib, manifest, bin, { layers = LAYERS, settings = SETTINGS, batch = 384, seed = 20261122, heldOut: withHeldOut = true } = {}) {
  const records = [];
  for (const { layer, w, shape, calibration, heldOut } of experimentLayers(lib, manifest, bin, { layers, batch, seed, heldOut: withHeldOut })) {
    for (const setting of settings) {
      const grid = { bits: setting.bits, groupSize: groupSizeFor(setting.groupSize, shape[1]) };
      const methods = {
        rtn: () => lib.quantizeRtn(w, shape, { ...grid, calibration }),
        gptq: () => lib.quantizeGptq(w, shape, { ...grid, calibration }),
      };
      for (const { method, result, ms } of timeMethods(methods)) {
        records.push({
          layer: layer.label,
          setting: setting.label,
          groupSize: grid.groupSize,
          method,
          weightError: result.weightError,
          outputError: result.outputError,
          heldOutError: heldOut ? outputError(w, result.format.dequantize(), heldOut, shape[0], shape[1]) : NaN,
          ms,
        });
      }
    }
  }
  return records;
}
