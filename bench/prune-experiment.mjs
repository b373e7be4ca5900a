// The real-data pruning experiment, shared by bench/prune-quality.mjs (built package)
// and test/prune-calibrated.test.ts (sources): real face-api weight matrices, correlated
// synthetic activations, and the output error of magnitude, Wanda and SparseGPT pruning.
// bench/quant-experiment.mjs reuses the layers, the activation model, the layer and method loops
// and the error measure.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** face-api's face_recognition_model as stored in the npm package: the tfjs manifest and its weight bytes. */
export function faceRecognitionModel() {
  const dir = fileURLToPath(new URL('../node_modules/@vladmandic/face-api/model/', import.meta.url));
  const manifest = JSON.parse(readFileSync(`${dir}face_recognition_model-weights_manifest.json`, 'utf8'));
  const file = readFileSync(`${dir}face_recognition_model.bin`);
  return { manifest, bin: new Uint8Array(file.buffer, file.byteOffset, file.byteLength) };
}

/**
 * Layers of face_recognition_model. tfjs stores a 3×3 conv filter HWIO [kh, kw, in, out] and the
 * fc layer as [in, out] (y = x·W). Both become a linear layer [out, kh·kw·in] by flattening all
 * but the last axis and transposing: W[o, (y·kw + x)·in + c] = F[y, x, c, o], the weights that
 * multiply an im2col patch with channels fastest (NHWC order). The conv64 filters are stored
 * float32; fc and the conv256 filters uint8-quantized (already ~200 distinct values).
 */
export const LAYERS = [
  { name: 'fc', label: 'fc [128, 256]' },
  { name: 'conv64_3/conv2/conv/filters', label: 'conv64_3/conv2 3×3 [64, 576]' },
  // Not conv256_down_out/*: uint8 quantization already rounded 47 % / 89 % of those to exactly 0.
  { name: 'conv256_1/conv1/conv/filters', label: 'conv256_1/conv1 3×3 [256, 2304]' },
];

export const TARGETS = [
  { label: '50 %', target: { sparsity: 0.5 } },
  { label: '2:4', target: { n: 2, m: 4 } },
];

/** A tfjs tensor [..., out] as the linear weights [out, prod(...)]. */
export function toLinear(tensor) {
  const out = tensor.shape[tensor.shape.length - 1];
  const inF = tensor.data.length / out;
  const w = new Float32Array(out * inF);
  for (let i = 0; i < inF; i++) for (let o = 0; o < out; o++) w[o * inF + i] = tensor.data[i * out + o];
  return { w, shape: [out, inF] };
}

/** Standard normal samples from a seeded mulberry32 stream (Box–Muller). */
export function gaussians(length, seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(length);
  for (let i = 0; i < length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a);
    if (i + 1 < length) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/**
 * Correlated activations X [batch, cols] = (Z·A + 0.1·E) · diag(s): Z [batch, rank] and E are
 * standard normal, A [rank, cols] is a random mixing matrix (entries N(0, 1/rank)), so the
 * features share rank = cols/8 latent factors (strong correlations), and the per-feature scales
 * s_j = exp(N(0, 1)) vary over about two orders of magnitude, as real post-ReLU/BN features do.
 * The mixing and scales come from `seed`; the samples from `sampleSeed` (a held-out set shares
 * the distribution and differs in samples).
 */
export function correlatedActivations(cols, batch, seed, sampleSeed = seed + 1) {
  const rank = Math.max(1, Math.round(cols / 8));
  const a = gaussians(rank * cols, seed);
  const scales = gaussians(cols, seed + 2).map(Math.exp);
  const z = gaussians(batch * rank, sampleSeed);
  const noise = gaussians(batch * cols, sampleSeed + 3);
  const x = new Float32Array(batch * cols);
  const inv = 1 / Math.sqrt(rank);
  const row = new Float64Array(cols);
  for (let b = 0; b < batch; b++) {
    row.fill(0);
    for (let k = 0; k < rank; k++) {
      const zk = z[b * rank + k] * inv;
      for (let j = 0; j < cols; j++) row[j] += zk * a[k * cols + j];
    }
    for (let j = 0; j < cols; j++) x[b * cols + j] = (row[j] + 0.1 * noise[b * cols + j]) * scales[j];
  }
  return x;
}

/** ‖X·Wᵀ − X·Ŵᵀ‖_F / ‖X·Wᵀ‖_F in float64. */
export function outputError(w, pruned, x, rows, cols) {
  const batch = x.length / cols;
  let num = 0;
  let den = 0;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < rows; o++) {
      let full = 0;
      let approx = 0;
      for (let k = 0; k < cols; k++) {
        full += x[b * cols + k] * w[o * cols + k];
        approx += x[b * cols + k] * pruned[o * cols + k];
      }
      num += (full - approx) ** 2;
      den += full ** 2;
    }
  }
  return Math.sqrt(num / den);
}

/**
 * The layers of an experiment as linear layers [out, in], each with its calibration activations and,
 * when `heldOut`, fresh samples of the same distribution (undefined otherwise).
 */
export function* experimentLayers(lib, manifest, bin, { layers, batch, seed, heldOut }) {
  const tensors = lib.readTfjsWeights(manifest, bin);
  for (const layer of layers) {
    const { w, shape } = toLinear(tensors.get(layer.name));
    const calibration = correlatedActivations(shape[1], batch, seed);
    yield { layer, w, shape, calibration, heldOut: heldOut ? correlatedActivations(shape[1], batch, seed, seed + 100) : undefined };
  }
}

/** Runs every method of `methods` ({ name: () => result }) once, in order: { method, result, ms }. */
export function timeMethods(methods) {
  return Object.entries(methods).map(([method, run]) => {
    const started = performance.now();
    const result = run();
    return { method, result, ms: performance.now() - started };
  });
}

/**
 * Prunes every layer × target with every method. `lib` supplies readTfjsWeights, pruneMagnitude,
 * pruneWanda, pruneSparseGpt (sources or the built package). Returns one record per run with
 * weightError, outputError (calibration set) and heldOutError (fresh samples; NaN when
 * `heldOut: false`).
 */
export function runExperiment(lib, manifest, bin, { layers = LAYERS, batch = 384, seed = 20261122, heldOut: withHeldOut = true } = {}) {
  const records = [];
  for (const { layer, w, shape, calibration, heldOut } of experimentLayers(lib, manifest, bin, { layers, batch, seed, heldOut: withHeldOut })) {
    for (const { label, target } of TARGETS) {
      const methods = {
        magnitude: () => ('n' in target ? lib.pruneNM(w, shape, { ...target, calibration }) : lib.pruneMagnitude(w, shape, { ...target, scope: 'row', calibration })),
        wanda: () => lib.pruneWanda(w, shape, { ...target, calibration }),
        sparsegpt: () => lib.pruneSparseGpt(w, shape, { ...target, calibration }),
      };
      for (const { method, result, ms } of timeMethods(methods)) {
        const pruned = withHeldOut ? result.format.toDense() : undefined;
        records.push({
          layer: layer.label,
          target: label,
          method,
          sparsity: result.sparsity,
          weightError: result.weightError,
          outputError: result.outputError,
          heldOutError: heldOut ? outputError(w, pruned, heldOut, shape[0], shape[1]) : NaN,
          ms,
        });
      }
    }
  }
  return records;
}
