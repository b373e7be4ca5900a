// Quantization quality on real weights: round-to-nearest vs GPTQ on face-api's
// face_recognition_model layers with correlated synthetic activations (see quant-experiment.mjs).
// Prints a Markdown table of ‖W−Ŵ‖/‖W‖ and ‖XWᵀ−XŴᵀ‖/‖XWᵀ‖ on the calibration set and on held-out
// samples. Quantizers are pure TypeScript, so the sources work as well as the build:
//   node bench/quant-quality.mjs [--quick]                  (after `npm run build`)
//   node --import tsx bench/quant-quality.mjs --src [--quick]   (no build)
// --quick skips the [256, 2304] conv.
import { faceRecognitionModel } from './prune-experiment.mjs';
import { LAYERS, runQuantExperiment } from './quant-experiment.mjs';

const lib = await import(process.argv.includes('--src') ? '../src/index.js' : '../dist/index.js');
const quick = process.argv.includes('--quick');
const batch = 384;
const { manifest, bin } = faceRecognitionModel();
const records = runQuantExperiment(lib, manifest, bin, { layers: quick ? LAYERS.slice(0, 2) : LAYERS, batch });

const pct = (v) => `${(100 * v).toFixed(2)} %`;
console.log(`calibration: ${batch} correlated samples (rank in/8 latent factors + 10 % noise, log-normal feature scales), held-out: ${batch} fresh samples; asymmetric grid, f16 scales\n`);
console.log('| layer [out, in] | grid | method | weight error | output error (calibration) | output error (held-out) | time |');
console.log('|---|---|---|---:|---:|---:|---:|');
for (const r of records) {
  const grid = r.setting.replace('g128', `g${r.groupSize}`);
  console.log(`| ${r.layer} | ${grid} | ${r.method} | ${pct(r.weightError)} | ${pct(r.outputError)} | ${pct(r.heldOutError)} | ${(r.ms / 1000).toFixed(2)} s |`);
}
