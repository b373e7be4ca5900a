// Calibration-aware pruners. Wanda's masks against a brute-force ranking of |W_ij|·‖X_j‖;
// SparseGPT against an unblocked explicit-inverse OBS implementation (test/reference/obs.ts);
// and the real-data experiment: on face-api layers with correlated activations the
// output error orders SparseGPT < Wanda < magnitude at 50 % and 2:4.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as lib from '../src/index.js';
import { Csr, Nm, pruneSparseGpt, pruneWanda } from '../src/index.js';
import { LAYERS, correlatedActivations, runExperiment } from '../bench/prune-experiment.mjs';
import { randomFloats } from './reference/linear.js';
import { obsReference, type Target } from './reference/obs.js';
import { codeOf } from './helpers/errors.js';

const wanda = suite('pruneWanda');
const sparsegpt = suite('pruneSparseGpt');

/** Wanda scores straight from the definition. */
function wandaScores(w: Float32Array, x: Float32Array, rows: number, cols: number): number[] {
  const batch = x.length / cols;
  const scores: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      let sq = 0;
      for (let b = 0; b < batch; b++) sq += x[b * cols + j] ** 2;
      scores.push(Math.abs(w[r * cols + j]) * Math.sqrt(sq));
    }
  }
  return scores;
}

/**
 * Brute force: position p of `cells` is kept iff fewer than `keep` cells outrank it (a higher
 * score, or an equal score at a lower index).
 */
function bruteForceKeep(scores: number[], cells: number[], keep: number, p: number): boolean {
  const outranked = cells.filter((q) => scores[q] > scores[p] || (scores[q] === scores[p] && q < p)).length;
  return outranked < keep;
}

/** X with one input dead (always 0), one 1000× louder, and the rest random. */
function calibrationFor(batch: number, cols: number, seed: number): Float32Array {
  const x = randomFloats(batch * cols, seed);
  for (let b = 0; b < batch; b++) {
    x[b * cols + 1] = 0;
    x[b * cols + (cols - 1)] *= 1000;
  }
  return x;
}

wanda('unstructured: every row keeps its round((1−s)·in) highest |W|·‖X_j‖, weights untouched', () => {
  const rows = 7, cols = 13;
  const w = randomFloats(rows * cols, 11);
  const x = calibrationFor(5, cols, 12);
  const scores = wandaScores(w, x, rows, cols);
  for (const s of [0, 0.3, 0.5, 0.9, 1]) {
    const { mask, format, sparsity } = pruneWanda(w, [rows, cols], { sparsity: s, calibration: x });
    const keep = Math.round((1 - s) * cols);
    for (let r = 0; r < rows; r++) {
      const cells = Array.from({ length: cols }, (_, j) => r * cols + j);
      for (const p of cells) assert.is(mask[p] === 1, bruteForceKeep(scores, cells, keep, p), `s=${s} row ${r} col ${p % cols}`);
    }
    assert.is(sparsity, (rows * (cols - keep)) / (rows * cols));
    assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
  }
  // The 1000× input survives in every row at 90 %, the dead one never does unless all are kept.
  const { mask } = pruneWanda(w, [rows, cols], { sparsity: 0.9, calibration: x });
  for (let r = 0; r < rows; r++) assert.is(mask[r * cols + cols - 1] + mask[r * cols + 1], 1);
});

wanda('N:M: every group keeps its min(n, size) highest scores, a short tail group included', () => {
  const rows = 6, cols = 13;
  const w = randomFloats(rows * cols, 21);
  const x = calibrationFor(4, cols, 22);
  const scores = wandaScores(w, x, rows, cols);
  for (const [n, m] of [[2, 4], [1, 4], [4, 8], [1, 2]]) {
    const { mask, format } = pruneWanda(w, [rows, cols], { n, m, calibration: x });
    for (let r = 0; r < rows; r++) {
      for (let g = 0; g < cols; g += m) {
        const cells = Array.from({ length: Math.min(m, cols - g) }, (_, i) => r * cols + g + i);
        const kept = cells.reduce((k, p) => k + mask[p], 0);
        assert.is(kept, Math.min(n, cells.length), `${n}:${m} row ${r} group ${g}`);
        for (const p of cells) assert.is(mask[p] === 1, bruteForceKeep(scores, cells, n, p));
      }
    }
    assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
  }
});

const CASES: { rows: number; cols: number; batch: number; target: Target; blockSize: number }[] = [
  { rows: 5, cols: 11, batch: 7, target: { sparsity: 0.5 }, blockSize: 128 },
  { rows: 5, cols: 11, batch: 7, target: { sparsity: 0.3 }, blockSize: 4 },
  { rows: 4, cols: 16, batch: 40, target: { sparsity: 0.8 }, blockSize: 5 },
  { rows: 3, cols: 9, batch: 30, target: { sparsity: 0.6 }, blockSize: 1 },
  { rows: 5, cols: 12, batch: 20, target: { n: 2, m: 4 }, blockSize: 4 },
  { rows: 5, cols: 13, batch: 20, target: { n: 1, m: 4 }, blockSize: 2 }, // block rounded up to 4; tail group of 1
  { rows: 3, cols: 16, batch: 9, target: { n: 4, m: 8 }, blockSize: 128 },
];

sparsegpt('matches the unblocked explicit-inverse OBS reference (masks equal, weights within 1e-9)', () => {
  CASES.forEach(({ rows, cols, batch, target, blockSize }, c) => {
    const w = randomFloats(rows * cols, 100 + c);
    const x = calibrationFor(batch, cols, 200 + c);
    for (const dampening of [0.01, 0.1]) {
      const ref = obsReference(w, rows, cols, x, target, blockSize, dampening);
      const result = pruneSparseGpt(w, [rows, cols], { ...target, calibration: x, blockSize, dampening });
      assert.equal(result.mask, ref.keep, `case ${c}: masks`);
      if ('n' in target) {
        for (let r = 0; r < rows; r++) {
          for (let g = 0; g < cols; g += target.m) {
            const group = result.mask.subarray(r * cols + g, r * cols + Math.min(g + target.m, cols));
            assert.ok(group.reduce((k, m) => k + m, 0) <= target.n, `case ${c}: row ${r} group ${g}`);
          }
        }
      }
      const dense = result.format.toDense();
      const scale = ref.w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      ref.w.forEach((v, i) => {
        // float32 rounding of the result plus float64 round-off of two different algorithms.
        assert.ok(Math.abs(dense[i] - v) <= 2 ** -24 * Math.abs(v) + 1e-9 * scale, `case ${c} d=${dampening} [${i}]: ${dense[i]} vs ${v}`);
      });
    }
  });
});

sparsegpt('sparsity 0 returns W unchanged; sparsity 1 returns zeros', () => {
  const rows = 6, cols = 10;
  const w = randomFloats(rows * cols, 31);
  const x = calibrationFor(12, cols, 32);
  const none = pruneSparseGpt(w, [rows, cols], { sparsity: 0, calibration: x, blockSize: 3 });
  assert.equal(none.format.toDense(), w);
  assert.ok(none.mask.every((m) => m === 1));
  assert.is(none.weightError, 0);
  assert.is(none.outputError, 0);
  const all = pruneSparseGpt(w, [rows, cols], { sparsity: 1, calibration: x });
  assert.equal(all.format.toDense(), new Float32Array(rows * cols));
  assert.is(all.sparsity, 1);
  assert.ok(Math.abs(all.outputError! - 1) < 1e-12);
  // N:M results are Nm layers: a pattern Nm cannot hold is refused before any work.
  assert.is(codeOf(() => pruneSparseGpt(w, [rows, cols], { n: 3, m: 8, calibration: x })), 'E_UNSUPPORTED');
  assert.is(codeOf(() => pruneWanda(w, [rows, cols], { n: 1, m: 3, calibration: x })), 'E_UNSUPPORTED');
  assert.ok(pruneSparseGpt(w, [rows, cols], { n: 2, m: 4, calibration: x }).format instanceof Nm);
  assert.ok(pruneWanda(w, [rows, cols], { sparsity: 0.5, calibration: x }).format instanceof Csr);
});

sparsegpt('output error on the calibration set is below Wanda\'s on correlated activations', () => {
  const rows = 24, cols = 64;
  const w = randomFloats(rows * cols, 41);
  const x = correlatedActivations(cols, 96, 42);
  for (const target of [{ sparsity: 0.5 }, { sparsity: 0.75 }, { n: 2, m: 4 }, { n: 1, m: 4 }]) {
    const g = pruneSparseGpt(w, [rows, cols], { ...target, calibration: x, blockSize: 16 });
    const a = pruneWanda(w, [rows, cols], { ...target, calibration: x });
    assert.ok(g.outputError! < a.outputError!, `${JSON.stringify(target)}: ${g.outputError} ≥ ${a.outputError}`);
    assert.is(g.sparsity, a.sparsity);
  }
});

const bad = (prune: typeof pruneWanda | typeof pruneSparseGpt) => {
  const w = new Float32Array(6);
  const x = new Float32Array(9);
  const code = (options: unknown, shape: [number, number] = [2, 3], weights: ArrayLike<number> = w) => codeOf(() => prune(weights, shape, options as never));
  assert.is(code({ sparsity: 0.5 }), 'E_DTYPE'); // calibration missing
  assert.is(code({ sparsity: 0.5, calibration: [1, 2, 3] }), 'E_DTYPE');
  assert.is(code({ sparsity: 0.5, calibration: new Float32Array(4) }), 'E_SHAPE');
  assert.is(code({ sparsity: 0.5, calibration: new Float32Array(0) }), 'E_SHAPE');
  assert.is(code({ sparsity: 0.5, calibration: Float32Array.of(1, NaN, 3) }), 'E_RANGE');
  assert.is(code({ sparsity: 1.5, calibration: x }), 'E_RANGE');
  assert.is(code({ sparsity: -0.1, calibration: x }), 'E_RANGE');
  assert.is(code({ sparsity: NaN, calibration: x }), 'E_RANGE');
  assert.is(code({ calibration: x }), 'E_RANGE');
  assert.is(code(undefined), 'E_RANGE');
  assert.is(code({ n: 3, m: 2, calibration: x }), 'E_RANGE');
  assert.is(code({ n: 2, m: 0, calibration: x }), 'E_RANGE');
  assert.is(code({ n: 2, calibration: x }), 'E_DTYPE');
  assert.is(code({ n: 1.5, m: 4, calibration: x }), 'E_DTYPE');
  assert.is(code({ n: 2, m: 4, sparsity: 0.5, calibration: x }), 'E_RANGE');
  assert.is(code({ sparsity: 0.5, calibration: x }, [2, 2]), 'E_SHAPE');
  assert.is(code({ sparsity: 0.5, calibration: x }, [2, 3], [1, 2, 3, 4, 5, Infinity]), 'E_RANGE');
};

wanda('bad arguments → typed errors', () => bad(pruneWanda));

sparsegpt('bad arguments → typed errors', () => {
  bad(pruneSparseGpt);
  const w = new Float32Array(6);
  const x = randomFloats(9, 3);
  assert.is(codeOf(() => pruneSparseGpt(w, [2, 3], { sparsity: 0.5, calibration: x, blockSize: 0 })), 'E_RANGE');
  assert.is(codeOf(() => pruneSparseGpt(w, [2, 3], { sparsity: 0.5, calibration: x, blockSize: 2.5 })), 'E_DTYPE');
  assert.is(codeOf(() => pruneSparseGpt(w, [2, 3], { sparsity: 0.5, calibration: x, dampening: -1 })), 'E_RANGE');
  assert.is(codeOf(() => pruneSparseGpt(w, [2, 3], { sparsity: 0.5, calibration: x, dampening: NaN })), 'E_RANGE');
  assert.is(codeOf(() => pruneSparseGpt(new Float32Array(8193), [1, 8193], { sparsity: 0.5, calibration: new Float32Array(8193) })), 'E_RANGE');
  // Two identical inputs make H singular; without dampening there is no inverse.
  const twins = Float32Array.from({ length: 12 }, (_, i) => Math.cos(i % 3 === 2 ? i - 2 : i)); // input 2 = input 0
  assert.is(codeOf(() => pruneSparseGpt(w, [2, 3], { sparsity: 0.5, calibration: twins, dampening: 0 })), 'E_RANGE');
  assert.is(codeOf(() => pruneSparseGpt(w, [2, 3], { sparsity: 0.5, calibration: twins })), 'no error');
});

sparsegpt('real face-api layers, correlated activations: output error SparseGPT < Wanda < magnitude at 50 % and 2:4', () => {
  const dir = 'node_modules/@vladmandic/face-api/model/';
  const manifest = JSON.parse(readFileSync(`${dir}face_recognition_model-weights_manifest.json`, 'utf8'));
  const file = readFileSync(`${dir}face_recognition_model.bin`);
  // The two smaller layers keep this test fast; bench/prune-quality.mjs adds the [256, 2304] conv.
  const records = runExperiment(lib, manifest, new Uint8Array(file.buffer, file.byteOffset, file.byteLength), { layers: LAYERS.slice(0, 2), batch: 256, heldOut: false });
  for (const layer of new Set(records.map((r) => r.layer))) {
    for (const target of ['50 %', '2:4']) {
      const error = (method: string) => records.find((r) => r.layer === layer && r.target === target && r.method === method)!.outputError;
      const [g, a, m] = [error('sparsegpt'), error('wanda'), error('magnitude')];
      assert.ok(g < a && a < m, `${layer} ${target}: sparsegpt ${g}, wanda ${a}, magnitude ${m}`);
    }
  }
  assert.ok(records.every((r) => r.sparsity === 0.5));
});

wanda.run();
sparsegpt.run();
