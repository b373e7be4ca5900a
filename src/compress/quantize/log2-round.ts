// Rounding to the nearest power of two in the log domain, exactly: p = round(log2 v). The boundary between
// 2^m and 2^(m+1) is 2^(m+½) = 2^m·√2, which is irrational, so no float is ever a tie, and
// Math.SQRT2 (the double just above √2) makes the comparison exact: for a double u in [1, 2),
// u ≥ Math.SQRT2 ⟺ u > √2. Math.log2 alone could misround values within an ulp of a boundary.

/** ⌊log2 v⌋ for a finite v > 0, exact (Math.log2's estimate corrected by exact power-of-two comparisons). */
export function floorLog2(v: number): number {
  let m = Math.floor(Math.log2(v));
  if (2 ** m > v) m--;
  else if (2 ** (m + 1) <= v) m++;
  return m;
}

/** The integer p nearest to log2 v, for a finite v > 0: 2^p is v's nearest power of two in the log domain. */
export function nearestLog2(v: number): number {
  const m = floorLog2(v);
  return v / 2 ** m >= Math.SQRT2 ? m + 1 : m;
}
