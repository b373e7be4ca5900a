// Plain-loop references for SC arithmetic, counters and FSMs, written from sc_encoded_mac.md §1.5, §2.2–2.7,
// §3.3–3.4, §4, §5 (one bit at a time, no packing tricks). Streams are arrays of 0/1 numbers.
export type Bits = number[];

export const pcAt = (xs: Bits[], t: number) => xs.reduce((s, x) => s + x[t], 0);

/** §2.5 APC at cycle t: pair k ORed (k even) or ANDed (k odd), doubled; an odd last input counted once. */
export function apcAt(xs: Bits[], t: number): number {
  let sum = 0;
  const pairs = Math.floor(xs.length / 2);
  for (let k = 0; k < pairs; k++) {
    const a = xs[2 * k][t];
    const b = xs[2 * k + 1][t];
    sum += 2 * (k % 2 === 0 ? a | b : a & b);
  }
  if (xs.length % 2) sum += xs[xs.length - 1][t];
  return sum;
}

export interface RefFsm {
  states: number;
  after: boolean;
  strict: boolean;
}

/** Saturating counter driven by per-cycle deltas; output compares with states/2 (§2.7, §3.4, §5). */
export function counterFsm(deltas: number[], { states, after, strict }: RefFsm): Bits {
  const half = states / 2;
  let s = half;
  return deltas.map((d) => {
    const next = Math.min(states - 1, Math.max(0, s + d));
    const read = after ? next : s;
    s = next;
    return (strict ? read > half : read >= half) ? 1 : 0;
  });
}

export const stanhRef = (x: Bits, o: RefFsm) => counterFsm(x.map((b) => 2 * b - 1), o);
export const btanhRef = (counts: number[], n: number, o: RefFsm) => counterFsm(counts.map((c) => 2 * c - n), o);

/** §2.6 FSUAdd with the fractional bipolar offset kept exact (plain rational arithmetic in halves). */
export function fsuAddRef(xs: Bits[], bipolar: boolean, scale: number, depth: number): Bits {
  const n = xs.length;
  const offset = bipolar ? (n - scale) / 2 : 0;
  const bound = 2 ** (depth - 2);
  const clamp = (v: number) => Math.min(bound, Math.max(-bound, v));
  let acc = 0;
  return xs[0].map((_, t) => {
    acc = clamp(acc + pcAt(xs, t) - offset);
    const out = acc >= scale ? 1 : 0;
    acc = clamp(acc - out * scale);
    return out;
  });
}

/** §4 FSUReLU. */
export function reluRef(x: Bits, depth: number, strict: boolean): Bits {
  const half = 2 ** (depth - 1);
  let acc = half;
  return x.map((b) => {
    const out = b === 1 || !(strict ? acc > half : acc >= half) ? 1 : 0;
    acc = Math.min(2 * half - 1, Math.max(0, acc + 2 * out - 1));
    return out;
  });
}

/** §3.3 segment max pooling, causal or not, ties → lowest index. */
export function maxPoolRef(xs: Bits[], segment: number, initial: number, causal: boolean): Bits {
  const L = xs[0].length;
  const out: Bits = [];
  const argmax = (s: number, e: number) => {
    let best = 0;
    let bestOnes = -1;
    xs.forEach((x, i) => {
      let ones = 0;
      for (let t = s; t < e; t++) ones += x[t];
      if (ones > bestOnes) [best, bestOnes] = [i, ones];
    });
    return best;
  };
  let chosen = initial;
  for (let s = 0; s < L; s += segment) {
    const e = Math.min(L, s + segment);
    if (!causal) chosen = argmax(s, e);
    for (let t = s; t < e; t++) out.push(xs[chosen][t]);
    if (causal) chosen = argmax(s, e);
  }
  return out;
}

/** §1.5 SCC straight from the definition, with UnarySim's denominators clamped to ≥ 1. */
export function sccRef(x: Bits, y: Bits): { a: number; b: number; c: number; d: number; scc: number } {
  let a = 0, b = 0, c = 0, d = 0;
  x.forEach((xi, t) => {
    if (xi && y[t]) a++;
    else if (xi) b++;
    else if (y[t]) c++;
    else d++;
  });
  const n = a + b + c + d;
  const num = a * d - b * c;
  const den = a * d > b * c ? n * Math.min(a + b, a + c) - (a + b) * (a + c) : (a + b) * (a + c) - n * Math.max(a - d, 0);
  return { a, b, c, d, scc: num / Math.max(1, den) };
}
