// PowerPruning-style toggle model and weight restriction (issue 6 item 4; definitions in src/mac/power/*.ts):
// hand-computed toggle counts for 2-bit operands, provable identities on 8-bit tables (weight 0, weight
// complements, powers of two), histogram expectation = brute force over independent pairs, restriction
// properties, typed errors.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { restrictToLowToggle, toggleTable } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { rng } from './reference/int-group.js';
import { randomOperands } from './reference/mac-table.js';

const test = suite('mac switching-power model');
const SEED = 20261208;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
const hd = (a: number, b: number) => {
  let c = 0;
  for (let v = a ^ b; v; v &= v - 1) c++;
  return c;
};

test('2-bit, activations 1 → −2 (codes 01 → 10): counts by hand', () => {
  // operand: HD(01, 10) = 2 for every weight. PP: popcount(weight code) · 2. Product (4-bit two's complement):
  // w = 0: 0 → 0; w = 1: 0001 → 1110 (4); w = −2: 1110 → 0100 (2); w = −1: 1111 → 0010 (3).
  const t = toggleTable({ bits: 2, activations: Int8Array.from([1, -2]) });
  assert.equal(Array.from(t.operand), [2, 2, 2, 2]);
  assert.equal(Array.from(t.partialProducts), [0, 2, 2, 4]);
  assert.equal(Array.from(t.product), [0, 4, 2, 3]);
  assert.equal(Array.from(t.total), [2, 8, 6, 9]);
  // The same two values as a histogram: independent draws differ with probability 1/2, so every count halves.
  const h = toggleTable({ bits: 2, histogram: [0, 5, 5, 0] }); // codes 1 (value 1) and 2 (value −2)
  assert.equal(Array.from(h.total), [1, 4, 3, 4.5]);
  // Model costs weight the components.
  const m = toggleTable({ bits: 2, activations: Int8Array.from([1, -2]), model: { operand: 0, partialProducts: 2, product: 0.5 } });
  assert.equal(Array.from(m.total), [0, 6, 5, 9.5]);
  // Sign-magnitude: operand sign 0 → 1 plus |1| = 01 → |−2| = 10 (3); PP = popcount(|w|) · 2; product sign + 3-bit magnitude:
  // w = 1: +1 (0001) → −2 (1010): 3; w = −1: −1 (1001) → +2 (0010): 3; w = −2: −2 (1010) → +4 (0100): 3.
  const s = toggleTable({ bits: 2, activations: Int8Array.from([1, -2]), signedForm: 'sign-magnitude' });
  assert.equal(Array.from(s.operand), [3, 3, 3, 3]);
  assert.equal(Array.from(s.partialProducts), [0, 2, 2, 2]);
  assert.equal(Array.from(s.product), [0, 3, 3, 3]);
});

test('8-bit identities: weight 0 never toggles PP / product; PP(w) + PP(~w) = 8 · operand; powers of two', () => {
  const next = rng(SEED);
  const seq = randomOperands(5000, 8, next);
  const t = toggleTable({ activations: seq });
  let sign = 0;
  for (let i = 1; i < seq.length; i++) sign += Number((seq[i] < 0) !== (seq[i - 1] < 0));
  sign /= seq.length - 1;
  assert.is(t.partialProducts[0], 0);
  assert.is(t.product[0], 0);
  for (let c = 0; c < 256; c++) {
    close(t.operand[c], t.operand[0], 'operand is weight-independent');
    close(t.partialProducts[c] + t.partialProducts[255 - c], 8 * t.operand[0], `complement ${c}`);
  }
  // w = 2^s (s ≤ 6): the product is x shifted by s and sign-extended to 16 bits, so it toggles the 8 operand bits'
  // worth (HD of x) plus 8 − s extra copies of the sign bit.
  for (let s = 0; s <= 6; s++) close(t.product[1 << s], t.operand[0] + (8 - s) * sign, `weight ${1 << s}`);
  // The operand component is the mean HD of consecutive codes.
  let h = 0;
  for (let i = 1; i < seq.length; i++) h += hd(seq[i] & 255, seq[i - 1] & 255);
  close(t.operand[0], h / (seq.length - 1), 'operand mean');
});

test('histogram: exact expectation over independent pairs = brute force', () => {
  const next = rng(SEED + 1);
  const w = 3;
  const hist = Array.from({ length: 8 }, () => Math.floor(next() * 10));
  hist[3] = 0;
  const total = hist.reduce((a, b) => a + b, 0);
  const t = toggleTable({ bits: w, histogram: hist });
  const value = (c: number) => (c >= 4 ? c - 8 : c);
  for (let v = 0; v < 8; v++) {
    let e = 0;
    for (let c = 0; c < 8; c++) {
      for (let d = 0; d < 8; d++) {
        const p = (hist[c] / total) * (hist[d] / total);
        const pc = (value(c) * value(v)) & 63;
        const pd = (value(d) * value(v)) & 63;
        e += p * (hd(c, d) * (1 + hd(v, 0)) + hd(pc, pd));
      }
    }
    close(t.total[v], e, `weight code ${v}`);
  }
});

test('restrictToLowToggle: hand example, keep = all is the identity, outputs allowed and nearest', () => {
  // 2-bit table by code (values 0, 1, −2, −1): toggles 0, 5, 1, 3. keep 2 → {0, −2}. 1 → 0; −1 is equidistant
  // from 0 and −2 → the one with fewer toggles, 0; −2 stays.
  const r = restrictToLowToggle(Int8Array.from([1, -1, -2, 0]), { table: Float64Array.from([0, 5, 1, 3]), keep: 2 });
  assert.equal(Array.from(r.allowedValues), [-2, 0]);
  assert.equal(Array.from(r.weights), [0, 0, -2, 0]);
  assert.is(r.meanSquaredError, 0.5);
  assert.is(r.averageTogglesBefore, 9 / 4);
  assert.is(r.averageTogglesAfter, 1 / 4);
  assert.equal(Array.from(restrictToLowToggle(Int8Array.from([1, -1]), { table: Float64Array.from([0, 5, 1, 3]), maxToggles: 3 }).allowedValues), [-2, -1, 0]);

  const next = rng(SEED + 2);
  const table = toggleTable({ activations: randomOperands(3000, 8, next) });
  const weights = randomOperands(4000, 8, next);
  const all = restrictToLowToggle(weights, { table, keep: 256 });
  assert.equal(Array.from(all.weights), Array.from(weights));
  assert.is(all.meanSquaredError, 0);
  assert.is(all.averageTogglesAfter, all.averageTogglesBefore);
  for (const keep of [1, 5, 16, 64]) {
    const r = restrictToLowToggle(weights, { table, keep });
    const allowed = new Set(r.allowedValues);
    assert.is(allowed.size, keep);
    assert.ok(allowed.has(0));
    const worstKept = Math.max(...[...allowed].filter((v) => v !== 0).map((v) => table.total[v & 255]), 0);
    for (let v = -128; v < 128; v++) if (v !== 0 && !allowed.has(v)) assert.ok(table.total[v & 255] >= worstKept, `value ${v} should have been kept`);
    let se = 0;
    for (let i = 0; i < weights.length; i++) {
      const m = r.weights[i];
      assert.ok(allowed.has(m));
      for (const a of allowed) assert.ok((a - weights[i]) ** 2 >= (m - weights[i]) ** 2);
      se += (m - weights[i]) ** 2;
    }
    close(r.meanSquaredError, se / weights.length, 'mse');
    assert.ok(r.averageTogglesAfter <= r.averageTogglesBefore);
  }
});

test('bad parameters → BitsieveError', () => {
  assert.is(codeOf(() => toggleTable({ bits: 2 })), 'E_RANGE');
  assert.is(codeOf(() => toggleTable({ bits: 2, activations: Int8Array.from([1, 0]), histogram: [1, 1, 1, 1] })), 'E_RANGE');
  assert.is(codeOf(() => toggleTable({ bits: 9, histogram: [1] })), 'E_RANGE');
  assert.is(codeOf(() => toggleTable({ bits: 2, activations: Int8Array.from([1, 2]) })), 'E_RANGE');
  assert.is(codeOf(() => toggleTable({ bits: 2, activations: Int8Array.from([1]) })), 'E_SHAPE');
  assert.is(codeOf(() => toggleTable({ bits: 2, activations: Uint8Array.from([1, 2]) })), 'E_DTYPE');
  assert.is(codeOf(() => toggleTable({ bits: 2, histogram: [1, 1, 1] })), 'E_SHAPE');
  assert.is(codeOf(() => toggleTable({ bits: 2, histogram: [1, -1, 1, 1] })), 'E_RANGE');
  assert.is(codeOf(() => toggleTable({ bits: 2, histogram: [0, 0, 0, 0] })), 'E_RANGE');
  assert.is(codeOf(() => toggleTable({ bits: 2, histogram: [1, 1, 1, 1], model: { product: -1 } })), 'E_RANGE');
  const table = Float64Array.from([0, 5, 1, 3]);
  assert.is(codeOf(() => restrictToLowToggle(Int8Array.from([2]), { table, keep: 2 })), 'E_RANGE');
  assert.is(codeOf(() => restrictToLowToggle(Int8Array.from([1]), { table, keep: 5 })), 'E_RANGE');
  assert.is(codeOf(() => restrictToLowToggle(Int8Array.from([1]), { table })), 'E_RANGE');
  assert.is(codeOf(() => restrictToLowToggle(Int8Array.from([1]), { table: new Float64Array(3), keep: 1 })), 'E_SHAPE');
  assert.is(codeOf(() => restrictToLowToggle([1] as never, { table, keep: 1 })), 'E_DTYPE');
  assert.is(codeOf(() => restrictToLowToggle(Uint8Array.from([1]), { table: toggleTable({ bits: 2, histogram: [1, 1, 1, 1] }), keep: 1 })), 'E_DTYPE');
});

test.run();
