// pruneDarb: the k_r budget is met exactly, each block keeps its k_r largest weights (brute force),
// denser rows get more, and the reported errors match a direct computation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pruneDarb } from '../src/index.js';
import { randomFloats } from './reference/linear.js';
import { codeOf } from './helpers/errors.js';

const prune = suite('pruneDarb');

const rowCount = (k: number, cols: number, b: number) => Math.floor(cols / b) * k + Math.min(k, cols % b);

prune('Σ k_r = round((1−s)·out·b) exactly and the mask holds exactly the implied count', () => {
  for (const [out, inF, b] of [[37, 64, 8], [20, 50, 16], [9, 13, 4], [5, 300, 128], [64, 256, 2]] as const) {
    const w = randomFloats(out * inF, out + inF);
    for (const s of [0, 0.3, 0.5, 0.9, 0.95, 0.99, 1]) {
      const { format, mask, sparsity } = pruneDarb(w, [out, inF], { blockSize: b, sparsity: s });
      const keep = [...format.keep];
      assert.is(keep.reduce((a, k) => a + k, 0), Math.round((1 - s) * out * b), `${out}×${inF} b${b} s${s}`);
      assert.ok(keep.every((k) => k <= b));
      const kept = keep.reduce((a, k) => a + rowCount(k, inF, b), 0);
      assert.is(mask.reduce((a, m) => a + m, 0), kept);
      assert.is(format.nnz, kept);
      assert.is(sparsity, (out * inF - kept) / (out * inF));
      if (inF % b === 0) assert.is(kept, (inF / b) * Math.round((1 - s) * out * b));
    }
  }
});

prune('every block keeps exactly its k_r largest |w| (brute force), and toDense is w masked', () => {
  const out = 23, inF = 45, b = 8;
  const w = randomFloats(out * inF, 7);
  const { format, mask } = pruneDarb(w, [out, inF], { blockSize: b, sparsity: 0.8 });
  for (let r = 0; r < out; r++) {
    for (let c0 = 0; c0 < inF; c0 += b) {
      const idx = Array.from({ length: Math.min(b, inF - c0) }, (_, o) => r * inF + c0 + o);
      const kept = idx.filter((i) => mask[i]);
      assert.is(kept.length, Math.min(format.keep[r], idx.length));
      for (const i of kept) for (const j of idx) if (!mask[j]) assert.ok(Math.abs(w[i]) >= Math.abs(w[j]), `row ${r} block ${c0}`);
    }
  }
  assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
});

prune('density adaptation: rows that are denser after irregular pruning keep more per block', () => {
  const out = 16, inF = 128, b = 16;
  const w = randomFloats(out * inF, 8);
  // Rows 0..3 carry 10× larger weights: irregular magnitude pruning keeps almost only them.
  for (let r = 0; r < 4; r++) for (let c = 0; c < inF; c++) w[r * inF + c] *= 10;
  const { format } = pruneDarb(w, [out, inF], { blockSize: b, sparsity: 0.85 });
  const heavy = Math.min(...format.keep.subarray(0, 4));
  const light = Math.max(...format.keep.subarray(4));
  assert.ok(heavy > light, `heavy rows keep ${heavy}, light rows ${light}`);
  assert.ok(heavy <= b);
});

prune('weight and output errors match a direct float64 computation', () => {
  const rows = 6, cols = 24, batch = 4;
  const w = randomFloats(rows * cols, 6);
  const x = randomFloats(batch * cols, 7);
  const { mask, weightError, outputError } = pruneDarb(w, [rows, cols], { blockSize: 8, sparsity: 0.5, calibration: x });
  let removed = 0, total = 0;
  w.forEach((v, i) => { total += v * v; if (!mask[i]) removed += v * v; });
  assert.ok(Math.abs(weightError - Math.sqrt(removed / total)) < 1e-12);
  let num = 0, den = 0;
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < rows; o++) {
      let y = 0, yp = 0;
      for (let k = 0; k < cols; k++) { y += x[n * cols + k] * w[o * cols + k]; if (mask[o * cols + k]) yp += x[n * cols + k] * w[o * cols + k]; }
      num += (y - yp) ** 2;
      den += y * y;
    }
  }
  assert.ok(Math.abs((outputError ?? NaN) - Math.sqrt(num / den)) < 1e-12);
});

prune('bad options → codes', () => {
  const w = randomFloats(8, 1);
  assert.is(codeOf(() => pruneDarb(w, [2, 4], { blockSize: 3, sparsity: 0.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneDarb(w, [2, 4], { blockSize: 4, sparsity: 1.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneDarb(w, [2, 4], { blockSize: 4.5, sparsity: 0.5 })), 'E_DTYPE');
  assert.is(codeOf(() => pruneDarb(w, [3, 4], { blockSize: 4, sparsity: 0.5 })), 'E_SHAPE');
  assert.is(codeOf(() => pruneDarb(Float32Array.from([NaN, 0, 0, 0]), [1, 4], { blockSize: 4, sparsity: 0.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneDarb(w, [2, 4], { blockSize: 4, sparsity: 0.5, calibration: new Float32Array(3) })), 'E_SHAPE');
});

prune.run();
