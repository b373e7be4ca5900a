// bs.mac.approxLinear against a plain loop over the bit-by-bit references of test/reference/mac-approx.ts:
// every multiplier kind and signed form, no adder (exact sum) and every adder (exact / LOA with and without the
// AND carry / truncated) on accumulators of 32 and of a few bits (so the register wraps), output tails
// (out % 4 ≠ 0), batch 1 and > 1, operand widths 4 and 8, every build; typed errors; no heap leaks.
import * as assert from 'uvu/assert';
import type { AdderSpec, MultiplierOptions } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { refLowerPartAdd, refMultiply, type RefMultiplier } from './reference/mac-approx.js';
import { randomOperands } from './reference/mac-table.js';

const SEED = 20261207;

/** The reference multiplier of a spec; 'expected' correction re-derived: Σ removed signed terms / 4, rounded half-up to 2^t. */
function refOf(spec: MultiplierOptions, w: number): (a: number, b: number) => number {
  const form = spec.signedForm === 'sign-magnitude' ? 'sign-magnitude' : 'baugh-wooley';
  let ref: RefMultiplier = spec.kind === 'truncated' ? { kind: 'truncated', columns: spec.columns, correction: 0 } : (spec as RefMultiplier);
  if (spec.kind === 'truncated' && spec.correction === 'expected') {
    let e = 0;
    for (let i = 0; i < w; i++) for (let j = 0; j < w; j++) if (i + j < spec.columns) e += (form === 'baugh-wooley' && (i === w - 1) !== (j === w - 1) ? -1 : 1) * 2 ** (i + j) / 4;
    ref = { kind: 'truncated', columns: spec.columns, correction: Math.floor(e / 2 ** spec.columns + 0.5) * 2 ** spec.columns };
  }
  return (a, b) => refMultiply(ref, w, form, a, b);
}

function gemmRef(mul: (a: number, b: number) => number, adder: AdderSpec | undefined, accBits: number, x: Int8Array, weights: Int8Array, batch: number, out: number, k: number): number[] {
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let acc = 0;
      for (let i = 0; i < k; i++) {
        const p = mul(x[b * k + i], weights[o * k + i]);
        if (!adder) acc += p;
        else if (adder.kind === 'exact') acc = refLowerPartAdd(acc, p, accBits, 0, 'or', 'none', true);
        else if (adder.kind === 'loa') acc = refLowerPartAdd(acc, p, accBits, adder.lowerBits, 'or', adder.carryIn ?? 'and', true);
        else acc = refLowerPartAdd(acc, p, accBits, adder.lowerBits, 'zero', 'none', true);
      }
      y.push(acc);
    }
  }
  return y;
}

const multipliers: [number, MultiplierOptions][] = [
  [8, { kind: 'exact' }],
  [8, { kind: 'truncated', columns: 6 }],
  [8, { kind: 'truncated', columns: 9, correction: 'expected' }],
  [8, { kind: 'bam', hbl: 3, vbl: 7 }],
  [8, { kind: 'bam', hbl: 2, vbl: 6, signedForm: 'sign-magnitude' }],
  [8, { kind: 'kulkarni', signedForm: 'sign-magnitude' }],
  [4, { kind: 'truncated', columns: 3, bits: 4 }],
];
const adders: [AdderSpec | undefined, number][] = [
  [undefined, 32],
  [{ kind: 'exact' }, 32],
  [{ kind: 'exact' }, 17],
  [{ kind: 'loa', lowerBits: 4 }, 32],
  [{ kind: 'loa', lowerBits: 6, carryIn: 'none' }, 20],
  [{ kind: 'loa', lowerBits: 16 }, 18],
  [{ kind: 'truncated', lowerBits: 3 }, 24],
];
const shapes = [[1, 1, 1], [5, 13, 1], [7, 33, 3], [9, 130, 2]] as const;

eachVariant('mac.approxLinear', (test) => {
  test('every multiplier × adder × shape equals the plain loop of the references', ({ bs }) => {
    const next = rng(SEED);
    const before = bs.heap.inUseBytes;
    let cases = 0;
    for (const [w, spec] of multipliers) {
      const mul = refOf(spec, w);
      for (const [adder, accBits] of adders) {
        if (w === 4 && adder && accBits > 24) continue; // keep the 4-bit runs short
        for (const [out, k, batch] of shapes) {
          const weights = randomOperands(out * k, w, next);
          const x = randomOperands(batch * k, w, next);
          using layer = bs.mac.approxLinear(weights, [out, k], adder ? { multiplier: spec, adder, accumulatorBits: accBits } : { multiplier: spec });
          const y = layer.forward(x, batch);
          const want = gemmRef(mul, adder, accBits, x, weights, batch, out, k);
          assert.equal(Array.from(y), want, `${JSON.stringify(spec)} ${JSON.stringify(adder)} acc ${accBits} ${out}×${k} batch ${batch}`);
          cases++;
        }
      }
    }
    assert.ok(cases > 150);
    assert.is(bs.heap.inUseBytes, before);
  });

  test('wrapping accumulator really wraps; exact adder at 32 bits = exact sum; forward reusable', ({ bs }) => {
    const next = rng(SEED + 1);
    const [out, k] = [6, 300];
    const weights = randomOperands(out * k, 8, next).map((v) => (v < 0 ? -128 : 127));
    const x = randomOperands(2 * k, 8, next).map((v) => (v < 0 ? -128 : 127));
    using exact = bs.mac.approxLinear(weights, [out, k], { multiplier: { kind: 'exact' } });
    using wide = bs.mac.approxLinear(weights, [out, k], { multiplier: { kind: 'exact' }, adder: { kind: 'exact' } });
    using narrow = bs.mac.approxLinear(weights, [out, k], { multiplier: { kind: 'exact' }, adder: { kind: 'exact' }, accumulatorBits: 20 });
    for (let rep = 0; rep < 2; rep++) {
      const a = exact.forward(x, 2);
      assert.equal(Array.from(wide.forward(x, 2)), Array.from(a));
      const n = narrow.forward(x, 2);
      assert.ok(a.some((v) => Math.abs(v) >= 2 ** 19), 'some sum exceeds 20 bits');
      assert.equal(Array.from(n), Array.from(a).map((v) => (((v % 2 ** 20) + 2 ** 20 + 2 ** 19) % 2 ** 20) - 2 ** 19));
    }
  });

  test('bad parameters → BitsieveError, nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const w = new Int8Array(12);
    assert.is(codeOf(() => bs.mac.approxLinear(w, [3, 4], { multiplier: { kind: 'exact', signed: false } })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.mac.approxLinear(w, [3, 4], { multiplier: { kind: 'exact', bits: 10 } })), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.approxLinear(w, [3, 4], { multiplier: { kind: 'exact' }, adder: { kind: 'exact' }, accumulatorBits: 15 })), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.approxLinear(w, [3, 4], { multiplier: { kind: 'exact' }, adder: { kind: 'loa', lowerBits: 32 } })), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.approxLinear(w, [3, 4], { multiplier: { kind: 'exact' }, accumulatorBits: 20 })), 'E_RANGE');
    assert.is(codeOf(() => bs.mac.approxLinear(w, [3, 5], { multiplier: { kind: 'exact' } })), 'E_SHAPE');
    assert.is(codeOf(() => bs.mac.approxLinear(new Uint8Array(12) as never, [3, 4], { multiplier: { kind: 'exact' } })), 'E_DTYPE');
    using layer = bs.mac.approxLinear(new Int8Array(12), [3, 4], { multiplier: { kind: 'truncated', columns: 2, bits: 4 }, adder: { kind: 'loa', lowerBits: 2 } });
    assert.is(codeOf(() => layer.forward(Int8Array.from([8, 0, 0, 0]))), 'E_RANGE');
    assert.is(codeOf(() => layer.forward(new Int8Array(5))), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward(new Int8Array(4), 0)), 'E_RANGE');
    layer.dispose();
    assert.is(codeOf(() => layer.forward(new Int8Array(4))), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before);
  });
});
