// Block magnitude pruning: exact block counts, the largest-L2-norm blocks survive (checked against a
// brute-force ranking), the format matches the mask, and the reported errors match a direct computation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BSR_BLOCK_SHAPES, pruneBlock } from '../src/index.js';
import { randomFloats } from './reference/linear.js';
import { codeOf } from './helpers/errors.js';
import { maskErrors } from './reference/prune.js';

const prune = suite('pruneBlock');

/** Kept-block flags by brute force: block b survives iff fewer than `keep` blocks outrank it
 *  (larger norm, or equal norm and lower index). Norms summed block by block, in float64. */
function bruteForceKeep(w: Float32Array, rows: number, cols: number, [r, c]: readonly [number, number], keep: number): boolean[] {
  const blockRows = Math.ceil(rows / r);
  const blockCols = Math.ceil(cols / c);
  const norms: number[] = [];
  for (let br = 0; br < blockRows; br++) {
    for (let bc = 0; bc < blockCols; bc++) {
      let s = 0;
      for (let i = br * r; i < Math.min(rows, br * r + r); i++) for (let j = bc * c; j < Math.min(cols, bc * c + c); j++) s += w[i * cols + j] * w[i * cols + j];
      norms.push(Math.sqrt(s));
    }
  }
  return norms.map((nb, b) => norms.filter((na, a) => na > nb || (na === nb && a < b)).length < keep);
}

prune('keeps exactly round((1−s)·blocks) blocks, and exactly the largest-norm ones', () => {
  for (const block of BSR_BLOCK_SHAPES) {
    for (const [rows, cols] of [[13, 19], [16, 24], [5, 3]] as const) {
      // Quantized weights make equal block norms (ties) common.
      const w = randomFloats(rows * cols, rows * cols + block[0]).map((v) => Math.round(v * 2) / 2);
      const total = Math.ceil(rows / block[0]) * Math.ceil(cols / block[1]);
      for (const s of [0, 0.5, 0.9, 0.99, 1]) {
        const keep = Math.round((1 - s) * total);
        const { format, mask, sparsity } = pruneBlock(w, [rows, cols], { block, sparsity: s });
        assert.is(format.nBlocks, keep, `${block} ${rows}×${cols} s=${s}`);
        const expected = bruteForceKeep(w, rows, cols, block, keep);
        const blockCols = Math.ceil(cols / block[1]);
        const stored = new Set<number>();
        for (let br = 0; br + 1 < format.blockRowPtr.length; br++) {
          for (let b = format.blockRowPtr[br]; b < format.blockRowPtr[br + 1]; b++) stored.add(br * blockCols + format.blockCol[b]);
        }
        assert.equal(expected.map((_, b) => stored.has(b)), expected, `${block} ${rows}×${cols} s=${s}: kept blocks`);
        // The mask is the union of the kept blocks, and the format holds w on it and 0 elsewhere.
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) assert.is(mask[i * cols + j], expected[Math.floor(i / block[0]) * blockCols + Math.floor(j / block[1])] ? 1 : 0);
        }
        assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
        const kept = mask.reduce((n, m) => n + m, 0);
        assert.is(sparsity, (rows * cols - kept) / (rows * cols));
      }
    }
  }
});

prune('weight and output errors match a direct float64 computation', () => {
  const rows = 8, cols = 12, batch = 3;
  const w = randomFloats(rows * cols, 6);
  const x = randomFloats(batch * cols, 7);
  const { mask, weightError, outputError } = pruneBlock(w, [rows, cols], { block: [4, 4], sparsity: 0.5, calibration: x });
  const expected = maskErrors(w, mask, x, rows, cols);
  assert.ok(Math.abs(weightError - expected.weightError) < 1e-12);
  assert.ok(Math.abs(outputError! - expected.outputError) < 1e-12);
  assert.ok(mask.some((m) => m === 0) && mask.some((m) => m === 1));
});

prune('bad arguments → typed errors', () => {
  const w = new Float32Array(16);
  assert.is(codeOf(() => pruneBlock(w, [4, 4], { block: [4, 4], sparsity: 1.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneBlock(w, [4, 4], { block: [4, 4], sparsity: NaN })), 'E_RANGE');
  assert.is(codeOf(() => pruneBlock(w, [4, 4], { block: [3, 4], sparsity: 0.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneBlock(w, [4, 4], { block: undefined as never, sparsity: 0.5 })), 'E_SHAPE');
  assert.is(codeOf(() => pruneBlock(w, [4, 5], { block: [4, 4], sparsity: 0.5 })), 'E_SHAPE');
  assert.is(codeOf(() => pruneBlock([1, NaN, 0, 0], [1, 4], { block: [1, 4], sparsity: 0.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneBlock(w, [4, 4], { block: [4, 4], sparsity: 0.5, calibration: new Float32Array(3) })), 'E_SHAPE');
  assert.is(codeOf(() => pruneBlock(w, [4, 4], undefined as never)), 'E_RANGE');
});

prune.run();
