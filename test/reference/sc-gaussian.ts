// Independent references for the Gaussian generators, written from sc_encoded_mac.md §7 and the documented
// parameters (plain arrays, no ring buffer / no in-place addressing tricks). The uniform bits come from the
// library's Xoshiro128 (checked against independent literals in sc-sources.test.ts).
import { Xoshiro128 } from '../../src/index.js';

/** Binomial generator: bits b_0, b_1, … with b_k = XOR_t b_{k−t} for k ≥ L; sample = (popcount(last L) − L/2)/√(L/4). */
export function refBinomial(count: number, seed: number, L: number, taps: number[], steps: number): number[] {
  const rng = new Xoshiro128(seed);
  const bits: number[] = [];
  for (let k = 0; k < L; k += 32) {
    const w = rng.next();
    for (let b = 0; b < 32 && k + b < L; b++) bits.push((w >>> b) & 1);
  }
  if (!bits.includes(1)) bits[0] = 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < steps; s++) {
      const k = bits.length;
      bits.push(taps.reduce((f, t) => f ^ bits[k - t], 0));
    }
    const window = bits.slice(bits.length - L);
    out.push((window.reduce((a, b) => a + b, 0) - L / 2) / Math.sqrt(L / 4));
  }
  return out;
}

/** Wallace generator with the documented pool initialisation and addressing. */
export function refWallace(count: number, seed: number, N: number, warmup: number): number[] {
  const rng = new Xoshiro128(seed);
  let pool: number[] = [];
  for (let i = 0; i < N; i++) {
    let x = -6;
    for (let k = 0; k < 12; k++) x += rng.next() / 2 ** 32;
    pool.push(x);
  }
  const scale = Math.sqrt(N / pool.reduce((a, x) => a + x * x, 0));
  pool = pool.map((x) => x * scale);
  const out: number[] = [];
  for (let pass = 0; out.length < count; pass++) {
    const o = rng.next() % N;
    const s = (rng.next() % N) | 1;
    const order = Array.from({ length: N }, (_, k) => (o + k * s) % N);
    for (let g = 0; g < N; g += 4) {
      const [i1, i2, i3, i4] = order.slice(g, g + 4);
      const t = (pool[i1] + pool[i2] + pool[i3] + pool[i4]) / 2;
      const next = [t - pool[i1], t - pool[i2], pool[i3] - t, pool[i4] - t];
      [pool[i1], pool[i2], pool[i3], pool[i4]] = next;
      if (pass >= warmup) out.push(...next);
    }
  }
  return out.slice(0, count);
}
