// N:M magnitude pruning, checked against a brute force over every n-subset of every group.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NM_PATTERNS, pruneNM } from '../src/index.js';
import { randomFloats } from './reference/linear.js';
import { codeOf } from './helpers/errors.js';
import { maskErrors } from './reference/prune.js';

const prune = suite('pruneNM');

/** Weights on a 1/8 grid so |w| ties are common and float64 sums of a few of them are exact. */
const tied = (length: number, seed: number) => Float32Array.from(randomFloats(length, seed), (v) => Math.round(v * 8) / 8);

/** a < b for ascending index lists of equal length, compared at their first difference. */
function lexLess(a: number[], b: number[]): boolean {
  const i = a.findIndex((p, j) => p !== b[j]);
  return i >= 0 && a[i] < b[i];
}

/**
 * Brute force: the kept set of a group is the n-subset (of its width positions) with the largest Σ|w|,
 * the lexicographically smallest such subset when several tie (= lower columns win ties).
 */
function bruteForceMask(w: Float32Array, rows: number, cols: number, n: number, m: number): Uint8Array {
  const mask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += m) {
      const width = Math.min(m, cols - c0);
      const size = Math.min(n, width);
      let best: number[] | undefined;
      let bestSum = -1;
      for (let bits = 0; bits < 1 << width; bits++) {
        const set = [...Array(width).keys()].filter((p) => bits & (1 << p));
        if (set.length !== size) continue;
        const sum = set.reduce((s, p) => s + Math.abs(w[r * cols + c0 + p]), 0);
        if (sum > bestSum || (sum === bestSum && lexLess(set, best!))) {
          best = set;
          bestSum = sum;
        }
      }
      for (const p of best ?? []) mask[r * cols + c0 + p] = 1;
    }
  }
  return mask;
}

prune('keeps exactly the n largest |w| of every group (ties: lower column), for every pattern and ragged widths', () => {
  for (const { n, m } of NM_PATTERNS) {
    for (const [rows, cols] of [[7, 16], [5, 13], [3, 1], [4, 9], [0, 3]] as const) {
      const w = tied(rows * cols, rows * 100 + cols + n * m);
      const { mask, format, sparsity } = pruneNM(w, [rows, cols], { n, m });
      assert.equal(mask, bruteForceMask(w, rows, cols, n, m), `${n}:${m} [${rows}, ${cols}]`);
      assert.equal(format.toDense(), Float32Array.from(w, (v, i) => (mask[i] ? v : 0)));
      assert.equal([format.n, format.m], [n, m]);
      const kept = mask.reduce((s, k) => s + k, 0);
      assert.is(sparsity, mask.length ? (mask.length - kept) / mask.length : 0);
    }
  }
});

prune('weight and output errors match a direct float64 computation', () => {
  const rows = 6, cols = 12, batch = 3;
  const w = randomFloats(rows * cols, 6);
  const x = randomFloats(batch * cols, 7);
  const { mask, weightError, outputError } = pruneNM(w, [rows, cols], { n: 2, m: 4, calibration: x });
  assert.is(mask.reduce((s, k) => s + k, 0), rows * cols / 2);
  const expected = maskErrors(w, mask, x, rows, cols);
  assert.ok(Math.abs(weightError - expected.weightError) < 1e-12);
  assert.ok(Math.abs(outputError! - expected.outputError) < 1e-12);
  assert.is(pruneNM(w, [rows, cols], { n: 2, m: 4 }).outputError, undefined);
});

prune('bad arguments → typed errors', () => {
  const w = new Float32Array(8);
  assert.is(codeOf(() => pruneNM(w, [2, 4], { n: 3, m: 4 })), 'E_UNSUPPORTED');
  assert.is(codeOf(() => pruneNM(w, [2, 4], { n: 0, m: 4 })), 'E_RANGE');
  assert.is(codeOf(() => pruneNM(w, [2, 4], undefined as never)), 'E_DTYPE');
  assert.is(codeOf(() => pruneNM(w, [3, 4], { n: 2, m: 4 })), 'E_SHAPE');
  assert.is(codeOf(() => pruneNM(new Float32Array([1, NaN, 0, 0]), [1, 4], { n: 2, m: 4 })), 'E_RANGE');
  assert.is(codeOf(() => pruneNM(w, [2, 4], { n: 2, m: 4, calibration: new Float32Array(3) })), 'E_SHAPE');
});

prune.run();
