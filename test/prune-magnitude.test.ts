// Magnitude pruning: exact keep counts, the largest magnitudes survive, and the reported errors
// agree with a direct computation from the returned mask.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pruneMagnitude } from '../src/index.js';
import { randomFloats } from './reference/linear.js';
import { codeOf } from './helpers/errors.js';
import { maskErrors } from './reference/prune.js';

const prune = suite('pruneMagnitude');
const count = (mask: Uint8Array, from = 0, to = mask.length) => mask.subarray(from, to).reduce((n, m) => n + m, 0);

prune('tensor scope keeps exactly round((1−s)·n) weights, none smaller than a pruned one', () => {
  const w = randomFloats(37 * 23, 4);
  for (const s of [0, 0.3, 0.5, 0.9, 0.99, 1]) {
    const { mask, format, sparsity } = pruneMagnitude(w, [37, 23], { sparsity: s });
    const kept = Math.round((1 - s) * w.length);
    assert.is(count(mask), kept);
    assert.is(sparsity, (w.length - kept) / w.length);
    let minKept = Infinity;
    let maxPruned = 0;
    w.forEach((v, i) => (mask[i] ? (minKept = Math.min(minKept, Math.abs(v))) : (maxPruned = Math.max(maxPruned, Math.abs(v)))));
    assert.ok(kept === 0 || kept === w.length || minKept >= maxPruned, `s=${s}: kept ${minKept} < pruned ${maxPruned}`);
    assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
  }
});

prune('row scope keeps the same count in every row', () => {
  const w = randomFloats(9 * 40, 5);
  const { mask } = pruneMagnitude(w, [9, 40], { sparsity: 0.75, scope: 'row' });
  for (let r = 0; r < 9; r++) assert.is(count(mask, r * 40, (r + 1) * 40), 10);
});

prune('weight and output errors match a direct float64 computation', () => {
  const rows = 6, cols = 10, batch = 4;
  const w = randomFloats(rows * cols, 6);
  const x = randomFloats(batch * cols, 7);
  const { mask, weightError, outputError } = pruneMagnitude(w, [rows, cols], { sparsity: 0.5, calibration: x });
  const expected = maskErrors(w, mask, x, rows, cols);
  assert.ok(Math.abs(weightError - expected.weightError) < 1e-12);
  assert.ok(Math.abs(outputError! - expected.outputError) < 1e-12);
  assert.is(pruneMagnitude(w, [rows, cols], { sparsity: 0, calibration: x }).outputError, 0);
  assert.ok(Math.abs(pruneMagnitude(w, [rows, cols], { sparsity: 1, calibration: x }).outputError! - 1) < 1e-12);
});

prune('bad arguments → typed errors', () => {
  const w = new Float32Array(6);
  assert.is(codeOf(() => pruneMagnitude(w, [2, 3], { sparsity: 1.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneMagnitude(w, [2, 3], { sparsity: NaN })), 'E_RANGE');
  assert.is(codeOf(() => pruneMagnitude(w, [2, 3], { sparsity: 0.5, scope: 'col' as never })), 'E_RANGE');
  assert.is(codeOf(() => pruneMagnitude(w, [2, 2], { sparsity: 0.5 })), 'E_SHAPE');
  assert.is(codeOf(() => pruneMagnitude([1, NaN], [1, 2], { sparsity: 0.5 })), 'E_RANGE');
  assert.is(codeOf(() => pruneMagnitude(w, [2, 3], { sparsity: 0.5, calibration: new Float32Array(4) })), 'E_SHAPE');
  assert.is(codeOf(() => pruneMagnitude(w, [2, 3], undefined as never)), 'E_RANGE');
});

prune.run();
