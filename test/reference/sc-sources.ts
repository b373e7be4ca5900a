// Independent references for the SC sources and the comparator SNG, written from sc_encoded_mac.md §1–2 with
// the state as an array of stage bits (stage k = index k − 1), not from src/sc.

/** Fibonacci / Galois LFSR from the spec's definitions, state as a stage-bit array. */
export function refLfsr(width: number, taps: number[], form: 'fibonacci-xor' | 'fibonacci-xnor' | 'galois', seed: number, length: number): number[] {
  const stage = Array.from({ length: width }, (_, k) => Math.floor(seed / 2 ** k) % 2); // stage[k] = bit k
  const value = () => stage.reduce((v, b, k) => v + b * 2 ** k, 0);
  const out: number[] = [];
  for (let t = 0; t < length; t++) {
    out.push(value());
    if (form === 'galois') {
      // s' = s >> 1, XOR the mask when the bit shifted out was 1.
      const low = stage[0];
      for (let k = 0; k < width - 1; k++) stage[k] = stage[k + 1];
      stage[width - 1] = 0;
      if (low) for (const tp of taps) stage[tp - 1] ^= 1;
    } else {
      let f = 0;
      for (const tp of taps) f ^= stage[tp - 1];
      if (form === 'fibonacci-xnor') f ^= 1;
      for (let k = width - 1; k > 0; k--) stage[k] = stage[k - 1];
      stage[0] = f;
    }
  }
  return out;
}

/** Comparator SNG bits: b_t = X > R_t (or ≥), R_t = source[(t + offset) mod n]. */
export function refComparatorBits(x: number, source: ArrayLike<number>, length: number, ge = false, offset = 0): number[] {
  const out: number[] = [];
  for (let t = 0; t < length; t++) {
    const r = source[(t + offset) % source.length];
    out.push((ge ? x >= r : x > r) ? 1 : 0);
  }
  return out;
}

/** Sobol from the spec's recurrence with the parameters (s, a, m) written in §1.3 (dims 1–5 only). */
export function refSobolSpec(dimension: 1 | 2 | 3 | 4 | 5, bits: number, length: number): number[] {
  const params: Record<number, [number, number, number[]]> = { 2: [1, 0, [1]], 3: [2, 1, [1, 3]], 4: [3, 1, [1, 3, 1]], 5: [3, 2, [1, 1, 1]] };
  const W = 32;
  const m: number[] = [0];
  if (dimension === 1) for (let k = 1; k <= W; k++) m.push(1);
  else {
    const [s, a, init] = params[dimension];
    m.push(...init);
    for (let k = s + 1; k <= W; k++) {
      let v = BigInt(m[k - s]) ^ (BigInt(m[k - s]) << BigInt(s));
      for (let j = 1; j < s; j++) {
        const aj = (a >> (s - 1 - j)) & 1;
        if (aj) v ^= BigInt(m[k - j]) << BigInt(j);
      }
      m.push(Number(v));
    }
  }
  const V = m.map((mk, k) => (k === 0 ? 0n : BigInt(mk) << BigInt(W - k)));
  const out: number[] = [];
  let x = 0n;
  for (let i = 0; i < length; i++) {
    out.push(Number(x >> BigInt(W - bits)));
    let c = 0;
    while ((i >> c) & 1) c++;
    x ^= V[c + 1];
  }
  return out;
}

/** Unpacks a stream's bits (LSB-first words) to an array of length L. */
export function unpackBits(words: Uint32Array, offset: number, length: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < length; t++) out.push((words[offset + (t >>> 5)] >>> (t & 31)) & 1);
  return out;
}

/** Sample moments: mean, variance (population), skewness, excess kurtosis. */
export function moments(x: ArrayLike<number>): { mean: number; variance: number; skew: number; kurtosis: number } {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n; m3 /= n; m4 /= n;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** Standard normal CDF (erf via Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Kolmogorov–Smirnov statistic of samples against a continuous CDF. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(samples).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
