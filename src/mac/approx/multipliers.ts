// Approximate multipliers on w-bit operands, defined on the partial-product (PP) matrix of an array multiplier.
// `multiply(a, b)` here is the reference; the GEMM runs its product table (productTable) through the
// product-table kernel.
//
// Sources and definitions:
// - PP matrix: bit i of the multiplicand a times bit j of the multiplier b sits in row j, column i + j. Operand a
//   indexes columns inside a row, operand b selects the row (the GEMM passes the activation as a, the weight as b).
// - Truncated multiplier (fixed-width / truncated multiplication, Schulte & Swartzlander 1993 "Truncated
//   multiplication with correction constant"; the same "omit the t least-significant PP columns" definition as
//   EvoApproxLib's "truncation" family): every PP bit in a column < `columns` is removed. `correction`:
//   'none' (default) | 'expected' | an explicit integer constant added to the product. 'expected' is the
//   constant-correction choice: the mean of the removed PP terms when every operand bit is an independent fair
//   coin (each AND term is 1 with probability 1/4; signed terms keep their sign), rounded half-up to a multiple
//   of 2^columns (the constant only feeds the kept columns, as in hardware).
// - Broken-array multiplier (BAM; Mahdiani, Ahmadi, Fakhraie, Lucas, IEEE TCAS-I 57(4) 2010): the carry-save
//   cells of the `hbl` least-significant rows (horizontal break level) and of every column < `vbl` (vertical
//   break level) are omitted; carries only flow towards higher columns, so the result is exactly the sum of the
//   kept PP terms (row j ≥ hbl and column i + j ≥ vbl), as in ArithsGen's UnsignedBrokenArrayMultiplier.
//   BAM with hbl = 0 is the truncated multiplier without correction.
// - Kulkarni's underdesigned multiplier (Kulkarni, Gupta, Ercegovac, VLSI Design 2011): a 2×2 block whose only
//   error is 3 × 3 = 7 (output bits a1b1, a0b1 | a1b0, a0b0), w-bit operands (w even) as 2-bit digits, the
//   digit products summed exactly (as aproposorg/approx builds larger multipliers from the block). Signed operands
//   only with signedForm 'sign-magnitude' (E_UNSUPPORTED otherwise).
// - Signed operands, option `signedForm` (default 'baugh-wooley'):
//   'baugh-wooley': the two's-complement PP matrix: term (i, j) has weight −2^(i+j) when exactly one of i, j is
//     w − 1 and +2^(i+j) otherwise (the Baugh–Wooley array before its NAND/constant rewrite); an omitted cell
//     removes its term, with the array's correction constants re-derived for the kept cells. This reproduces
//     EvoApproxLib's signed BAM: bw = 8, v = 11, h = 6 has MRE 147.6305 % (mul8s_pwr_0_024_mre_147_6305),
//     checked in test/mac-approx.test.ts.
//   'sign-magnitude': the unsigned w-bit core on |a| and |b| (|−2^(w−1)| = 2^(w−1) fits in w bits), the sign
//     applied to the result.
// - Unsigned (`signed: false`): operands in [0, 2^w), plain AND matrix.
// Results are exact integers (the kept PP sum plus the correction; no wrap: every kept subset fits in 2w + 1 bits).
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectInteger, expectOneOf } from '../../runtime/validate.js';

export type SignedForm = 'baugh-wooley' | 'sign-magnitude';
export type TruncationCorrection = 'none' | 'expected' | number;

export type MultiplierSpec =
  | { kind: 'exact' }
  | { kind: 'truncated'; /** PP columns removed: 0..2w (0 = exact). */ columns: number; /** default 'none' */ correction?: TruncationCorrection }
  | { kind: 'bam'; /** rows removed: 0..w. */ hbl: number; /** columns removed: 0..2w. */ vbl: number }
  | { kind: 'kulkarni' };

export interface OperandOptions {
  /** Operand width w, 2..12 (default 8; the GEMM takes w ≤ 8). */
  bits?: number;
  /** Two's-complement operands (default true). */
  signed?: boolean;
  /** How signed operands use the array (default 'baugh-wooley'). */
  signedForm?: SignedForm;
}

export type MultiplierOptions = MultiplierSpec & OperandOptions;

/** An approximate multiplier: `multiply` is the bit-level reference, `productTable` its table for the GEMM. */
export interface ApproxMultiplier {
  readonly unit: 'multiplier';
  readonly spec: MultiplierSpec;
  readonly bits: number;
  readonly signed: boolean;
  readonly signedForm: SignedForm;
  /** Operand range [min, max]. */
  readonly min: number;
  readonly max: number;
  /** The approximate product of a (multiplicand, columns) and b (multiplier, rows). */
  multiply(a: number, b: number): number;
  /** a · b. */
  exact(a: number, b: number): number;
  /** @internal multiply without the operand checks (errorStats, tables). */
  readonly unchecked: (a: number, b: number) => number;
  /** 2^w × 2^w products indexed [code(a)][code(b)], code = the w-bit pattern (two's complement when signed). */
  productTable(): Int32Array;
}

/** Which PP terms survive: bit i of `keep[j]` says term (i, j) is kept. */
function keptRows(spec: MultiplierSpec, w: number): Int32Array {
  const rows = new Int32Array(w);
  for (let j = 0; j < w; j++) {
    let mask = 0;
    for (let i = 0; i < w; i++) {
      const column = i + j;
      const kept = spec.kind === 'exact' || spec.kind === 'kulkarni' ? true : spec.kind === 'truncated' ? column >= spec.columns : j >= spec.hbl && column >= spec.vbl;
      if (kept) mask |= 1 << i;
    }
    rows[j] = mask;
  }
  return rows;
}

/** Sum of the kept PP terms of the w-bit patterns A, B; `twos` gives row/column w − 1 their negative weights. */
function keptSum(rows: Int32Array, w: number, A: number, B: number, twos: boolean): number {
  const top = twos ? 1 << (w - 1) : 0;
  let p = 0;
  for (let j = 0; j < w; j++) {
    if (((B >> j) & 1) === 0) continue;
    const kept = A & rows[j];
    const row = twos && j === w - 1 ? (kept & top) - (kept & ~top) : (kept & ~top) - (kept & top);
    p += row * (1 << j); // |row| < 2^12, j < 12: exact
  }
  return p;
}

/** Kulkarni's 2×2 block (3 × 3 → 7, every other product exact) on every pair of 2-bit digits, summed exactly. */
function kulkarniSum(w: number, A: number, B: number): number {
  let p = 0;
  for (let j = 0; j < w; j += 2) {
    const bj = (B >> j) & 3;
    for (let i = 0; i < w; i += 2) {
      const ai = (A >> i) & 3;
      p += (ai === 3 && bj === 3 ? 7 : ai * bj) * (1 << (i + j));
    }
  }
  return p;
}

/** Mean of the removed terms when every operand bit is a fair coin (AND term = 1 with probability 1/4). */
function expectedRemoved(rows: Int32Array, w: number, twos: boolean): number {
  let e = 0;
  for (let j = 0; j < w; j++) {
    for (let i = 0; i < w; i++) {
      if ((rows[j] >> i) & 1) continue;
      const negative = twos && (i === w - 1) !== (j === w - 1);
      e += ((negative ? -1 : 1) * 2 ** (i + j)) / 4;
    }
  }
  return e;
}

/** The operand options shared by the multipliers and the toggle model, validated, with their defaults. */
export function operandOptions(name: string, options: OperandOptions, maxBits: number): { w: number; signed: boolean; signedForm: SignedForm } {
  const w = expectInteger(`${name} bits`, options.bits ?? 8, 2, maxBits);
  const signed = options.signed ?? true;
  if (typeof signed !== 'boolean') throw new BitsieveError('E_RANGE', `${name} signed: expected a boolean, received ${describe(signed)}`);
  const signedForm = expectOneOf(`${name} signedForm`, options.signedForm ?? 'baugh-wooley', ['baugh-wooley', 'sign-magnitude'] as const);
  return { w, signed, signedForm };
}

/**
 * An approximate multiplier. Example: `approxMultiplier({ kind: 'bam', hbl: 2, vbl: 6 }).multiply(-100, 77)`.
 * Defaults: bits 8, signed true, signedForm 'baugh-wooley', truncation correction 'none'.
 */
export function approxMultiplier(options: MultiplierOptions): ApproxMultiplier {
  if (typeof options !== 'object' || options === null) throw new BitsieveError('E_RANGE', `approxMultiplier: expected an options object, received ${describe(options)}`);
  const { w, signed, signedForm } = operandOptions('approxMultiplier', options, 12);
  const kind = expectOneOf('approxMultiplier kind', options.kind, ['exact', 'truncated', 'bam', 'kulkarni'] as const);
  let spec: MultiplierSpec;
  let correction = 0;
  if (kind === 'exact') spec = { kind };
  else if (kind === 'kulkarni') {
    if (w % 2 !== 0) throw new BitsieveError('E_RANGE', `approxMultiplier kulkarni: expected an even operand width (2×2 blocks), received ${w}`);
    if (signed && signedForm !== 'sign-magnitude') {
      throw new BitsieveError('E_UNSUPPORTED', "approxMultiplier kulkarni: signed operands need signedForm 'sign-magnitude' (the 2×2 blocks have no two's-complement form)");
    }
    spec = { kind };
  }
  else if (kind === 'bam') {
    const o = options as { hbl: unknown; vbl: unknown };
    spec = { kind, hbl: expectInteger('approxMultiplier hbl', o.hbl, 0, w), vbl: expectInteger('approxMultiplier vbl', o.vbl, 0, 2 * w) };
  } else {
    const o = options as { columns: unknown; correction?: unknown };
    const columns = expectInteger('approxMultiplier columns', o.columns, 0, 2 * w);
    const c = o.correction ?? 'none';
    if (typeof c === 'number') correction = expectInteger('approxMultiplier correction', c, -(2 ** (2 * w)), 2 ** (2 * w));
    else expectOneOf('approxMultiplier correction', c, ['none', 'expected'] as const);
    spec = { kind, columns, correction: c as TruncationCorrection };
  }
  const rows = keptRows(spec, w);
  const twos = signed && signedForm === 'baugh-wooley';
  if (spec.kind === 'truncated' && spec.correction === 'expected') {
    const unit = 2 ** spec.columns;
    correction = Math.floor(expectedRemoved(rows, w, twos) / unit + 0.5) * unit;
  }
  const min = signed ? -(2 ** (w - 1)) : 0;
  const max = signed ? 2 ** (w - 1) - 1 : 2 ** w - 1;
  const mask = 2 ** w - 1;
  const check = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new BitsieveError('E_RANGE', `multiply ${name}: expected an integer in [${min}, ${max}], received ${describe(v)}`);
  };
  const unsignedCore = spec.kind === 'kulkarni' ? (A: number, B: number) => kulkarniSum(w, A, B) : (A: number, B: number) => keptSum(rows, w, A, B, false) + correction;
  const core = (a: number, b: number): number => {
    if (!signed) return unsignedCore(a, b);
    if (twos) return keptSum(rows, w, a & mask, b & mask, true) + correction;
    const magnitude = unsignedCore(Math.abs(a), Math.abs(b));
    return (a < 0) !== (b < 0) ? 0 - magnitude : magnitude; // 0 − x, not −x: never −0
  };
  const unit: ApproxMultiplier = {
    unit: 'multiplier',
    spec,
    bits: w,
    signed,
    signedForm,
    min,
    max,
    multiply(a, b) {
      check('a', a);
      check('b', b);
      return core(a, b);
    },
    exact: (a, b) => a * b,
    unchecked: core,
    productTable() {
      const n = 2 ** w;
      const table = new Int32Array(n * n);
      const decode = (code: number) => (signed && code > max ? code - n : code);
      for (let ca = 0; ca < n; ca++) for (let cb = 0; cb < n; cb++) table[ca * n + cb] = core(decode(ca), decode(cb));
      return table;
    },
  };
  return unit;
}
