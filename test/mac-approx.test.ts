// Approximate multipliers / adders and their exhaustive error statistics (issue 6 item 3; definitions and sources
// in src/mac/approx/*.ts): bit-by-bit references (test/reference/mac-approx.ts) over every 8-bit pair, hand-made
// 2-bit golden tables, exact identities, error bounds, and EvoApproxLib's published MRE of two BAM circuits.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { approxAdder, approxMultiplier, errorStats, type MultiplierOptions } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { refLowerPartAdd, refMultiply } from './reference/mac-approx.js';

const test = suite('mac approximate units');

const table = (m: ReturnType<typeof approxMultiplier>) => {
  const rows: number[][] = [];
  for (let a = m.min; a <= m.max; a++) {
    const row: number[] = [];
    for (let b = m.min; b <= m.max; b++) row.push(m.multiply(a, b));
    rows.push(row);
  }
  return rows;
};

test('2-bit golden tables (PP terms written out by hand)', () => {
  // Signed 2-bit: terms +a0b0 (col 0), −a1b0 and −a0b1 (col 1), +4·a1b1 (col 2); rows/cols a, b = −2, −1, 0, 1.
  // columns = 2 keeps only 4·a1b1 (4 when both are negative).
  assert.equal(table(approxMultiplier({ kind: 'truncated', columns: 2, bits: 2 })), [
    [4, 4, 0, 0],
    [4, 4, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ]);
  // columns = 1 keeps 4·a1b1 − 2·a1b0 − 2·a0b1.
  assert.equal(table(approxMultiplier({ kind: 'truncated', columns: 1, bits: 2 })), [
    [4, 2, 0, -2],
    [2, 0, 0, -2],
    [0, 0, 0, 0],
    [-2, -2, 0, 0],
  ]);
  // Unsigned BAM hbl = 1: only row b1 survives, product = 2·a·b1 (a, b = 0..3).
  assert.equal(table(approxMultiplier({ kind: 'bam', hbl: 1, vbl: 0, bits: 2, signed: false })), [
    [0, 0, 0, 0],
    [0, 0, 2, 2],
    [0, 0, 4, 4],
    [0, 0, 6, 6],
  ]);
  // Unsigned 2-bit LOA, l = 1 (3-bit adder): bit 0 = a0|b0, carry a0&b0 into the exact upper bit.
  const loa = approxAdder({ kind: 'loa', lowerBits: 1, bits: 2, signed: false });
  const sums = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].map((b) => loa.add(a, b)));
  assert.equal(sums, [
    [0, 1, 2, 3],
    [1, 3, 3, 5],
    [2, 3, 4, 5],
    [3, 5, 5, 7],
  ]);
});

test('2-bit golden error statistics (hand-computed from the tables above)', () => {
  // Truncated, columns 2: errors (approx − exact) 2,2,2,3,1,2,1,−1 on 8 of 16 pairs; 9 pairs with exact ≠ 0,
  // relative errors summing to 10.
  const t = errorStats(approxMultiplier({ kind: 'truncated', columns: 2, bits: 2 }));
  assert.equal([t.pairs, t.meanError, t.meanAbsoluteError, t.maxAbsoluteError, t.errorRate, t.zeroExactPairs], [16, 12 / 16, 14 / 16, 3, 0.5, 7]);
  assert.ok(Math.abs(t.meanRelativeError - 10 / 9) < 1e-12);
  // LOA l = 1: +1 on (1,1), (1,3), (3,1), (3,3); relative 1/2 + 1/4 + 1/4 + 1/6 over the 15 pairs with a + b ≠ 0.
  const l = errorStats(approxAdder({ kind: 'loa', lowerBits: 1, bits: 2, signed: false }));
  assert.equal([l.pairs, l.meanError, l.meanAbsoluteError, l.maxAbsoluteError, l.errorRate, l.zeroExactPairs], [16, 0.25, 0.25, 1, 0.25, 1]);
  assert.ok(Math.abs(l.meanRelativeError - 7 / 90) < 1e-12);
  assert.ok(Math.abs(l.normalizedMeanErrorDistance - 0.25 / 6) < 1e-12);
});

const forms = [
  { signed: false, signedForm: 'baugh-wooley', ref: 'unsigned' },
  { signed: true, signedForm: 'baugh-wooley', ref: 'baugh-wooley' },
  { signed: true, signedForm: 'sign-magnitude', ref: 'sign-magnitude' },
] as const;

test('multiply = bit-by-bit PP reference on every 8-bit pair (truncated, corrected, BAM; every signed form)', () => {
  const specs: MultiplierOptions[] = [
    { kind: 'exact' },
    { kind: 'truncated', columns: 6 },
    { kind: 'truncated', columns: 9, correction: 100 },
    { kind: 'bam', hbl: 3, vbl: 7 },
    { kind: 'bam', hbl: 5, vbl: 2 },
  ];
  for (const f of forms) {
    for (const spec of specs) {
      const m = approxMultiplier({ ...spec, signed: f.signed, signedForm: f.signedForm });
      const ref = { ...spec, correction: spec.kind === 'truncated' && typeof spec.correction === 'number' ? spec.correction : 0 } as Parameters<typeof refMultiply>[0];
      for (let a = m.min; a <= m.max; a++) {
        for (let b = m.min; b <= m.max; b++) {
          const want = refMultiply(ref, 8, f.ref, a, b);
          if (m.multiply(a, b) !== want) assert.unreachable(`${f.ref} ${JSON.stringify(spec)} (${a}, ${b}): ${m.multiply(a, b)} ≠ ${want}`);
        }
      }
    }
  }
});

test('adders = ripple-carry reference on every 8-bit pair (LOA with / without AND carry, truncated)', () => {
  for (const signed of [true, false]) {
    for (const [spec, lower, carry] of [
      [{ kind: 'loa', lowerBits: 3 }, 'or', 'and'],
      [{ kind: 'loa', lowerBits: 5, carryIn: 'none' }, 'or', 'none'],
      [{ kind: 'truncated', lowerBits: 4 }, 'zero', 'none'],
      [{ kind: 'loa', lowerBits: 9 }, 'or', 'and'],
    ] as const) {
      const u = approxAdder({ ...spec, signed });
      for (let a = u.min; a <= u.max; a++) {
        for (let b = u.min; b <= u.max; b++) {
          const want = refLowerPartAdd(a, b, 9, spec.lowerBits, lower, carry, signed);
          if (u.add(a, b) !== want) assert.unreachable(`${JSON.stringify(spec)} signed ${signed} (${a}, ${b}): ${u.add(a, b)} ≠ ${want}`);
        }
      }
    }
  }
});

test('identities: exact units, truncation 0, BAM (0, 0), LOA 0 → all statistics zero; BAM(0, t) = truncation t', () => {
  const zero = (s: ReturnType<typeof errorStats>) => [s.meanError, s.meanAbsoluteError, s.maxAbsoluteError, s.meanRelativeError, s.errorRate].every((v) => v === 0);
  for (const f of forms) {
    const o = { signed: f.signed, signedForm: f.signedForm };
    for (const spec of [{ kind: 'exact' }, { kind: 'truncated', columns: 0 }, { kind: 'bam', hbl: 0, vbl: 0 }] as const) {
      const s = errorStats(approxMultiplier({ ...spec, ...o }));
      assert.ok(zero(s), `${f.ref} ${spec.kind}`);
      assert.is(s.pairs, 65536);
    }
    for (const t of [3, 8, 12]) {
      const a = approxMultiplier({ kind: 'bam', hbl: 0, vbl: t, ...o }).productTable();
      const b = approxMultiplier({ kind: 'truncated', columns: t, ...o }).productTable();
      assert.equal(a, b);
    }
  }
  for (const signed of [true, false]) {
    for (const spec of [{ kind: 'exact' }, { kind: 'loa', lowerBits: 0 }, { kind: 'truncated', lowerBits: 0 }] as const) {
      assert.ok(zero(errorStats(approxAdder({ ...spec, signed }))));
    }
  }
});

test('truncation: |error| ≤ Σ removed terms; unsigned mean error = −Σ removed / 4 exactly; MAE grows with t', () => {
  let previous = 0;
  for (let t = 0; t <= 16; t++) {
    let removed = 0; // Σ over removed (i, j) of 2^(i+j)
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) if (i + j < t) removed += 2 ** (i + j);
    const u = errorStats(approxMultiplier({ kind: 'truncated', columns: t, signed: false }));
    assert.ok(u.maxAbsoluteError <= removed, `t ${t}`);
    assert.is(u.meanError, -removed / 4); // every operand bit is 1 in half the pairs, independently
    assert.ok(u.meanAbsoluteError >= previous);
    previous = u.meanAbsoluteError;
    const s = errorStats(approxMultiplier({ kind: 'truncated', columns: t }));
    assert.ok(s.maxAbsoluteError <= removed, `signed t ${t}`);
    // 'expected' correction: the remaining bias is at most half a unit of the lowest kept column.
    const c = errorStats(approxMultiplier({ kind: 'truncated', columns: t, signed: false, correction: 'expected' }));
    assert.ok(Math.abs(c.meanError) <= 2 ** (t - 1), `corrected t ${t}`);
  }
});

test('sign-magnitude = sign · unsigned core on |a|, |b|', () => {
  const spec = { kind: 'bam', hbl: 2, vbl: 6 } as const;
  const sm = approxMultiplier({ ...spec, signedForm: 'sign-magnitude' });
  const u = approxMultiplier({ ...spec, signed: false });
  for (let a = -128; a < 128; a++) {
    for (let b = -128; b < 128; b++) {
      const m = u.multiply(Math.abs(a), Math.abs(b));
      if (sm.multiply(a, b) !== ((a < 0) !== (b < 0) ? -m : m) + 0) assert.unreachable(`(${a}, ${b})`);
    }
  }
});

test('productTable[code(a)][code(b)] = multiply(a, b)', () => {
  const m = approxMultiplier({ kind: 'bam', hbl: 1, vbl: 5, bits: 4 });
  const t = m.productTable();
  assert.is(t.length, 256);
  for (let a = -8; a < 8; a++) for (let b = -8; b < 8; b++) assert.is(t[(a & 15) * 16 + (b & 15)], m.multiply(a, b));
});

test("Kulkarni 2×2 blocks: golden 2-bit table and stats; 8-bit = exact − 2·Σ 4^(i+j) over digit pairs (3, 3)", () => {
  const k2 = approxMultiplier({ kind: 'kulkarni', bits: 2, signed: false });
  assert.equal(table(k2), [
    [0, 0, 0, 0],
    [0, 1, 2, 3],
    [0, 2, 4, 6],
    [0, 3, 6, 7],
  ]);
  // One wrong pair of 16 (3·3 = 7, error −2); relative 2/9 over the 9 pairs with a·b ≠ 0.
  const s = errorStats(k2);
  assert.equal([s.meanError, s.meanAbsoluteError, s.maxAbsoluteError, s.errorRate, s.zeroExactPairs], [-2 / 16, 2 / 16, 2, 1 / 16, 7]);
  assert.ok(Math.abs(s.meanRelativeError - 2 / 81) < 1e-15);
  const k8 = approxMultiplier({ kind: 'kulkarni', signed: false });
  for (let a = 0; a < 256; a++) {
    for (let b = 0; b < 256; b++) {
      let e = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (((a >> (2 * i)) & 3) === 3 && ((b >> (2 * j)) & 3) === 3) e += 2 * 4 ** (i + j);
      if (k8.multiply(a, b) !== a * b - e) assert.unreachable(`(${a}, ${b})`);
    }
  }
  // Wrong iff both operands hold a digit 3: P = (1 − (3/4)^4)^2.
  assert.is(errorStats(k8).errorRate, (175 / 256) ** 2);
  const sm = approxMultiplier({ kind: 'kulkarni', signedForm: 'sign-magnitude' });
  assert.is(sm.multiply(-3, 3), -7);
  assert.is(sm.multiply(-128, -128), 16384);
  assert.is(codeOf(() => approxMultiplier({ kind: 'kulkarni' })), 'E_UNSUPPORTED');
  assert.is(codeOf(() => approxMultiplier({ kind: 'kulkarni', bits: 5, signed: false })), 'E_RANGE');
});

test('literature: EvoApproxLib BAM mean relative errors (names encode MRE in %)', () => {
  // mul8s_pwr_0_024_mre_147_6305: "Broken Array Multiplier Signed(bw=8,v=11,h=6)"; its h cuts rows of the other
  // operand, which leaves the exhaustive statistics unchanged (the pair set is symmetric, a·b = b·a).
  const s = errorStats(approxMultiplier({ kind: 'bam', hbl: 6, vbl: 11 }));
  assert.is(Math.round(s.meanRelativeError * 1e6) / 1e4, 147.6305);
  // mul12u_pwr_0_045_mre_34_9458: "Broken Array Multiplier(bw=12,v=18,h=9)", 2^24 pairs.
  const u = errorStats(approxMultiplier({ kind: 'bam', hbl: 9, vbl: 18, bits: 12, signed: false }));
  assert.is(Math.round(u.meanRelativeError * 1e6) / 1e4, 34.9458);
});

test('bad parameters → BitsieveError', () => {
  assert.is(codeOf(() => approxMultiplier({ kind: 'bam', hbl: 9, vbl: 0 })), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'truncated', columns: 17 })), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'truncated', columns: 2, bits: 13 })), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'nope' } as never)), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'truncated', columns: 2, correction: 'some' as never })), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'exact', signedForm: 'ones' as never })), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'exact' }).multiply(128, 1)), 'E_RANGE');
  assert.is(codeOf(() => approxMultiplier({ kind: 'exact', signed: false }).multiply(-1, 1)), 'E_RANGE');
  assert.is(codeOf(() => approxAdder({ kind: 'loa', lowerBits: 10 })), 'E_RANGE');
  assert.is(codeOf(() => approxAdder({ kind: 'loa', lowerBits: 2, carryIn: 'or' as never })), 'E_RANGE');
  assert.is(codeOf(() => approxAdder({ kind: 'exact' }).add(0.5, 1)), 'E_RANGE');
  assert.is(codeOf(() => errorStats({} as never)), 'E_DTYPE');
});

test.run();
