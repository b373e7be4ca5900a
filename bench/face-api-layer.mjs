// A real layer to price each compressed format's accuracy cost: face-api's face_recognition_model
// conv256_1/conv1 (3×3, 256 → 256, as a linear [256, 2304]; see prune-experiment.mjs for the reshape
// and the correlated activation model). Each family says how its formats compress the layer (the
// sparse family with its pruners, the low-bit family with its quantizers); the report shows
// ‖X·Wᵀ − X·Ŵᵀ‖ / ‖X·Wᵀ‖ on the calibration activations.
import { correlatedActivations, faceRecognitionModel, toLinear } from './prune-experiment.mjs';

export const LAYER = { name: 'conv256_1/conv1/conv/filters', label: 'face-api conv256_1/conv1 [256, 2304]' };
const BATCH = 256;
export const SEED = 20261122;

/**
 * case name → output error on the real layer. `compressor(c)` returns how case c compresses the
 * layer, `(w, shape, calibration) => outputError`, or undefined when the format keeps every weight
 * (error 0). A compressor that returns null or throws (its algorithm is not in this build) leaves
 * the case out of the map.
 */
export function faceApiErrors(lib, cases, compressor) {
  const { manifest, bin } = faceRecognitionModel();
  const { w, shape } = toLinear(lib.readTfjsWeights(manifest, bin).get(LAYER.name));
  const calibration = correlatedActivations(shape[1], BATCH, SEED);
  const errors = new Map();
  const memo = new Map(); // same format (+ sparsity) at another shape: same compression
  for (const c of cases) {
    const compress = compressor(c);
    const key = JSON.stringify([c.format, c.sparsity]);
    if (!memo.has(key)) {
      let error = null;
      try {
        error = compress ? compress(w, shape, calibration) : 0;
      } catch {
        error = null; // e.g. E_UNSUPPORTED: this build lacks the algorithm
      }
      memo.set(key, error);
    }
    if (memo.get(key) != null) errors.set(c.case, memo.get(key));
  }
  return errors;
}
