// Plain bit-by-bit references for the approximate units (written from the definitions in the file comments of
// src/mac/approx/*.ts, one PP term / one full adder at a time, no masks or shortcuts).

const bit = (v: number, i: number) => Math.floor(v / 2 ** i) % 2;
/** w-bit two's-complement pattern of a signed value (unsigned values unchanged). */
const pattern = (v: number, w: number) => (v < 0 ? v + 2 ** w : v);

export type RefMultiplier =
  | { kind: 'exact' }
  | { kind: 'truncated'; columns: number; correction?: number }
  | { kind: 'bam'; hbl: number; vbl: number }
  | { kind: 'kulkarni' };

function kept(spec: RefMultiplier, i: number, j: number): boolean {
  if (spec.kind === 'truncated') return i + j >= spec.columns;
  if (spec.kind === 'bam') return j >= spec.hbl && i + j >= spec.vbl;
  return true;
}

/** Σ over kept PP terms a_i·b_j·(±2^(i+j)); `twos`: terms with exactly one index w − 1 are negative. */
function ppSum(spec: RefMultiplier, w: number, A: number, B: number, twos: boolean): number {
  let p = 0;
  for (let j = 0; j < w; j++) {
    for (let i = 0; i < w; i++) {
      if (!kept(spec, i, j)) continue;
      const sign = twos && (i === w - 1) !== (j === w - 1) ? -1 : 1;
      p += sign * bit(A, i) * bit(B, j) * 2 ** (i + j);
    }
  }
  return p + (spec.kind === 'truncated' ? spec.correction ?? 0 : 0);
}

/** Kulkarni et al. 2011: 2-bit digits multiplied exactly except 3 · 3 = 7, shifted and summed. */
function kulkarni(w: number, A: number, B: number): number {
  let p = 0;
  for (let i = 0; i < w; i += 2) {
    for (let j = 0; j < w; j += 2) {
      const da = bit(A, i) + 2 * bit(A, i + 1);
      const db = bit(B, j) + 2 * bit(B, j + 1);
      p += (da === 3 && db === 3 ? 7 : da * db) * 2 ** (i + j);
    }
  }
  return p;
}

export function refMultiply(spec: RefMultiplier, w: number, form: 'unsigned' | 'baugh-wooley' | 'sign-magnitude', a: number, b: number): number {
  if (spec.kind === 'kulkarni') {
    const m = kulkarni(w, Math.abs(a), Math.abs(b));
    return (a < 0) !== (b < 0) ? 0 - m : m;
  }
  if (form === 'unsigned') return ppSum(spec, w, a, b, false);
  if (form === 'baugh-wooley') return ppSum(spec, w, pattern(a, w), pattern(b, w), true);
  const m = ppSum(spec, w, Math.abs(a), Math.abs(b), false);
  return (a < 0) !== (b < 0) ? 0 - m : m;
}

/**
 * Ripple-carry lower-part adder on `width`-bit patterns: bits below l are OR (or 0), the carry into bit l is
 * a_(l−1)·b_(l−1) (or 0), full adders above; the result is read back as a signed / unsigned width-bit value.
 */
export function refLowerPartAdd(a: number, b: number, width: number, l: number, lower: 'or' | 'zero', carryIn: 'and' | 'none', signed: boolean): number {
  const A = pattern(a, width);
  const B = pattern(b, width);
  let s = 0;
  for (let i = 0; i < l; i++) if (lower === 'or' && (bit(A, i) | bit(B, i))) s += 2 ** i;
  let carry = l > 0 && carryIn === 'and' ? bit(A, l - 1) & bit(B, l - 1) : 0;
  for (let i = l; i < width; i++) {
    const t = bit(A, i) + bit(B, i) + carry;
    s += (t % 2) * 2 ** i;
    carry = t >= 2 ? 1 : 0;
  }
  return signed && s >= 2 ** (width - 1) ? s - 2 ** width : s;
}
