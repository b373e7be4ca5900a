// Pruning quality on real weights: magnitude (per row) vs Wanda vs SparseGPT on face-api's
// face_recognition_model layers with correlated synthetic activations (see prune-experiment.mjs
// for the layers, the conv reshape and the activation model). Prints a Markdown table of
// ‖W−Ŵ‖/‖W‖ and ‖XWᵀ−XŴᵀ‖/‖XWᵀ‖ on the calibration set and on held-out samples.
// Run after `npm run build`: node bench/prune-quality.mjs [--quick] (quick: skip the [256, 2304] conv).
import * as lib from '../dist/index.js';
import { LAYERS, faceRecognitionModel, runExperiment } from './prune-experiment.mjs';

const { manifest, bin } = faceRecognitionModel();

const quick = process.argv.includes('--quick');
const batch = 384;
const records = runExperiment(lib, manifest, bin, { layers: quick ? LAYERS.slice(0, 2) : LAYERS, batch });

const pct = (v) => `${(100 * v).toFixed(2)} %`;
console.log(`calibration: ${batch} correlated samples (rank in/8 latent factors + 10 % noise, log-normal feature scales), held-out: ${batch} fresh samples\n`);
console.log('| layer [out, in] | target | method | weight error | output error (calibration) | output error (held-out) | time |');
console.log('|---|---|---|---:|---:|---:|---:|');
for (const r of records) {
  console.log(`| ${r.layer} | ${r.target} | ${r.method} | ${pct(r.weightError)} | ${pct(r.outputError)} | ${pct(r.heldOutError)} | ${(r.ms / 1000).toFixed(2)} s |`);
}
