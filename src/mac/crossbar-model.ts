// Crossbar (in-memory-computing) model for bs.mac.crossbar: options, weight quantization and bit slicing, the
// four signed-weight mappings, tiling onto physical arrays, the bit-serial input cycles, and the seeded fault /
// variation maps. Pure TypeScript (the kernels are assembly/mac/crossbar.ts). Sources and choices:
//
// Weights. Float [out, in] → symmetric signed codes q ∈ [−Q, Q], Q = 2^(weightBits−1) − 1 (weightBits 2..8;
//   1 bit cannot hold a symmetric signed code), scale = max|w| / Q per tensor (default) or per output row
//   ('per-row'), q = round-half-away-from-zero(w / scale). Int8Array codes are taken as they are (with
//   `weightScale`, default 1). The matrix laid on the crossbar is Wᵀ: input i drives row i, each output neuron
//   owns columns.
// Bit slicing. A stored non-negative value v is cut into S = ceil(bits / cellBits) cells, slice k holding bits
//   [k·cellBits, (k+1)·cellBits) (slice 0 = least significant); slice k's column is weighted 2^(k·cellBits)
//   digitally. bits = weightBits − 1 (the magnitude) for two-column / differential / polarized, weightBits for
//   offset. The top slice holds the remaining bits in a full cell: its upper levels are never programmed but a
//   stuck-at-1 cell there still reads the cell maximum L = 2^cellBits − 1 (and differential stores L − s there).
// Mappings (sign handling):
//   'two-column'  (PRIME-style, as in the FORMS / Yuan et al. introductions): column pair per (neuron, slice):
//                 G+ holds the slices of max(q, 0), G− those of max(−q, 0); y = Σ 2^(k·c)(y+ − y−).
//   'offset'      (ISAAC-style): v = q + 2^(weightBits−1) ≥ 1 stored in weightBits bits, one column per slice;
//                 the digital side subtracts 2^(weightBits−1) · Σ x (exact, in input-code units).
//   'differential' (Yuan et al., ISQED 2021, arXiv 2106.09166): the searched sources only give the abstract
//                 (differential mapping, tolerant to stuck-on faults, no extra hardware versus two-column); the
//                 cell assignment follows the project brief: both cells of a pair idle at the high state L, so
//                 per slice q > 0 → (L, L − s_k), q < 0 → (L − s_k, L), q = 0 → (L, L); y = Σ 2^(k·c)(yA − yB).
//                 A stuck-at-1 (stuck-on) cell on a zero weight therefore changes nothing.
//   'polarized'   (FORMS, Yuan et al., ISCA 2021, arXiv 2106.09144): every column fragment of `fragmentRows`
//                 consecutive rows (default 8 — the searched sources give only the abstract, so the paper's own
//                 fragment size is not verified; a multiple of 8 dividing `rows`) holds weights of one sign; the
//                 cells hold magnitudes (one column per slice) and the fragment's sign is applied digitally.
//                 Each fragment column has its own ADC conversion; a fragment whose input slice is all zero in a
//                 cycle is skipped (input zero-skipping: no conversion and no cell reads counted). Matrices
//                 that break the constraint are rejected (E_RANGE); `polarize()` projects onto it.
// ADC subtraction: every physical column (or fragment) is converted on its own and the subtraction of the pair is
//   digital, for every mapping (so differential spends ADC range on its high idle state; use enough adcBits or
//   a larger step with it).
// Tiling. Logical column index = (p · out + o) · S + k (p = pair member 0/1, o = neuron, k = slice), so the
//   first member of every pair fills the first column tiles (separate positive / negative arrays for
//   two-column). rowTiles = ceil(in / rows), colTiles = ceil(logicalColumns / cols); physical array index
//   a = rowTile · colTiles + colTile. Unused rows / columns of the last tiles exist (faults are drawn for
//   every cell of a physical array) but hold nothing and are neither read nor converted.
// Inputs. Codes of inputBits (1..8), bit-serial with inputBitsPerCycle p (1..8); cycle t drives the unsigned
//   slice value on the rows (DAC) and its ADC outputs are weighted digitally:
//   'unsigned'        x ∈ [0, 2^B − 1], bits sliced from the LSB, ceil(B / p) cycles.
//   'twos-complement' (default) x ∈ [−2^(B−1), 2^(B−1) − 1]: bits 0..B−2 sliced as above, then one 1-bit cycle
//                     for the sign bit weighted −2^(B−1): ceil((B − 1) / p) + 1 cycles (B ≥ 2).
//   'sign-split'      the same signed range run as two passes, max(x, 0) weighted + and max(−x, 0) weighted −,
//                     each sliced over B bits: 2 · ceil(B / p) cycles.
//   forward() quantizes floats per sample: scale = max|x| / (2^B − 1) (unsigned; negatives clip to 0) or
//   max|x| / (2^(B−1) − 1) (signed), unless `inputScale` fixes it; round half away from zero.
// ADC. code = clamp(floor(sum / step + 0.5), 0, 2^adcBits − 1) (round half up; sums are in unit-cell currents:
//   level × input slice value); adcBits 'ideal' = no rounding or clipping; shift-and-add of the codes is exact.
// Faults. Per physical array a (its index as above), per cell in row-major order, one xoshiro128** draw
//   u = next() / 2^32 from the stream seeded by arraySeed(seed, a): u < stuckAt0 → stuck at level 0, else
//   u < stuckAt0 + stuckAt1 → stuck at L (stuck-on). The map depends only on (seed, a, rows, cols).
// Variation. Per array, per cell in row-major order, two standard normals z1, z2 (Irwin–Hall: the sum of 12
//   uniforms − 6, exact integer-derived arithmetic, so every host gives the same bits; tails end at ±6σ):
//   G = max(0, level · (1 + multiplicative · z1) + additive · L · z2), rounded to f32, sampled once when the
//   operator is built (after faults). Column sums are then f32 in a fixed order and the ADC makes integers.
//   Any `variation` object (even with σ = 0) selects this f32 conductance path; without it the path is exact.
// ADC output. The digital side adds code · step (so step 1 keeps unit-cell current units).
// Exactness. Within the option limits (in ≤ 2^24, codes ≤ 8 bits, cells ≤ 4 bits) the integer path's partial sums
//   stay below 2^48, so the f64 accumulation is exact; with adcStep ≠ 1 the sums are code · step products.
// Counters. conversions (ADC conversions run), saturations (conversions clipped at either end), cellReads
// (per cycle and array: rows with a non-zero input slice × used columns), cycles (input cycles × samples).
import { BitsieveError, describe } from '../runtime/errors.js';
import { expectInt, expectOneOf } from '../runtime/validate.js';
import { roundHalfAway } from '../formats/gguf/ggml-arith.js';
import { mix32 } from '../formats/lfsr.js';
import { Xoshiro128 } from '../sc/sources/uniform.js';

export type CrossbarMapping = 'two-column' | 'offset' | 'differential' | 'polarized';
export type CrossbarInputEncoding = 'unsigned' | 'twos-complement' | 'sign-split';

export interface CrossbarFaults {
  /** Fraction of cells stuck at level 0 (lowest conductance), in [0, 1]. Default 0. */
  stuckAt0?: number;
  /** Fraction of cells stuck at the highest level (stuck-on), in [0, 1]; stuckAt0 + stuckAt1 ≤ 1. Default 0. */
  stuckAt1?: number;
  /** Seed in [0, 2^32). Default 0. */
  seed?: number;
}

export interface CrossbarVariation {
  /** σ of G·(1 + σ·N(0,1)). Default 0. */
  multiplicative?: number;
  /** σ of G + σ·Gmax·N(0,1). Default 0. */
  additive?: number;
  /** Seed in [0, 2^32). Default 0. */
  seed?: number;
}

export interface CrossbarOptions {
  /** Signed weight code width 2..8. Default 8. */
  weightBits?: number;
  /** Float weights: one scale for the tensor ('per-tensor', default) or one per output row. */
  weightScaling?: 'per-tensor' | 'per-row';
  /** Int8Array codes: their scale (one number, or one per output row). Default 1. */
  weightScale?: number | Float32Array | Float64Array;
  /** Bits per cell 1..4. Default 2. */
  cellBits?: number;
  /** Rows per physical array 1..1024. Default 128. */
  rows?: number;
  /** Columns per physical array 1..1024. Default 128. */
  cols?: number;
  /** Signed-weight mapping. Default 'two-column'. */
  mapping?: CrossbarMapping;
  /** 'polarized': rows per column fragment (a multiple of 8 dividing rows). Default 8. */
  fragmentRows?: number;
  /** Input code width 1..8. Default 8. */
  inputBits?: number;
  /** Input bits driven per cycle 1..8. Default 1. */
  inputBitsPerCycle?: number;
  /** How input codes are driven. Default 'twos-complement'. */
  inputEncoding?: CrossbarInputEncoding;
  /** forward(): a fixed input scale (code = x / inputScale); default: per-sample max-abs. */
  inputScale?: number;
  /** ADC resolution 1..8 or 'ideal'. Default 'ideal'. */
  adcBits?: number | 'ideal';
  /** ADC LSB in unit-cell currents (> 0). Default 1. */
  adcStep?: number;
  faults?: CrossbarFaults;
  variation?: CrossbarVariation;
}

export interface ResolvedCrossbar {
  weightBits: number;
  cellBits: number;
  rows: number;
  cols: number;
  mapping: CrossbarMapping;
  fragmentRows: number;
  inputBits: number;
  inputBitsPerCycle: number;
  inputEncoding: CrossbarInputEncoding;
  inputScale: number | undefined;
  /** −1 = ideal. */
  adcMax: number;
  adcStep: number;
  stuckAt0: number;
  stuckAt1: number;
  faultSeed: number;
  multiplicative: number;
  additive: number;
  variationSeed: number;
}

const MAPPINGS: readonly CrossbarMapping[] = ['two-column', 'offset', 'differential', 'polarized'];
const ENCODINGS: readonly CrossbarInputEncoding[] = ['unsigned', 'twos-complement', 'sign-split'];

function expectReal(name: string, value: unknown, min: number, max: number, openMin = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > max || value < min || (openMin && value === min)) {
    throw new BitsieveError('E_RANGE', `${name}: expected a number in ${openMin ? '(' : '['}${min}, ${max}], received ${describe(value)}`);
  }
  return value;
}

function expectObject(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new BitsieveError('E_DTYPE', `${name}: expected an object, received ${describe(value)}`);
  return value as Record<string, unknown>;
}

/** Validates every option (defaults filled in) before anything is built. */
export function resolveCrossbar(options: CrossbarOptions = {}): ResolvedCrossbar {
  const o = expectObject('mac.crossbar options', options) as CrossbarOptions;
  const rows = expectInt('mac.crossbar rows', o.rows ?? 128, 1, 1024);
  const mapping = expectOneOf('mac.crossbar mapping', o.mapping ?? 'two-column', MAPPINGS);
  const fragmentRows = expectInt('mac.crossbar fragmentRows', o.fragmentRows ?? 8, 8, 1024);
  if (mapping === 'polarized' && (fragmentRows % 8 !== 0 || rows % fragmentRows !== 0)) {
    throw new BitsieveError('E_RANGE', `mac.crossbar fragmentRows: expected a multiple of 8 dividing rows ${rows}, received ${fragmentRows}`);
  }
  const inputEncoding = expectOneOf('mac.crossbar inputEncoding', o.inputEncoding ?? 'twos-complement', ENCODINGS);
  const inputBits = expectInt('mac.crossbar inputBits', o.inputBits ?? 8, inputEncoding === 'unsigned' ? 1 : 2, 8);
  const adcBits = o.adcBits ?? 'ideal';
  const adcMax = adcBits === 'ideal' ? -1 : 2 ** expectInt('mac.crossbar adcBits', adcBits, 1, 8) - 1;
  const faults = expectObject('mac.crossbar faults', o.faults) as CrossbarFaults;
  const variation = expectObject('mac.crossbar variation', o.variation) as CrossbarVariation;
  const stuckAt0 = expectReal('mac.crossbar faults.stuckAt0', faults.stuckAt0 ?? 0, 0, 1);
  const stuckAt1 = expectReal('mac.crossbar faults.stuckAt1', faults.stuckAt1 ?? 0, 0, 1);
  if (stuckAt0 + stuckAt1 > 1) throw new BitsieveError('E_RANGE', `mac.crossbar faults: expected stuckAt0 + stuckAt1 ≤ 1, received ${stuckAt0 + stuckAt1}`);
  return {
    weightBits: expectInt('mac.crossbar weightBits', o.weightBits ?? 8, 2, 8),
    cellBits: expectInt('mac.crossbar cellBits', o.cellBits ?? 2, 1, 4),
    rows,
    cols: expectInt('mac.crossbar cols', o.cols ?? 128, 1, 1024),
    mapping,
    fragmentRows,
    inputBits,
    inputBitsPerCycle: expectInt('mac.crossbar inputBitsPerCycle', o.inputBitsPerCycle ?? 1, 1, 8),
    inputEncoding,
    inputScale: o.inputScale === undefined ? undefined : expectReal('mac.crossbar inputScale', o.inputScale, 0, Number.MAX_VALUE, true),
    adcMax,
    adcStep: expectReal('mac.crossbar adcStep', o.adcStep ?? 1, 0, 2 ** 30, true),
    stuckAt0,
    stuckAt1,
    faultSeed: expectInt('mac.crossbar faults.seed', faults.seed ?? 0, 0, 2 ** 32 - 1),
    multiplicative: expectReal('mac.crossbar variation.multiplicative', variation.multiplicative ?? 0, 0, 1e6),
    additive: expectReal('mac.crossbar variation.additive', variation.additive ?? 0, 0, 1e6),
    variationSeed: expectInt('mac.crossbar variation.seed', variation.seed ?? 0, 0, 2 ** 32 - 1),
  };
}

export interface QuantizedWeights {
  codes: Int8Array;
  /** One scale per output row (the same value repeated for per-tensor scaling). */
  scales: Float64Array;
}

/** Float weights → symmetric signed codes, or Int8Array codes checked against the range. */
export function quantizeWeights(weights: Float32Array | Int8Array, out: number, inF: number, o: CrossbarOptions, bits: number): QuantizedWeights {
  const q = 2 ** (bits - 1) - 1;
  const scales = new Float64Array(out);
  if (weights instanceof Int8Array) {
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] < -q || weights[i] > q) throw new BitsieveError('E_RANGE', `mac.crossbar weights: expected codes in [${-q}, ${q}] (weightBits ${bits}), received ${weights[i]} at ${i}`);
    }
    const s = o.weightScale ?? 1;
    if (typeof s === 'number') scales.fill(expectReal('mac.crossbar weightScale', s, 0, Number.MAX_VALUE, true));
    else if ((s instanceof Float32Array || s instanceof Float64Array) && s.length === out) scales.set(s);
    else throw new BitsieveError('E_SHAPE', `mac.crossbar weightScale: expected a number or ${out} scales, received ${describe(s)}`);
    return { codes: weights.slice(), scales };
  }
  const perRow = expectOneOf('mac.crossbar weightScaling', o.weightScaling ?? 'per-tensor', ['per-tensor', 'per-row'] as const) === 'per-row';
  let all = 0;
  for (let r = 0; r < out; r++) {
    let m = 0;
    for (let i = 0; i < inF; i++) {
      const v = weights[r * inF + i];
      if (!Number.isFinite(v)) throw new BitsieveError('E_RANGE', `mac.crossbar weights: expected finite values, received ${v} at ${r * inF + i}`);
      m = Math.max(m, Math.abs(v));
    }
    scales[r] = m;
    all = Math.max(all, m);
  }
  for (let r = 0; r < out; r++) scales[r] = (perRow ? scales[r] : all) / q || 1;
  const codes = new Int8Array(out * inF);
  for (let r = 0; r < out; r++) {
    for (let i = 0; i < inF; i++) codes[r * inF + i] = Math.max(-q, Math.min(q, roundHalfAway(weights[r * inF + i] / scales[r])));
  }
  return { codes, scales };
}

/** The physical layout of a layer: slices, columns, tiles. */
export interface CrossbarLayout {
  out: number;
  inF: number;
  /** Cells per weight. */
  slices: number;
  /** Columns per (neuron, slice): 2 for two-column / differential, 1 otherwise. */
  pair: number;
  logicalCols: number;
  rowTiles: number;
  colTiles: number;
  arrays: number;
  /** Row groups per array column converted separately (rows / fragmentRows for polarized, else 1). */
  groups: number;
  groupRows: number;
}

export function crossbarLayout(out: number, inF: number, r: ResolvedCrossbar): CrossbarLayout {
  const storedBits = r.mapping === 'offset' ? r.weightBits : r.weightBits - 1;
  const slices = Math.ceil(storedBits / r.cellBits);
  const pair = r.mapping === 'two-column' || r.mapping === 'differential' ? 2 : 1;
  const logicalCols = pair * out * slices;
  const rowTiles = Math.ceil(inF / r.rows);
  const colTiles = Math.ceil(logicalCols / r.cols);
  const polarized = r.mapping === 'polarized';
  return {
    out, inF, slices, pair, logicalCols, rowTiles, colTiles, arrays: rowTiles * colTiles,
    groups: polarized ? r.rows / r.fragmentRows : 1,
    groupRows: polarized ? r.fragmentRows : r.rows,
  };
}

/**
 * Fragment signs for 'polarized' ([out][fragment], +1 / −1; all-zero fragments +1), or E_RANGE when a fragment
 * of fragmentRows consecutive inputs of one neuron mixes signs.
 */
export function fragmentSigns(codes: Int8Array, out: number, inF: number, fragmentRows: number): Int8Array {
  const fragments = Math.ceil(inF / fragmentRows);
  const signs = new Int8Array(out * fragments).fill(1);
  for (let o = 0; o < out; o++) {
    for (let f = 0; f < fragments; f++) {
      let pos = false, neg = false;
      for (let i = f * fragmentRows; i < Math.min(inF, (f + 1) * fragmentRows); i++) {
        const q = codes[o * inF + i];
        pos ||= q > 0;
        neg ||= q < 0;
      }
      if (pos && neg) throw new BitsieveError('E_RANGE', `mac.crossbar polarized: expected one sign per fragment of ${fragmentRows} rows, received mixed signs in neuron ${o}, inputs ${f * fragmentRows}..${Math.min(inF, (f + 1) * fragmentRows) - 1} (see polarize())`);
      if (neg) signs[o * fragments + f] = -1;
    }
  }
  return signs;
}

/** The level (0..L) a mapping programs into pair member p, slice k, for weight code q. */
export function cellLevel(mapping: CrossbarMapping, q: number, p: number, k: number, r: ResolvedCrossbar): number {
  const c = r.cellBits;
  const L = 2 ** c - 1;
  const slice = (v: number) => Math.floor(v / 2 ** (k * c)) & L;
  switch (mapping) {
    case 'two-column':
      return slice(p === 0 ? Math.max(q, 0) : Math.max(-q, 0));
    case 'differential':
      if (p === 0) return q < 0 ? L - slice(-q) : L;
      return q > 0 ? L - slice(q) : L;
    case 'offset':
      return slice(q + 2 ** (r.weightBits - 1));
    case 'polarized':
      return slice(Math.abs(q));
  }
}

/** The column's digital weight (sign · 2^(k·cellBits)) for logical column (p, k). */
export function columnWeight(mapping: CrossbarMapping, p: number, k: number, cellBits: number): number {
  const w = 2 ** (k * cellBits);
  return (mapping === 'two-column' || mapping === 'differential') && p === 1 ? -w : w;
}

/** The seed of array a's stream (salt separates faults from variation). */
export function arraySeed(seed: number, array: number, salt: number): number {
  return mix32((mix32((seed ^ salt) >>> 0) + Math.imul(array + 1, 0x9e3779b9)) >>> 0);
}

const FAULT_SALT = 0x5a7c0de1;
const VARIATION_SALT = 0x0a71a7e5;

export const FAULT_NONE = 0;
export const FAULT_STUCK_AT_0 = 1;
export const FAULT_STUCK_AT_1 = 2;

/** Array a's fault map, rows × cols row-major: 0 none, 1 stuck at level 0, 2 stuck at the top level. */
export function arrayFaults(r: ResolvedCrossbar, array: number): Uint8Array {
  const map = new Uint8Array(r.rows * r.cols);
  if (r.stuckAt0 === 0 && r.stuckAt1 === 0) return map;
  const rng = new Xoshiro128(arraySeed(r.faultSeed, array, FAULT_SALT));
  const both = r.stuckAt0 + r.stuckAt1;
  for (let i = 0; i < map.length; i++) {
    const u = rng.next() / 4294967296;
    map[i] = u < r.stuckAt0 ? FAULT_STUCK_AT_0 : u < both ? FAULT_STUCK_AT_1 : FAULT_NONE;
  }
  return map;
}

/** ≈ N(0, 1): Irwin–Hall sum of 12 uniforms − 6 (host-independent: only exact arithmetic). */
function irwinHall(rng: Xoshiro128): number {
  let s = 0;
  for (let k = 0; k < 12; k++) s += rng.next();
  return s / 4294967296 - 6;
}

/** Array a's two normal draws per cell (multiplicative, additive), rows × cols row-major, interleaved. */
export function arrayVariation(r: ResolvedCrossbar, array: number): Float64Array {
  const rng = new Xoshiro128(arraySeed(r.variationSeed, array, VARIATION_SALT));
  const z = new Float64Array(2 * r.rows * r.cols);
  for (let i = 0; i < z.length; i++) z[i] = irwinHall(rng);
  return z;
}

/** One bit-serial input cycle: which value it slices, its bits, and its digital weight. */
export interface InputCycle {
  source: 'value' | 'positive' | 'negative';
  offset: number;
  bits: number;
  weight: number;
}

export function inputCycles(r: ResolvedCrossbar): InputCycle[] {
  const p = r.inputBitsPerCycle;
  const sliced = (source: InputCycle['source'], bits: number, sign: number): InputCycle[] => {
    const cycles: InputCycle[] = [];
    for (let offset = 0; offset < bits; offset += p) cycles.push({ source, offset, bits: Math.min(p, bits - offset), weight: sign * 2 ** offset });
    return cycles;
  };
  const B = r.inputBits;
  switch (r.inputEncoding) {
    case 'unsigned':
      return sliced('value', B, 1);
    case 'twos-complement':
      return [...sliced('value', B - 1, 1), { source: 'value', offset: B - 1, bits: 1, weight: -(2 ** (B - 1)) }];
    case 'sign-split':
      return [...sliced('positive', B, 1), ...sliced('negative', B, -1)];
  }
}

/** The slice value a cycle drives for input code x. */
export function cycleValue(cycle: InputCycle, x: number, inputBits: number): number {
  const v = cycle.source === 'value' ? x & (2 ** inputBits - 1) : cycle.source === 'positive' ? Math.max(x, 0) : Math.max(-x, 0);
  return (v >>> cycle.offset) & (2 ** cycle.bits - 1);
}
