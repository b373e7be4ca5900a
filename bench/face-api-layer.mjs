// A real layer to price each sparse format's accuracy cost: face-api's face_recognition_model
// conv256_1/conv1 (3×3, 256 → 256, as a linear [256, 2304]; see prune-experiment.mjs for the reshape
// and the correlated activation model). Each format's own pruner (magnitude, block, N:M, DARB,
// LFSR) prunes it; the report shows ‖X·Wᵀ − X·Ŵᵀ‖ / ‖X·Wᵀ‖ on the calibration activations.
import { correlatedActivations, faceRecognitionModel, toLinear } from './prune-experiment.mjs';

export const LAYER = { name: 'conv256_1/conv1/conv/filters', label: 'face-api conv256_1/conv1 [256, 2304]' };
const BATCH = 256;
const SEED = 20261122;

/** The pruner call that produces case c's format (undefined: the format prunes nothing). */
function pruner(lib, c) {
  const f = c.format;
  const s = c.sparsity;
  switch (f.kind) {
    case 'csr':
    case 'xnn':
      return (w, shape, calibration) => lib.pruneMagnitude(w, shape, { sparsity: s, calibration });
    case 'bsr':
      return (w, shape, calibration) => lib.pruneBlock(w, shape, { block: f.block, sparsity: s, calibration });
    case 'nm':
      return (w, shape, calibration) => lib.pruneNM(w, shape, { n: f.n, m: f.m, calibration });
    case 'darb':
      return (w, shape, calibration) => lib.pruneDarb(w, shape, { blockSize: f.blockSize, sparsity: s, calibration });
    case 'lfsr':
      return (w, shape, calibration) => lib.pruneLfsr(w, shape, { sparsity: s, seed: SEED, calibration });
    default:
      return undefined; // dense, zero-skipping: the weights are exact
  }
}

/** case name → output error on the real layer (0 for formats that keep every weight). */
export function faceApiErrors(lib, cases) {
  const { manifest, bin } = faceRecognitionModel();
  const { w, shape } = toLinear(lib.readTfjsWeights(manifest, bin).get(LAYER.name));
  const calibration = correlatedActivations(shape[1], BATCH, SEED);
  const errors = new Map();
  const memo = new Map(); // same format + sparsity at another shape: same pruning
  for (const c of cases) {
    const prune = pruner(lib, c);
    const key = JSON.stringify([c.format, c.sparsity]);
    if (!memo.has(key)) memo.set(key, prune ? prune(w, shape, calibration).outputError : 0);
    errors.set(c.case, memo.get(key));
  }
  return errors;
}
