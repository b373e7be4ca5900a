// Plain-loop references for bs.mac.crossbar, written from the model's definitions (src/mac/crossbar-model.ts header),
// not from its code: the exact integer GEMM, and a cell-by-cell crossbar emulator (mapping levels, logical column
// order, tiling, stuck-at faults from a given map, bit-serial cycles, per-column / per-fragment ADC).

/** y[b, o] = Σ_i w[o, i] · x[b, i] (exact integers). */
export function gemmRef(w: ArrayLike<number>, x: ArrayLike<number>, out: number, n: number, batch: number): Float64Array {
  const y = new Float64Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[o * n + i] * x[b * n + i];
      y[b * out + o] = s;
    }
  }
  return y;
}

export interface XbarRefConfig {
  mapping: 'two-column' | 'offset' | 'differential' | 'polarized';
  weightBits: number;
  cellBits: number;
  rows: number;
  cols: number;
  fragmentRows: number;
  inputBits: number;
  inputBitsPerCycle: number;
  inputEncoding: 'unsigned' | 'twos-complement' | 'sign-split';
  /** undefined = ideal */
  adcBits?: number;
  adcStep: number;
}

interface Cycle {
  value: (x: number) => number;
  weight: number;
}

function cyclesOf(c: XbarRefConfig): Cycle[] {
  const B = c.inputBits;
  const p = c.inputBitsPerCycle;
  const out: Cycle[] = [];
  const bitsOf = (v: number, from: number, count: number) => Math.floor(v / 2 ** from) % 2 ** count;
  const slices = (get: (x: number) => number, bits: number, sign: number) => {
    for (let from = 0; from < bits; from += p) {
      const count = Math.min(p, bits - from);
      out.push({ value: (x) => bitsOf(get(x), from, count), weight: sign * 2 ** from });
    }
  };
  if (c.inputEncoding === 'unsigned') slices((x) => x, B, 1);
  else if (c.inputEncoding === 'twos-complement') {
    const u = (x: number) => (x < 0 ? x + 2 ** B : x);
    slices(u, B - 1, 1);
    out.push({ value: (x) => (x < 0 ? 1 : 0), weight: -(2 ** (B - 1)) });
  } else {
    slices((x) => Math.max(x, 0), B, 1);
    slices((x) => Math.max(-x, 0), B, -1);
  }
  return out;
}

/**
 * The crossbar's output in code units, cell by cell. `faults(a, row, col)` returns 0 / 1 (stuck at 0) / 2 (stuck
 * at the top level) for physical array a; `stats.saturations` counts the clipped conversions.
 */
export function crossbarRef(
  c: XbarRefConfig, q: ArrayLike<number>, out: number, n: number, x: ArrayLike<number>, batch: number,
  faults: (a: number, row: number, col: number) => number = () => 0,
  stats: { saturations: number } = { saturations: 0 },
): Float64Array {
  const top = 2 ** c.cellBits - 1;
  const stored = c.mapping === 'offset' ? c.weightBits : c.weightBits - 1;
  const S = Math.ceil(stored / c.cellBits);
  const pairs = c.mapping === 'two-column' || c.mapping === 'differential' ? 2 : 1;
  const colTiles = Math.ceil((pairs * out * S) / c.cols);
  const digit = (v: number, k: number) => Math.floor(v / 2 ** (k * c.cellBits)) % 2 ** c.cellBits;
  const level = (w: number, p: number, k: number): number => {
    if (c.mapping === 'two-column') return digit(p === 0 ? Math.max(w, 0) : Math.max(-w, 0), k);
    if (c.mapping === 'offset') return digit(w + 2 ** (c.weightBits - 1), k);
    if (c.mapping === 'polarized') return digit(Math.abs(w), k);
    if (p === 0) return w < 0 ? top - digit(-w, k) : top;
    return w > 0 ? top - digit(w, k) : top;
  };
  const groupRows = c.mapping === 'polarized' ? c.fragmentRows : c.rows;
  const fragmentSign = (o: number, start: number) => {
    for (let i = start; i < Math.min(n, start + c.fragmentRows); i++) if (q[o * n + i] < 0) return -1;
    return 1;
  };
  const adc = (sum: number) => {
    if (c.adcBits === undefined) return sum;
    const rounded = Math.floor(sum / c.adcStep + 0.5);
    const code = Math.min(2 ** c.adcBits - 1, Math.max(0, rounded));
    if (code !== rounded) stats.saturations++;
    return code * c.adcStep;
  };
  const cycles = cyclesOf(c);
  const y = new Float64Array(batch * out);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      let total = 0;
      for (let p = 0; p < pairs; p++) {
        for (let k = 0; k < S; k++) {
          const logical = (p * out + o) * S + k;
          const colWeight = 2 ** (k * c.cellBits) * (pairs === 2 && p === 1 ? -1 : 1);
          for (const cycle of cycles) {
            for (let start = 0; start < n; start += groupRows) {
              const rt = Math.floor(start / c.rows);
              const a = rt * colTiles + Math.floor(logical / c.cols);
              let sum = 0;
              for (let i = start; i < Math.min(n, start + groupRows); i++) {
                const f = faults(a, i - rt * c.rows, logical % c.cols);
                const g = f === 1 ? 0 : f === 2 ? top : level(q[o * n + i], p, k);
                sum += g * cycle.value(x[b * n + i]);
              }
              const sign = c.mapping === 'polarized' ? fragmentSign(o, start) : 1;
              total += adc(sum) * colWeight * sign * cycle.weight;
            }
          }
        }
      }
      if (c.mapping === 'offset') for (let i = 0; i < n; i++) total -= 2 ** (c.weightBits - 1) * x[b * n + i];
      y[b * out + o] = total;
    }
  }
  return y;
}

/** xoshiro128** seeded as documented (SplitMix-style expansion with MurmurHash3's finalizer), reimplemented. */
function fmix(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function xoshiroRef(seed: number): () => number {
  const s = [1, 2, 3, 4].map((k) => fmix((seed + k * 0x9e3779b9) >>> 0));
  const rotl = (v: number, r: number) => ((v << r) | (v >>> (32 - r))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  };
}

/** The documented fault map of physical array a: rows × cols, one draw per cell in row-major order. */
export function faultMapRef(seed: number, a: number, rows: number, cols: number, p0: number, p1: number): Uint8Array {
  const streamSeed = (fmix((seed ^ 0x5a7c0de1) >>> 0) + Math.imul(a + 1, 0x9e3779b9)) >>> 0;
  const next = xoshiroRef(fmix(streamSeed));
  const map = new Uint8Array(rows * cols);
  for (let i = 0; i < map.length; i++) {
    const u = next() / 2 ** 32;
    map[i] = u < p0 ? 1 : u < p0 + p1 ? 2 : 0;
  }
  return map;
}
