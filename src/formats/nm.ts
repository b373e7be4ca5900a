// N:M structured sparsity (e.g. 2:4): in every group of m consecutive weights along `in`, at most n are
// nonzero. Stored as exactly n value slots per group plus a pattern code, so every row has the same
// layout and the kernels decode activations with swizzles instead of per-weight indices.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectFinite, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BSNM';
const VERSION = 1;

export interface NmPattern {
  /** Kept weights per group. */
  readonly n: number;
  /** Group length along `in`. */
  readonly m: number;
}

/** The patterns the kernels implement. */
export const NM_PATTERNS: readonly NmPattern[] = Object.freeze([
  { n: 1, m: 2 },
  { n: 2, m: 4 },
  { n: 1, m: 4 },
  { n: 4, m: 8 },
]);

/** Per-pattern decode facts (shared with the pruner and the operator). */
export interface NmLayout {
  readonly n: number;
  readonly m: number;
  /** Groups per 4-value code: 4 / n. */
  readonly groupsPerCode: number;
  /** Distinct patterns per group: C(m, n). */
  readonly patterns: number;
  /** Bitmask of in-group positions of each pattern id (ascending numeric order). */
  readonly masks: readonly number[];
  /** Pattern id of each m-bit mask with n bits set (-1 for other masks). */
  readonly idOfMask: Int16Array;
}

const layouts = new Map<string, NmLayout>();

function popcount(v: number): number {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}

/** Checks `pattern` and returns its decode facts. E_DTYPE / E_RANGE for junk, E_UNSUPPORTED for other N:M. */
export function nmLayout(pattern: unknown, name = 'N:M pattern'): NmLayout {
  const p = pattern as NmPattern | null;
  if (p === null || typeof p !== 'object' || typeof p.n !== 'number' || typeof p.m !== 'number') {
    throw new BitsieveError('E_DTYPE', `${name}: expected { n, m }, received ${describe(pattern)}`);
  }
  const { n, m } = p;
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m <= n) {
    throw new BitsieveError('E_RANGE', `${name}: expected integers 1 ≤ n < m, received ${n}:${m}`);
  }
  if (!NM_PATTERNS.some((q) => q.n === n && q.m === m)) {
    throw new BitsieveError('E_UNSUPPORTED', `${name}: supported patterns are ${NM_PATTERNS.map((q) => `${q.n}:${q.m}`).join(', ')}, received ${n}:${m}`);
  }
  const key = `${n}:${m}`;
  let layout = layouts.get(key);
  if (!layout) {
    const masks: number[] = [];
    const idOfMask = new Int16Array(1 << m).fill(-1);
    for (let bits = 0; bits < 1 << m; bits++) {
      if (popcount(bits) === n) {
        idOfMask[bits] = masks.length;
        masks.push(bits);
      }
    }
    layout = Object.freeze({ n, m, groupsPerCode: 4 / n, patterns: masks.length, masks: Object.freeze(masks), idOfMask });
    layouts.set(key, layout);
  }
  return layout;
}

/**
 * N:M sparse [out, in] matrix. Row r, group g covers columns g·m … g·m+m−1 (the last group is partial when
 * `in` is not a multiple of m; its positions ≥ `in` are padding).
 *
 * - `values`: f32[out · groups · n], groups = ceil(in / m): each group's n kept weights in ascending
 *   in-group position. A group with fewer than n nonzeros keeps explicit zeros, canonically at its lowest
 *   free positions (so the format of a matrix is unique); padding positions always hold 0.
 * - `meta`: u8[out · ceil(groups·n / 4)]: one code per 4 value slots, i.e. per 4/n consecutive groups,
 *   holding their pattern ids in mixed radix (code = Σ id_i · C(m,n)^i, group i of the code). A pattern id
 *   is the rank of the group's position bitmask among the m-bit masks with n bits set, ascending; ids of
 *   groups past the row's end are 0. This is what the kernels' swizzle-mask tables are indexed by.
 */
export class Nm implements MatrixFormat {
  readonly kind = 'nm' as const;
  readonly shape: readonly [number, number];
  readonly n: number;
  readonly m: number;
  readonly values: Float32Array;
  readonly meta: Uint8Array;

  /** Takes ownership of the arrays (no copy) and validates them. */
  constructor(shape: readonly [number, number], pattern: NmPattern, values: Float32Array, meta: Uint8Array) {
    const [rows, cols] = expectShape2('Nm shape', shape);
    const { n, m } = nmLayout(pattern, 'Nm pattern');
    this.shape = Object.freeze([rows, cols] as const);
    this.n = n;
    this.m = m;
    if (!(values instanceof Float32Array)) throw new BitsieveError('E_DTYPE', `Nm values: expected a Float32Array, received ${describe(values)}`);
    if (!(meta instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `Nm meta: expected a Uint8Array, received ${describe(meta)}`);
    this.values = values;
    this.meta = meta;
    this.validate();
  }

  /** Compresses a dense [out, in] matrix; E_FORMAT if any group has more than n nonzeros (prune first). */
  static fromDense(w: ArrayLike<number>, shape: readonly [number, number], pattern: NmPattern): Nm {
    const [rows, cols] = expectShape2('Nm.fromDense shape', shape);
    const layout = nmLayout(pattern, 'Nm.fromDense pattern');
    const { n, m } = layout;
    if (w === null || typeof w !== 'object' || w.length !== rows * cols) {
      throw new BitsieveError('E_SHAPE', `Nm.fromDense: shape [${rows}, ${cols}] needs ${rows * cols} values, received ${describe(w)}`);
    }
    const groups = Math.ceil(cols / m);
    const perRow = groups * n;
    const codesPerRow = Math.ceil(perRow / 4);
    const values = new Float32Array(rows * perRow);
    const meta = new Uint8Array(rows * codesPerRow);
    const full = (1 << m) - 1;
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let g = 0; g < groups; g++) {
        const c0 = g * m;
        const width = Math.min(m, cols - c0);
        let bits = 0;
        for (let p = 0; p < width; p++) if (w[row + c0 + p] !== 0) bits |= 1 << p;
        const nnz = popcount(bits);
        if (nnz > n) {
          throw new BitsieveError('E_FORMAT', `Nm.fromDense: row ${r}, columns ${c0}…${c0 + width - 1} hold ${nnz} nonzeros, the ${n}:${m} pattern allows ${n}`);
        }
        for (let free = ~bits & full, k = nnz; k < n; k++, free &= free - 1) bits |= free & -free; // lowest free
        const id = layout.idOfMask[bits];
        let slot = r * perRow + g * n;
        for (let p = 0; p < m; p++) if (bits & (1 << p)) values[slot++] = p < width ? w[row + c0 + p] : 0;
        const q = Math.floor(g / layout.groupsPerCode);
        meta[r * codesPerRow + q] += id * layout.patterns ** (g % layout.groupsPerCode);
      }
    }
    return new Nm([rows, cols], { n, m }, values, meta);
  }

  static fromBytes(bytes: Uint8Array): Nm {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 4);
    const [rows, cols, n, m] = header;
    if (!NM_PATTERNS.some((q) => q.n === n && q.m === m)) throw new BitsieveError('E_CORRUPT', `Nm.fromBytes: unsupported pattern ${n}:${m}`);
    if (rows > MAX_ELEMENTS || cols > MAX_ELEMENTS || rows * cols > MAX_ELEMENTS) {
      throw new BitsieveError('E_CORRUPT', `Nm.fromBytes: absurd shape [${rows}, ${cols}]`);
    }
    const perRow = Math.ceil(cols / m) * n;
    const nValues = rows * perRow;
    const nMeta = rows * Math.ceil(perRow / 4);
    const need = 4 * nValues + Math.ceil(nMeta / 4) * 4;
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `Nm.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned copy owned by the new object
    try {
      return new Nm([rows, cols], { n, m }, new Float32Array(copy.buffer, 0, nValues), new Uint8Array(copy.buffer, 4 * nValues, nMeta));
    } catch (err) {
      if (err instanceof BitsieveError) throw new BitsieveError('E_CORRUPT', `Nm.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** ceil(in / m). */
  get groups(): number {
    return Math.ceil(this.shape[1] / this.m);
  }

  /** Number of stored value slots that hold a nonzero. */
  get nnz(): number {
    let count = 0;
    for (let i = 0; i < this.values.length; i++) if (this.values[i] !== 0) count++;
    return count;
  }

  /** (32 bits per value slot + 8 bits per code) / (rows·cols): 17 for 2:4 and 4:8, 8.5 for 1:4, 17 for 1:2. */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    return (32 * this.values.length + 8 * this.meta.length) / (rows * cols);
  }

  validate(): this {
    const [rows, cols] = this.shape;
    const layout = nmLayout({ n: this.n, m: this.m }, 'Nm pattern');
    const { n, m, groupsPerCode: G, patterns: P, masks } = layout;
    const { values, meta } = this;
    const groups = Math.ceil(cols / m);
    const perRow = groups * n;
    const codesPerRow = Math.ceil(perRow / 4);
    if (values.length !== rows * perRow) {
      throw new BitsieveError('E_FORMAT', `Nm values: expected out·ceil(in/m)·n = ${rows * perRow} slots, received ${values.length}`);
    }
    if (meta.length !== rows * codesPerRow) {
      throw new BitsieveError('E_FORMAT', `Nm meta: expected out·ceil(ceil(in/m)·n/4) = ${rows * codesPerRow} codes, received ${meta.length}`);
    }
    expectFinite('Nm values', values);
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < codesPerRow; q++) {
        const code = meta[r * codesPerRow + q];
        const inCode = Math.min(G, groups - q * G);
        if (code >= P ** inCode) {
          throw new BitsieveError('E_FORMAT', `Nm meta[${r * codesPerRow + q}] (row ${r}): expected a code < ${P ** inCode} (pattern ids of ${inCode} groups), received ${code}`);
        }
        for (let i = 0, rest = code; i < inCode; i++, rest = Math.floor(rest / P)) {
          const g = q * G + i;
          this.checkGroup(r, g, masks[rest % P], cols - g * m, values, r * perRow + g * n);
        }
      }
    }
    return this;
  }

  /** Padding positions hold 0, and zero slots sit at the lowest positions not holding a nonzero. */
  private checkGroup(r: number, g: number, bits: number, width: number, values: Float32Array, slot: number): void {
    const { m } = this;
    let highestZero = -1;
    let lowestUnused = m;
    for (let p = 0; p < m; p++) {
      if (!(bits & (1 << p))) {
        if (lowestUnused === m) lowestUnused = p;
        continue;
      }
      const v = values[slot++];
      if (v !== 0 && p >= width) {
        throw new BitsieveError('E_FORMAT', `Nm row ${r}: column ${g * this.m + p} is out of range (in = ${this.shape[1]}) but holds ${v}`);
      }
      if (v === 0 || p >= width) highestZero = p;
    }
    if (highestZero > lowestUnused) {
      throw new BitsieveError('E_FORMAT', `Nm row ${r}, group ${g}: zero slot at position ${highestZero} while position ${lowestUnused} is unused (zeros must fill the lowest free positions)`);
    }
  }

  toDense(): Float32Array {
    const [rows, cols] = this.shape;
    const { n, m } = this;
    const { groupsPerCode: G, patterns: P, masks } = nmLayout({ n, m });
    const groups = Math.ceil(cols / m);
    const perRow = groups * n;
    const codesPerRow = Math.ceil(perRow / 4);
    const w = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let g = 0; g < groups; g++) {
        const id = Math.floor(this.meta[r * codesPerRow + Math.floor(g / G)] / P ** (g % G)) % P;
        let slot = r * perRow + g * n;
        for (let p = 0; p < m; p++) {
          if (!(masks[id] & (1 << p))) continue;
          const v = this.values[slot++];
          if (g * m + p < cols) w[r * cols + g * m + p] = v;
        }
      }
    }
    return w;
  }

  toBytes(): Uint8Array {
    const [rows, cols] = this.shape;
    const metaLen = Math.ceil(this.meta.length / 4) * 4;
    const payload = new Uint8Array(this.values.byteLength + metaLen);
    payload.set(new Uint8Array(this.values.buffer, this.values.byteOffset, this.values.byteLength), 0);
    payload.set(this.meta, this.values.byteLength);
    return writeFramed(MAGIC, VERSION, [rows, cols, this.n, this.m], payload);
  }
}
