// Index-free random sparse rows (Ardakani et al., "Sparsely-connected neural networks", ICLR 2017):
// the columns of row r are regenerated from a seed by a maximal-length Galois LFSR, so only the
// values, one seed and one count per row are stored — no column indices.
//
// Column generation (normative; assembly/sparse/lfsr.ts does the same in the kernel):
//   width m = the smallest m ≥ 2 with 2^m > in; taps = LFSR_TAPS[m];
//   state = seed_r (1 ≤ seed < 2^m); repeat { state = step(state); if (state ≤ in) emit column state − 1 }
//   until counts[r] columns are emitted; step(s) = (s >>> 1) ^ (s & 1 ? taps : 0).
// A maximal-length register visits every nonzero state once per period 2^m − 1, so the columns of a row
// are distinct, and since 2^(m−1) ≤ in a row of n columns takes fewer than 2^m ≤ 2·in + 2 steps.
// Values are stored in generation order (not column order).
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectFinite, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'LFSR';
const VERSION = 1;

const TAP_EXPONENTS: readonly (readonly number[])[] = [
  // Feedback polynomials x^m + … + 1 (exponents listed without the constant term) of maximal-length
  // registers, as in the common Xilinx XAPP052 table; each is verified primitive in test/lfsr.test.ts.
  [], [], [2, 1], [3, 2], [4, 3], [5, 3], [6, 5], [7, 6], [8, 6, 5, 4], [9, 5], [10, 7], [11, 9], [12, 6, 4, 1],
  [13, 4, 3, 1], [14, 5, 3, 1], [15, 14], [16, 15, 13, 4], [17, 14], [18, 11], [19, 6, 2, 1], [20, 17], [21, 19],
  [22, 21], [23, 18], [24, 23, 22, 17], [25, 22], [26, 6, 2, 1], [27, 5, 2, 1], [28, 25], [29, 27], [30, 6, 4, 1],
  [31, 28], [32, 22, 2, 1],
];

/** LFSR_TAPS[m] (m = 2..32): Galois tap mask of a maximal-length m-bit register; bit e−1 stands for x^e. */
export const LFSR_TAPS: readonly number[] = Object.freeze(TAP_EXPONENTS.map((ex) => ex.reduce((mask, e) => (mask | (1 << (e - 1))) >>> 0, 0)));

/** The register width used for `cols` columns: the smallest m ≥ 2 with 2^m > cols. */
export function lfsrWidthFor(cols: number): number {
  let m = 2;
  while (2 ** m <= cols) m++;
  return m;
}

/** One right-shifting Galois step. */
export function lfsrStep(state: number, taps: number): number {
  return ((state >>> 1) ^ (state & 1 ? taps : 0)) >>> 0;
}

/** The first `count` (≤ cols) columns generated from `seed` for a row of `cols` columns (normative rule above). */
export function lfsrColumns(seed: number, cols: number, count: number): Uint32Array {
  const taps = LFSR_TAPS[lfsrWidthFor(cols)];
  const out = new Uint32Array(count);
  let s = seed;
  for (let n = 0; n < count; ) {
    s = lfsrStep(s, taps);
    if (s <= cols) out[n++] = s - 1;
  }
  return out;
}

export interface LfsrOptions {
  /** Fraction of each row kept, in [0, 1]: every row holds round(density·in) connections. */
  density: number;
  /** Seeds every row's register (and the random values of `LfsrSparse.random`). */
  seed: number;
}

export class LfsrSparse implements MatrixFormat {
  readonly kind = 'lfsr' as const;
  readonly shape: readonly [number, number];
  /** Register width m (derived from `in`, see lfsrWidthFor). */
  readonly width: number;
  /** Per row: the register's starting state, 1 ≤ seed < 2^m. */
  readonly seeds: Uint32Array;
  /** Per row: how many columns are generated, ≤ in. */
  readonly counts: Uint32Array;
  /** Row after row, in generation order. */
  readonly values: Float32Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], seeds: Uint32Array, counts: Uint32Array, values: Float32Array) {
    const [rows, cols] = expectShape2('LfsrSparse shape', shape);
    this.shape = Object.freeze([rows, cols] as const);
    this.width = lfsrWidthFor(cols);
    if (!(seeds instanceof Uint32Array)) throw new BitsieveError('E_DTYPE', `LfsrSparse seeds: expected a Uint32Array, received ${describe(seeds)}`);
    if (!(counts instanceof Uint32Array)) throw new BitsieveError('E_DTYPE', `LfsrSparse counts: expected a Uint32Array, received ${describe(counts)}`);
    if (!(values instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `LfsrSparse values: expected a Float32Array, received ${describe(values)}`);
    this.seeds = seeds;
    this.counts = counts;
    this.values = values;
    this.validate();
  }

  /** Random connectivity: round(density·in) generated columns per row, values uniform in [−1, 1) from `seed`. */
  static random(shape: readonly [number, number], options: LfsrOptions): LfsrSparse {
    const [rows, cols] = expectShape2('LfsrSparse.random shape', shape);
    const { seeds, counts } = connectivity('LfsrSparse.random', rows, cols, options);
    const values = new Float32Array(counts.reduce((a, b) => a + b, 0));
    let s = mix32(options.seed ^ 0x5bd1e995) || 1;
    for (let i = 0; i < values.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      values[i] = (s >>> 0) / 2 ** 31 - 1;
    }
    return new LfsrSparse([rows, cols], seeds, counts, values);
  }

  /** The same connectivity as `random(shape, options)`, with the values of `w` at the generated positions. */
  static fromDense(w: ArrayLike<number>, shape: readonly [number, number], options: LfsrOptions): LfsrSparse {
    const [rows, cols] = expectShape2('LfsrSparse.fromDense shape', shape);
    if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `LfsrSparse.fromDense: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${describe(w)}`);
    }
    const { seeds, counts } = connectivity('LfsrSparse.fromDense', rows, cols, options);
    const values = new Float32Array(counts.reduce((a, b) => a + b, 0));
    let i = 0;
    for (let r = 0; r < rows; r++) for (const c of lfsrColumns(seeds[r], cols, counts[r])) values[i++] = w[r * cols + c];
    return new LfsrSparse([rows, cols], seeds, counts, values);
  }

  static fromBytes(bytes: Uint8Array): LfsrSparse {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 4);
    const [rows, cols, width, nnz] = header;
    if (rows > MAX_ELEMENTS || nnz > MAX_ELEMENTS || cols > MAX_ELEMENTS) throw new BitsieveError('E_CORRUPT', `LfsrSparse.fromBytes: absurd size rows ${rows}, cols ${cols}, nnz ${nnz}`);
    if (width !== lfsrWidthFor(cols)) throw new BitsieveError('E_CORRUPT', `LfsrSparse.fromBytes: expected register width ${lfsrWidthFor(cols)} for ${cols} columns, received ${width}`);
    const need = 8 * rows + 4 * nnz;
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `LfsrSparse.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice();
    try {
      return new LfsrSparse([rows, cols], new Uint32Array(copy.buffer, 0, rows), new Uint32Array(copy.buffer, 4 * rows, rows), new Float32Array(copy.buffer, 8 * rows, nnz));
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `LfsrSparse.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  get nnz(): number {
    return this.values.length;
  }

  /** The Galois tap mask of this width. */
  get taps(): number {
    return LFSR_TAPS[this.width];
  }

  /** Values (32 bits per nonzero) plus a 32-bit seed and a 32-bit count per row; no column indices. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    return (32 * this.nnz + 64 * rows) / (rows * cols);
  }

  /** Row r's columns in generation order. */
  columns(r: number): Uint32Array {
    return lfsrColumns(this.seeds[r], this.shape[1], this.counts[r]);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const { seeds, counts, values } = this;
    if (seeds.length !== rows) throw new BitsieveError('E_FORMAT', `LfsrSparse seeds: expected ${rows} entries (one per row), received ${seeds.length}`);
    if (counts.length !== rows) throw new BitsieveError('E_FORMAT', `LfsrSparse counts: expected ${rows} entries (one per row), received ${counts.length}`);
    const limit = 2 ** this.width;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      if (seeds[r] === 0 || seeds[r] >= limit) throw new BitsieveError('E_FORMAT', `LfsrSparse seeds[${r}]: expected a nonzero ${this.width}-bit state, received ${seeds[r]}`);
      // Bounds the generation loop: a row of ≤ in columns ends within one period.
      if (counts[r] > cols) throw new BitsieveError('E_FORMAT', `LfsrSparse counts[${r}]: expected ≤ in = ${cols}, received ${counts[r]}`);
      total += counts[r];
    }
    if (total !== values.length) throw new BitsieveError('E_FORMAT', `LfsrSparse: counts sum to ${total} but ${values.length} values`);
    expectFinite('LfsrSparse values', values);
    return this;
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const w = new Float32Array(rows * cols);
    let i = 0;
    for (let r = 0; r < rows; r++) for (const c of this.columns(r)) w[r * cols + c] = this.values[i++];
    return w;
  }

  /** Frame header [rows, cols, width, nnz]; payload seeds u32[rows] | counts u32[rows] | values f32[nnz]. */
  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const payload = new Uint8Array(8 * rows + 4 * this.nnz);
    const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    payload.set(bytesOf(this.seeds), 0);
    payload.set(bytesOf(this.counts), 4 * rows);
    payload.set(bytesOf(this.values), 8 * rows);
    return writeFramed(MAGIC, VERSION, [rows, cols, this.width, this.nnz], payload);
  }
}

/** Per-row seeds (a hash of the global seed and the row, mapped to [1, 2^m − 1]) and constant counts. */
function connectivity(name: string, rows: number, cols: number, options: LfsrOptions): { seeds: Uint32Array; counts: Uint32Array } {
  const { density, seed } = options ?? ({} as LfsrOptions);
  if (typeof density !== 'number' || !(density >= 0 && density <= 1)) {
    throw new BitsieveError('E_RANGE', `${name} density: expected a number in [0, 1], received ${describe(density)}`);
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new BitsieveError('E_DTYPE', `${name} seed: expected an integer, received ${describe(seed)}`);
  const period = 2 ** lfsrWidthFor(cols) - 1;
  const seeds = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) seeds[r] = (mix32((seed ^ Math.imul(r + 1, 0x9e3779b9)) >>> 0) % period) + 1;
  return { seeds, counts: new Uint32Array(rows).fill(Math.round(density * cols)) };
}

/** murmur3's 32-bit finalizer: a cheap bijective scramble. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
