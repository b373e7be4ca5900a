// VIBNN Gaussian generators (sc_encoded_mac.md §7): bit-identical to independent references per seed, moments
// within stated bounds, normality (KS) and, for the binomial generator, a chi-square test against its exact
// Binomial(L, 1/2) target; the default 127-bit window polynomial is primitive; bad parameters → BitsieveError.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { binomialGaussian, BINOMIAL_DEFAULT_TAPS, wallaceGaussian } from '../src/index.js';
import { init } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { refBinomial, refWallace } from './reference/sc-gaussian.js';
import { ksStatistic, moments, normalCdf } from './reference/sc-sources.js';

const test = suite('sc gaussian');
const N = 100_000;
// Bounds for N = 100 000 (≈ N(0, 1) i.i.d.: σ(mean) ≈ 0.0032, σ(var) ≈ 0.0045, σ(skew) ≈ 0.0077, σ(kurt) ≈ 0.015).
const checkMoments = (x: Float64Array, label: string, kurtosis = 0) => {
  const m = moments(x);
  assert.ok(Math.abs(m.mean) < 0.02, `${label} mean ${m.mean}`);
  assert.ok(Math.abs(m.variance - 1) < 0.03, `${label} variance ${m.variance}`);
  assert.ok(Math.abs(m.skew) < 0.05, `${label} skew ${m.skew}`);
  assert.ok(Math.abs(m.kurtosis - kurtosis) < 0.1, `${label} excess kurtosis ${m.kurtosis}`);
};

test('binomial: identical to the reference for several seeds, windows and strides; same seed → same bits', () => {
  for (const [seed, L, taps, steps] of [[1, 127, [127, 126], 1], [99, 127, [127, 126], 5], [7, 16, [16, 15, 13, 4], 3], [2 ** 32 - 1, 31, [31, 28], 31]] as const) {
    const got = binomialGaussian({ count: 500, seed, window: L, taps: [...taps], stepsPerSample: steps });
    assert.equal(Array.from(got), refBinomial(500, seed, L, [...taps], steps), `seed ${seed} L ${L}`);
  }
  assert.equal(Array.from(binomialGaussian({ count: 300, seed: 5 })), Array.from(binomialGaussian({ count: 300, seed: 5 })));
  assert.not.equal(Array.from(binomialGaussian({ count: 300, seed: 5 })), Array.from(binomialGaussian({ count: 300, seed: 6 })));
});

test('binomial (L = 127, fresh window per sample): moments, chi-square vs Binomial(127, 1/2), continuity-corrected KS', () => {
  const L = 127;
  const sd = Math.sqrt(L / 4);
  const x = binomialGaussian({ count: N, seed: 3, stepsPerSample: L });
  checkMoments(x, 'binomial', -2 / L);
  const hist = new Float64Array(L + 1);
  for (const g of x) {
    const c = g * sd + L / 2;
    assert.ok(Number.isInteger(Math.round(c * 2) / 2) && Math.abs(c - Math.round(c)) < 1e-9, 'sample is (C − L/2)/√(L/4)');
    hist[Math.round(c)]++;
  }
  let logC = 0;
  let chi = 0, bins = 0, o = 0, e = 0;
  for (let c = 0; c <= L; c++) {
    if (c > 0) logC += Math.log((L - c + 1) / c);
    o += hist[c];
    e += Math.exp(logC - L * Math.LN2) * N;
    if (e >= 5 && c < L - 10) { chi += (o - e) ** 2 / e; bins++; o = 0; e = 0; }
  }
  chi += (o - e) ** 2 / e; // upper tail bin
  bins++;
  const df = bins - 1;
  assert.ok(chi < df + 4 * Math.sqrt(2 * df), `chi-square ${chi} with ${df} degrees of freedom (bound df + 4√(2df), p ≈ 0.001)`);
  let F = 0, D = 0;
  for (let c = 0; c < L; c++) {
    F += hist[c] / N;
    D = Math.max(D, Math.abs(F - normalCdf((c + 0.5 - L / 2) / sd)));
  }
  assert.ok(D < 1.95 / Math.sqrt(N) + 0.002, `KS distance ${D} (bound 1.95/√N at α = 0.001, + 0.002 normal-approximation allowance)`);
});

test('binomial default (one LFSR step per sample): consecutive samples differ by 0 or ±1/√(L/4) (documented serial correlation)', () => {
  const x = binomialGaussian({ count: 5000, seed: 11 });
  const step = 1 / Math.sqrt(127 / 4);
  for (let i = 1; i < x.length; i++) {
    const d = Math.abs(x[i] - x[i - 1]);
    assert.ok(d < 1e-12 || Math.abs(d - step) < 1e-12, `|Δ| = ${d}`);
  }
});

test('the default window polynomial x^127 + x^126 + 1 is primitive (2^127 − 1 is prime: x^(2^127) ≡ x and no linear factor)', () => {
  assert.equal([...BINOMIAL_DEFAULT_TAPS], [127, 126]);
  const n = 127n;
  const p = (1n << 127n) | (1n << 126n) | 1n;
  const mulMod = (a: bigint, b: bigint) => {
    let r = 0n;
    for (let i = n - 1n; i >= 0n; i--) {
      r <<= 1n;
      if ((r >> n) & 1n) r ^= p;
      if ((b >> i) & 1n) r ^= a;
    }
    return r;
  };
  let x = 2n; // x
  for (let k = 0; k < 127; k++) x = mulMod(x, x); // x^(2^127)
  assert.is(x, 2n);
  // p(0) = 1 and p(1) = 1 (three terms): neither x nor x + 1 divides p; with x^(2^127) ≡ x every irreducible
  // factor has degree dividing 127 (prime), so p is irreducible, and ord(x) | 2^127 − 1 (prime), ord(x) ≠ 1.
});

test('Wallace: identical to the reference; moments; KS against N(0, 1)', () => {
  for (const [seed, n, warmup] of [[1, 1024, 2], [42, 16, 0], [7, 256, 5]] as const) {
    assert.equal(Array.from(wallaceGaussian({ count: 3000, seed, poolSize: n, warmup })), refWallace(3000, seed, n, warmup), `seed ${seed} pool ${n}`);
  }
  for (const [seed, poolSize] of [[3, 1024], [9, 4096]]) {
    const x = wallaceGaussian({ count: N, seed, poolSize });
    checkMoments(x, `wallace pool ${poolSize}`);
    const D = ksStatistic(x, normalCdf);
    assert.ok(D < 1.95 / Math.sqrt(N), `KS ${D} (bound 1.95/√N, α = 0.001)`);
  }
  // Σx² of the pool is preserved by the orthogonal transform: over one full pass the outputs' energy is N.
  const pass = wallaceGaussian({ count: 1024, seed: 8, poolSize: 1024, warmup: 3 });
  assert.ok(Math.abs(pass.reduce((a, v) => a + v * v, 0) - 1024) < 1e-9);
});

test('bs.sc.gaussian and bad parameters → BitsieveError', async () => {
  const bs = await init({ variant: 'scalar', wasm: { scalar: new URL('../build/bitsieve.scalar.wasm', import.meta.url) } });
  assert.equal(Array.from(bs.sc.gaussian({ method: 'wallace', count: 10, seed: 1 })), Array.from(wallaceGaussian({ count: 10, seed: 1 })));
  assert.equal(Array.from(bs.sc.gaussian({ method: 'binomial', count: 10, seed: 1 })), Array.from(binomialGaussian({ count: 10, seed: 1 })));
  assert.is(codeOf(() => bs.sc.gaussian({ method: 'box-muller', count: 1, seed: 1 } as never)), 'E_RANGE');
  assert.is(codeOf(() => wallaceGaussian({ count: 10, seed: 1, poolSize: 12 })), 'E_RANGE');
  assert.is(codeOf(() => wallaceGaussian({ count: 0, seed: 1 })), 'E_RANGE');
  assert.is(codeOf(() => binomialGaussian({ count: 10, seed: 1, window: 64 })), 'E_RANGE'); // no default taps
  assert.is(codeOf(() => binomialGaussian({ count: 10, seed: 1, window: 64, taps: [65, 1] })), 'E_RANGE');
  assert.is(codeOf(() => binomialGaussian({ count: 10, seed: 1, window: 16, taps: [16, 8] })), 'E_RANGE'); // not maximal
  assert.is(codeOf(() => binomialGaussian({ count: 10, seed: 1.5 })), 'E_RANGE');
});

test.run();
