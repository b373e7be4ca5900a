// Approximate adders with an exact upper part and an approximate lower part of `lowerBits` bits.
// `add(a, b)` here is the reference; the GEMM's accumulating kernel (assembly/mac/table-gemm-lpa.ts) runs the same
// bit operations on its accumulator.
//
// Sources and definitions:
// - Lower-part-OR adder (LOA; Mahdiani, Ahmadi, Fakhraie, Lucas, IEEE TCAS-I 57(4) 2010): sum bits below
//   `lowerBits` are a_i OR b_i; the upper part is an exact adder whose carry-in is a_(l−1) AND b_(l−1) (the AND
//   of the lower part's most significant bits). Option `carryIn`: 'and' (default, Mahdiani) | 'none' (the
//   variant without the AND gate, e.g. the Chisel library aproposorg/approx LOA).
// - Truncated adder: sum bits below `lowerBits` are 0 and the upper part gets no carry-in (the lower bits of both
//   operands are ignored).
// - Widths: an adder for w-bit operands (default 8, two's complement unless `signed: false`) is w + 1 bits wide
//   (operands sign- or zero-extended), so the exact adder never overflows and its result is a + b. In the GEMM the
//   same adder is the accumulator's: `accumulatorBits` wide, every sum wraps to that two's-complement width.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectInteger, expectOneOf } from '../../runtime/validate.js';

export type AdderSpec =
  | { kind: 'exact' }
  | { kind: 'loa'; /** approximate low bits l ≥ 0 (0 = exact). */ lowerBits: number; /** default 'and' */ carryIn?: 'and' | 'none' }
  | { kind: 'truncated'; /** low sum bits forced to 0 (0 = exact). */ lowerBits: number };

export type AdderOptions = AdderSpec & {
  /** Operand width w, 1..16 (default 8); the adder is w + 1 bits wide. */
  bits?: number;
  /** Two's-complement operands (default true). */
  signed?: boolean;
};

/** The bit-level parameters of a lower-part adder (what the accumulating kernel takes). */
export interface LowerPartAdder {
  lowerBits: number;
  /** Lower sum bits: OR of the operands' bits (true) or 0 (false). */
  orLower: boolean;
  /** Upper part's carry-in = AND of both operands' bit l − 1. */
  andCarry: boolean;
}

export interface ApproxAdder {
  readonly unit: 'adder';
  readonly spec: AdderSpec;
  readonly bits: number;
  readonly signed: boolean;
  readonly min: number;
  readonly max: number;
  readonly lowerPart: LowerPartAdder;
  /** The approximate sum (w + 1 bits wide, so never wrapped). */
  add(a: number, b: number): number;
  /** a + b. */
  exact(a: number, b: number): number;
  /** @internal add without the operand checks (errorStats). */
  readonly unchecked: (a: number, b: number) => number;
}

/** Validates an adder spec and returns its bit-level parameters; `maxLower` bounds lowerBits. */
export function lowerPartOf(name: string, spec: AdderSpec, maxLower: number): LowerPartAdder {
  if (typeof spec !== 'object' || spec === null) throw new BitsieveError('E_RANGE', `${name}: expected an adder spec object, received ${describe(spec)}`);
  const kind = expectOneOf(`${name} kind`, spec.kind, ['exact', 'loa', 'truncated'] as const);
  if (kind === 'exact') return { lowerBits: 0, orLower: false, andCarry: false };
  const lowerBits = expectInteger(`${name} lowerBits`, (spec as { lowerBits: unknown }).lowerBits, 0, maxLower);
  if (kind === 'truncated') return { lowerBits, orLower: false, andCarry: false };
  const carryIn = expectOneOf(`${name} carryIn`, (spec as { carryIn?: unknown }).carryIn ?? 'and', ['and', 'none'] as const);
  return { lowerBits, orLower: true, andCarry: carryIn === 'and' && lowerBits > 0 };
}

/**
 * The lower-part adder on two `width`-bit patterns (width ≤ 53), as an unsigned `width`-bit pattern:
 * lower bits by `orLower`, upper bits = exact sum of the upper parts plus the optional AND carry, wrapped.
 */
export function lowerPartSum(lp: LowerPartAdder, width: number, A: number, B: number): number {
  const l = lp.lowerBits;
  const unit = 2 ** l;
  const la = A % unit;
  const lb = B % unit;
  let lower = 0;
  if (lp.orLower) for (let i = 0, bit = 1; i < l; i++, bit *= 2) if (Math.floor(la / bit) % 2 === 1 || Math.floor(lb / bit) % 2 === 1) lower += bit;
  const carry = lp.andCarry && Math.floor(la / (unit / 2)) === 1 && Math.floor(lb / (unit / 2)) === 1 ? 1 : 0;
  const upper = ((Math.floor(A / unit) + Math.floor(B / unit) + carry) * unit) % 2 ** width;
  return upper + lower;
}

/**
 * An approximate adder. Example: `approxAdder({ kind: 'loa', lowerBits: 4 }).add(-100, 77)`.
 * Defaults: bits 8, signed true, LOA carryIn 'and'.
 */
export function approxAdder(options: AdderOptions): ApproxAdder {
  const w = expectInteger('approxAdder bits', options?.bits ?? 8, 1, 16);
  const signed = options.signed ?? true;
  if (typeof signed !== 'boolean') throw new BitsieveError('E_RANGE', `approxAdder signed: expected a boolean, received ${describe(signed)}`);
  const lp = lowerPartOf('approxAdder', options, w + 1);
  const spec: AdderSpec = options.kind === 'exact' ? { kind: 'exact' } : options.kind === 'truncated' ? { kind: 'truncated', lowerBits: lp.lowerBits } : { kind: 'loa', lowerBits: lp.lowerBits, carryIn: (options as { carryIn?: 'and' | 'none' }).carryIn ?? 'and' };
  const width = w + 1;
  const modulus = 2 ** width;
  const min = signed ? -(2 ** (w - 1)) : 0;
  const max = signed ? 2 ** (w - 1) - 1 : 2 ** w - 1;
  const check = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new BitsieveError('E_RANGE', `add ${name}: expected an integer in [${min}, ${max}], received ${describe(v)}`);
  };
  const sum = (a: number, b: number): number => {
    const s = lowerPartSum(lp, width, (a + modulus) % modulus, (b + modulus) % modulus);
    return signed && s >= modulus / 2 ? s - modulus : s;
  };
  return {
    unit: 'adder',
    spec,
    bits: w,
    signed,
    min,
    max,
    lowerPart: lp,
    add(a, b) {
      check('a', a);
      check('b', b);
      return sum(a, b);
    },
    exact: (a, b) => a + b,
    unchecked: sum,
  };
}
