// SC number sources (sc_encoded_mac.md §1, golden vectors §(a) A.1, A.3): LFSR sequences of every form against
// the spec's literals and an independent stage-array reference, periods by brute force for widths 4–20, the
// maximal-tap check, insertZero permutations, phases and views; Sobol against §1.3's literals, the spec's
// recurrence and SciPy's Joe–Kuo Sobol; van der Corput, ramp, xoshiro128**; bad parameters → BitsieveError.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { haltonBase, isMaximal, lfsr, lfsrPhaseOf, maximalTaps, ramp, sobol, sobolDirections, uniform, vanDerCorput, Xoshiro128, type LfsrForm } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { refLfsr, refSobolSpec } from './reference/sc-sources.js';

const SEED = 20261201;
const FORMS: LfsrForm[] = ['fibonacci-xor', 'fibonacci-xnor', 'galois'];
const test = suite('sc sources');

test('A.1 LFSR state sequences (literals from the spec)', () => {
  const seq = (o: Parameters<typeof lfsr>[0], n: number) => Array.from(lfsr({ ...o, length: n }).values);
  assert.equal(seq({ width: 8 }, 16), [1, 2, 4, 8, 17, 35, 71, 142, 28, 56, 113, 226, 196, 137, 18, 37]);
  assert.equal(lfsr({ width: 8, length: 256 }).values[255], 1);
  const xnor = lfsr({ width: 8, form: 'fibonacci-xnor' }).values;
  assert.equal(Array.from(xnor.subarray(0, 16)), [0, 1, 3, 7, 15, 30, 61, 122, 244, 232, 208, 161, 67, 135, 14, 28]);
  assert.not.ok(xnor.includes(255));
  assert.equal(seq({ width: 8, form: 'galois' }, 16), [1, 184, 92, 46, 23, 179, 225, 200, 100, 50, 25, 180, 90, 45, 174, 87]);
  assert.equal(seq({ width: 10 }, 12), [1, 2, 4, 8, 16, 32, 64, 129, 258, 516, 9, 18]);
  assert.equal(seq({ width: 10, form: 'galois' }, 12), [1, 576, 288, 144, 72, 36, 18, 9, 580, 290, 145, 520]);
  assert.equal(seq({ width: 12 }, 12), [1, 3, 7, 15, 30, 61, 123, 247, 494, 988, 1977, 3955]);
  assert.equal(seq({ width: 12, form: 'galois' }, 12), [1, 2089, 3133, 3639, 3890, 1945, 3045, 3547, 3780, 1890, 945, 2545]);
  assert.equal(seq({ width: 16 }, 16), [0x1, 0x2, 0x4, 0x8, 0x11, 0x22, 0x44, 0x88, 0x111, 0x222, 0x444, 0x888, 0x1111, 0x2223, 0x4446, 0x888d]);
  assert.equal(seq({ width: 16, form: 'galois' }, 8), [0x1, 0xd008, 0x6804, 0x3402, 0x1a01, 0xdd08, 0x6e84, 0x3742]);
  assert.equal(seq({ width: 32 }, 10), [0x1, 0x3, 0x6, 0xd, 0x1b, 0x36, 0x6d, 0xdb, 0x1b6, 0x36d]);
  assert.equal(seq({ width: 32, form: 'galois' }, 8), [0x1, 0x80200003, 0xc0300002, 0x60180001, 0xb02c0003, 0xd8360002, 0x6c1b0001, 0xb62d8003]);
});

test('XAPP052 taps: the §1.2 table entries', () => {
  assert.equal(maximalTaps(8), [8, 6, 5, 4]);
  assert.equal(maximalTaps(10), [10, 7]);
  assert.equal(maximalTaps(12), [12, 6, 4, 1]);
  assert.equal(maximalTaps(16), [16, 15, 13, 4]);
  assert.equal(maximalTaps(32), [32, 22, 2, 1]);
});

test('periods: every width 4–20, every form, brute force = 2^n − 1 (2^n with insertZero, a permutation)', () => {
  for (let n = 4; n <= 20; n++) {
    for (const form of FORMS) {
      const p = 2 ** n - 1;
      const v = lfsr({ width: n, form, length: p + 1 }).values;
      assert.is(v[p], v[0], `width ${n} ${form}: state after 2^n − 1 steps`);
      const seen = new Uint8Array(2 ** n);
      for (let t = 0; t < p; t++) seen[v[t]]++;
      const lock = form === 'fibonacci-xnor' ? 2 ** n - 1 : 0;
      assert.is(seen[lock], 0, `width ${n} ${form}: lock-up state visited`);
      assert.ok(seen.every((c, s) => c === (s === lock ? 0 : 1)), `width ${n} ${form}: every other state once`);
      if (n <= 16) {
        const z = lfsr({ width: n, form, insertZero: true }).values;
        assert.is(z.length, 2 ** n);
        const all = new Uint8Array(2 ** n);
        for (const s of z) all[s]++;
        assert.ok(all.every((c) => c === 1), `width ${n} ${form}: insertZero is a permutation of 0..2^n − 1`);
      }
    }
  }
});

test('maximal taps: algebraic check holds for 4–32, agrees with brute force on random taps (widths 4–12)', () => {
  for (let n = 4; n <= 32; n++) assert.ok(isMaximal(n, maximalTaps(n)), `width ${n}`);
  assert.not.ok(isMaximal(8, [8, 4, 3, 1])); // x^8+x^4+x^3+x+1: irreducible (AES) but of order 51
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 12 }), fc.integer({ min: 0, max: 2 ** 11 - 1 }), (n, pick) => {
      const taps = [n, ...Array.from({ length: n - 1 }, (_, k) => k + 1).filter((k) => (pick >> (k - 1)) & 1)];
      const v = lfsr({ width: n, taps, allowNonMaximal: true }).values; // default length = measured period
      return isMaximal(n, taps) === (v.length === 2 ** n - 1);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('every form and width matches the stage-array reference (random taps, seeds, lengths)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 32 }), fc.constantFrom(...FORMS), fc.integer({ min: 1, max: 2 ** 32 - 2 }), fc.integer({ min: 1, max: 300 }), (n, form, raw, len) => {
      const seed = form === 'fibonacci-xnor' ? raw % (2 ** n - 1) : 1 + (raw % (2 ** n - 1));
      const got = Array.from(lfsr({ width: n, form, seed, length: len }).values);
      return JSON.stringify(got) === JSON.stringify(refLfsr(n, maximalTaps(n), form, seed, len));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('insertZero splices the lock-up state where documented', () => {
  const fib = Array.from(lfsr({ width: 4, insertZero: true }).values);
  const next = (seq: number[], s: number, k: number) => seq[(seq.indexOf(s) + k) % seq.length];
  assert.equal([next(fib, 8, 1), next(fib, 8, 2)], [0, 1]);
  const xn = Array.from(lfsr({ width: 4, form: 'fibonacci-xnor', insertZero: true }).values);
  assert.equal([next(xn, 7, 1), next(xn, 7, 2)], [15, 14]);
  const g = Array.from(lfsr({ width: 8, form: 'galois', insertZero: true }).values);
  assert.equal(g.slice(0, 3), [1, 0, 0xb8]);
});

test('seed = phase of one sequence (§1.5, A.4: 0x5A is phase 131 of seed 1)', () => {
  assert.is(lfsrPhaseOf(0x5a, { width: 8 }), 131);
  assert.is(lfsrPhaseOf(0, { width: 8 }), -1);
  const a = lfsr({ width: 8, seed: 1, phase: 131 }).values;
  const b = lfsr({ width: 8, seed: 0x5a }).values;
  assert.equal(Array.from(a), Array.from(b));
  assert.equal(Array.from(lfsr({ width: 8, phase: 131 + 5 * 255 }).values), Array.from(b)); // phases wrap at the period
  assert.equal(Array.from(lfsr({ width: 4, insertZero: true, phase: 16 + 3 }).values), Array.from(lfsr({ width: 4, insertZero: true, phase: 3 }).values));
  // A.7's seeds are the states 16j of the seed-1 sequence.
  const states = lfsr({ width: 8 }).values;
  assert.equal([0, 1, 2, 3, 15].map((j) => states[16 * j]), [1, 75, 146, 65, 47]);
});

test('view: stage selection, reversal, rotation of the state', () => {
  const raw = lfsr({ width: 8 }).values;
  const rev = lfsr({ width: 8, view: { reverse: true } }).values;
  const rot = lfsr({ width: 8, view: { rotate: 4 } }).values;
  const low = lfsr({ width: 8, view: { stages: [1, 2, 3, 4] } }).values;
  const pick = lfsr({ width: 8, view: { stages: [8, 1] } }).values;
  for (let t = 0; t < raw.length; t++) {
    const s = raw[t];
    let r = 0;
    for (let k = 0; k < 8; k++) r |= ((s >> k) & 1) << (7 - k);
    assert.is(rev[t], r);
    assert.is(rot[t], ((s << 4) | (s >> 4)) & 255);
    assert.is(low[t], s & 15);
    assert.is(pick[t], ((s >> 7) & 1) | ((s & 1) << 1));
  }
  assert.is(low.length, 255);
  assert.is(lfsr({ width: 8, view: { stages: [1, 2, 3, 4] } }).bits, 4);
});

test('bad LFSR parameters → BitsieveError E_RANGE', () => {
  assert.is(codeOf(() => lfsr({ width: 8, seed: 0 })), 'E_RANGE'); // XOR lock-up
  assert.is(codeOf(() => lfsr({ width: 8, form: 'galois', seed: 0 })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 8, form: 'fibonacci-xnor', seed: 255 })), 'E_RANGE'); // XNOR lock-up
  assert.is(codeOf(() => lfsr({ width: 8, form: 'fibonacci-xnor', seed: 0 })), 'no error');
  assert.is(codeOf(() => lfsr({ width: 8, seed: 0, insertZero: true })), 'no error');
  assert.is(codeOf(() => lfsr({ width: 8, seed: 256 })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 3 })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 33 })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 8, taps: [9, 8] })), 'E_RANGE'); // out of range
  assert.is(codeOf(() => lfsr({ width: 8, taps: [0, 8] })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 8, taps: [7, 6] })), 'E_RANGE'); // stage n missing
  assert.is(codeOf(() => lfsr({ width: 8, taps: [8, 8, 6, 5] })), 'E_RANGE'); // duplicate
  assert.is(codeOf(() => lfsr({ width: 8, taps: [8, 4, 3, 1] })), 'E_RANGE'); // not maximal
  assert.is(lfsr({ width: 8, taps: [8, 4, 3, 1], allowNonMaximal: true }).values.length, 51);
  assert.is(codeOf(() => lfsr({ width: 8, form: 'fibonacci' as LfsrForm })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 8, length: 0 })), 'E_RANGE');
  assert.is(codeOf(() => lfsr({ width: 32 })), 'E_RANGE'); // a 2^32 − 1 period is not materialized
  assert.is(codeOf(() => lfsr({ width: 8, view: { stages: [9] } })), 'E_RANGE');
});

test('Sobol §1.3: first 16 values of dims 1–4, the spec recurrence for dims 1–5, SciPy Joe–Kuo values', () => {
  const first = (d: number) => Array.from(sobol({ dimension: d, bits: 8, length: 16 }).values);
  assert.equal(first(1), [0, 128, 192, 64, 96, 224, 160, 32, 48, 176, 240, 112, 80, 208, 144, 16]);
  assert.equal(first(2), [0, 128, 64, 192, 96, 224, 32, 160, 80, 208, 16, 144, 48, 176, 112, 240]);
  assert.equal(first(3), [0, 128, 64, 192, 160, 32, 224, 96, 240, 112, 176, 48, 80, 208, 16, 144]);
  assert.equal(first(4), [0, 128, 64, 192, 224, 96, 160, 32, 112, 240, 48, 176, 144, 16, 208, 80]);
  for (const d of [1, 2, 3, 4, 5] as const) {
    assert.equal(Array.from(sobol({ dimension: d, bits: 32, length: 4096 }).values), refSobolSpec(d, 32, 4096), `dim ${d}`);
  }
  // scipy.stats.qmc.Sobol(d, scramble=False, bits=32): points 1000..1007 (×2^32) of dimension d.
  const scipy: Record<number, number[]> = {
    5: [1203765248, 3351248896, 2277507072, 130023424, 666894336, 2814377984, 3888119808, 1740636160],
    16: [1589641216, 3737124864, 515899392, 2663383040, 3200253952, 1052770304, 4273995776, 2126512128],
    100: [801112064, 2948595712, 4022337536, 1874853888, 3485466624, 1337982976, 264241152, 2411724800],
    1024: [3066036224, 918552576, 1992294400, 4139778048, 1455423488, 3602907136, 2529165312, 381681664],
  };
  for (const [d, v] of Object.entries(scipy)) assert.equal(Array.from(sobol({ dimension: +d, bits: 32, length: 8, start: 1000 }).values), v, `dim ${d}`);
  // …and after fast_forward(2^27 + 12345): exercises the high direction numbers.
  assert.equal(Array.from(sobol({ dimension: 16, bits: 32, length: 4, start: 2 ** 27 + 12345 }).values), [3897275888, 676050416, 2823534064, 2286663152]);
  assert.equal(Array.from(sobol({ dimension: 1024, bits: 32, length: 4, start: 2 ** 27 + 12345 }).values), [3238013424, 2164271600, 16787952, 2701142512]);
});

test('Sobol: every dimension 1–1024 gives a permutation of 0..2^w − 1 over 2^w points (w = 8; w = 12 for 1–16)', () => {
  for (let d = 1; d <= 1024; d++) {
    for (const w of d <= 16 ? [8, 12] : [8]) {
      const v = sobol({ dimension: d, bits: w }).values;
      const seen = new Uint8Array(2 ** w);
      for (const x of v) seen[x]++;
      assert.ok(seen.every((c) => c === 1), `dim ${d} w ${w}`);
    }
  }
  assert.is(sobolDirections(1)[0], 2 ** 31);
});

test('Sobol skipFirst (old PyTorch): starts at 0.5, dim 1 over 2^w draws misses 0 and repeats 1/2^w·…', () => {
  const v = Array.from(sobol({ dimension: 1, bits: 8, skipFirst: true }).values);
  assert.is(v[0], 128);
  assert.not.ok(v.includes(0));
  assert.is(v.length, 256);
  assert.is(new Set(v).size, 255); // one value twice, 0 missing (§1.3 version trap)
  assert.is(codeOf(() => sobol({ dimension: 0, bits: 8 })), 'E_RANGE');
  assert.is(codeOf(() => sobol({ dimension: 1025, bits: 8 })), 'E_RANGE');
  assert.is(codeOf(() => sobol({ dimension: 1, bits: 33 })), 'E_RANGE');
});

test('van der Corput / Halton §1.3, ramp §1.4', () => {
  assert.equal(Array.from(vanDerCorput({ base: 2, bits: 8, length: 10 }).values), [0, 128, 64, 192, 32, 160, 96, 224, 16, 144]);
  assert.equal(Array.from(vanDerCorput({ base: 3, bits: 8, length: 10 }).values), [0, 85, 170, 28, 113, 199, 56, 142, 227, 9]);
  assert.equal(Array.from(vanDerCorput({ base: 3, bits: 8, length: 3, start: 9 }).values), [9, 94, 180]); // 1/27, 10/27, 19/27
  assert.equal([1, 2, 3, 4, 5, 10].map(haltonBase), [2, 3, 5, 7, 11, 29]);
  // base 2 over 2^w points is the same set as Sobol dim 1.
  assert.equal(Array.from(vanDerCorput({ base: 2, bits: 10 }).values).sort((a, b) => a - b), Array.from({ length: 1024 }, (_, i) => i));
  assert.equal(Array.from(ramp({ bits: 2 }).values), [0, 1, 2, 3]);
  assert.equal(Array.from(ramp({ bits: 2, direction: 'down', length: 6 }).values), [3, 2, 1, 0, 3, 2]);
  assert.is(codeOf(() => vanDerCorput({ base: 1, bits: 8 })), 'E_RANGE');
  assert.is(codeOf(() => ramp({ bits: 8, direction: 'left' as 'up' })), 'E_RANGE');
});

test('uniform: xoshiro128** outputs (literals from an independent Python implementation), w-bit values', () => {
  const r = new Xoshiro128(42);
  assert.equal(Array.from({ length: 6 }, () => r.next()), [2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290]);
  const z = new Xoshiro128(0);
  assert.equal(Array.from({ length: 3 }, () => z.next()), [3809008728, 1133695204, 53579671]);
  assert.equal(Array.from(uniform({ seed: 42, bits: 8, length: 3 }).values), [2837322924 >>> 24, 544945897 >>> 24, 479756282 >>> 24]);
  assert.is(codeOf(() => uniform({ seed: -1, bits: 8, length: 3 })), 'E_RANGE');
  assert.is(codeOf(() => uniform({ seed: 1, bits: 8, length: 0 })), 'E_RANGE');
});

test.run();
