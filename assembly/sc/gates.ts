// Gate-level stream arithmetic (sc_encoded_mac.md §2.2–2.4): AND / OR / XOR / XNOR / NOT and MUX selection on
// bit-packed streams (cycle t of a stream at bit t & 31 of word t >> 5; `stride` words per stream, a multiple
// of 4; pad bits past `length` are zero on input and kept zero on output). SIMD: one v128 op = 128 cycles.
// Every kernel is pure bit logic, so all three builds give identical bits.

export const GATE_AND: i32 = 0;
export const GATE_OR: i32 = 1;
export const GATE_XOR: i32 = 2;
export const GATE_XNOR: i32 = 3;
export const GATE_NOT: i32 = 4;

// @ts-ignore: decorator
@inline function gate64(op: i32, a: u64, b: u64): u64 {
  if (op == GATE_AND) return a & b;
  if (op == GATE_OR) return a | b;
  if (op == GATE_XOR) return a ^ b;
  if (op == GATE_XNOR) return ~(a ^ b);
  return ~a;
}

// @ts-ignore: decorator
@inline function gate128(op: i32, a: v128, b: v128): v128 {
  if (op == GATE_AND) return v128.and(a, b);
  if (op == GATE_OR) return v128.or(a, b);
  if (op == GATE_XOR) return v128.xor(a, b);
  if (op == GATE_XNOR) return v128.not(v128.xor(a, b));
  return v128.not(a);
}

/** Clears the pad bits (cycles ≥ length) of one stream of `stride` words at `s`. */
// @ts-ignore: decorator
@inline export function clearPad(s: usize, stride: i32, length: i32): void {
  const full = length >> 5;
  const rest = length & 31;
  let w = full;
  if (rest != 0) {
    const p = s + (<usize>w << 2);
    store<u32>(p, load<u32>(p) & ((<u32>1 << rest) - 1));
    w++;
  }
  for (; w < stride; w++) store<u32>(s + (<usize>w << 2), 0);
}

/**
 * out_i = op(a_i, b_i) for `count` streams (b ignored for NOT; b's streams repeat every `bStreams` streams, so
 * one stream can be combined with many). op: 0 AND, 1 OR, 2 XOR, 3 XNOR, 4 NOT.
 */
export function sc_gate(a: usize, b: usize, out: usize, count: i32, bStreams: i32, stride: i32, length: i32, op: i32): void {
  const bytes = <usize>stride << 2;
  for (let i = 0; i < count; i++) {
    const ap = a + <usize>i * bytes;
    const bp = b + <usize>(i % bStreams) * bytes;
    const op_ = out + <usize>i * bytes;
    if (ASC_FEATURE_SIMD) {
      for (let o: usize = 0; o < bytes; o += 16) v128.store(op_ + o, gate128(op, v128.load(ap + o), v128.load(bp + o)));
    } else {
      for (let o: usize = 0; o < bytes; o += 8) store<u64>(op_ + o, gate64(op, load<u64>(ap + o), load<u64>(bp + o)));
    }
    if (op == GATE_XNOR || op == GATE_NOT) clearPad(op_, stride, length);
  }
}

/** 2:1 MUX per cycle, out_i = s_i ? a_i : b_i (select streams repeat every `sStreams` streams). */
export function sc_mux2(a: usize, b: usize, s: usize, out: usize, count: i32, sStreams: i32, stride: i32): void {
  const bytes = <usize>stride << 2;
  for (let i = 0; i < count; i++) {
    const base = <usize>i * bytes;
    const sp = s + <usize>(i % sStreams) * bytes;
    if (ASC_FEATURE_SIMD) {
      for (let o: usize = 0; o < bytes; o += 16) {
        v128.store(out + base + o, v128.bitselect(v128.load(a + base + o), v128.load(b + base + o), v128.load(sp + o)));
      }
    } else {
      for (let o: usize = 0; o < bytes; o += 8) {
        const m = load<u64>(sp + o);
        store<u64>(out + base + o, (load<u64>(a + base + o) & m) | (load<u64>(b + base + o) & ~m));
      }
    }
  }
}

const TREE_MAX_INPUTS = 256;
const TREE = memory.data(TREE_MAX_INPUTS / 2 * 16, 16);

/**
 * n:1 MUX with k select streams (n = 2^k ≤ 256): per cycle the output copies input Σ_j 2^j·sel_j, built as the
 * hardware's tree of 2:1 MUXes (level j selects with sel_j, odd input of each pair when the bit is 1).
 * `groups` MUXes: group g reads inputs x[g·n … g·n + n − 1]; all groups share the k select streams.
 */
export function sc_mux_tree(x: usize, sel: usize, out: usize, groups: i32, k: i32, stride: i32): void {
  const n = 1 << k;
  const bytes = <usize>stride << 2;
  const step: usize = ASC_FEATURE_SIMD ? 16 : 8;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * <usize>n * bytes;
    for (let o: usize = 0; o < bytes; o += step) {
      let width = n;
      for (let j = 0; j < k; j++) {
        const sp = sel + <usize>j * bytes + o;
        width >>= 1;
        for (let p = 0; p < width; p++) {
          const dst = TREE + (<usize>p << 4);
          // Level 0 reads the inputs; later levels read the previous level's results in TREE.
          const lo = j == 0 ? xg + <usize>(2 * p) * bytes + o : TREE + (<usize>(2 * p) << 4);
          const hi = j == 0 ? xg + <usize>(2 * p + 1) * bytes + o : TREE + (<usize>(2 * p + 1) << 4);
          if (ASC_FEATURE_SIMD) v128.store(dst, v128.bitselect(v128.load(hi), v128.load(lo), v128.load(sp)));
          else {
            const m = load<u64>(sp);
            store<u64>(dst, (load<u64>(hi) & m) | (load<u64>(lo) & ~m));
          }
        }
      }
      const result = k == 0 ? xg + o : TREE;
      if (ASC_FEATURE_SIMD) v128.store(out + <usize>g * bytes + o, v128.load(result));
      else store<u64>(out + <usize>g * bytes + o, load<u64>(result));
    }
  }
}

/**
 * n:1 MUX with an explicit select index per cycle (idx: u16[length], each < n): cycle t of the output is cycle
 * t of input idx[t]. `groups` MUXes over x[g·n …], sharing idx. Output pad bits are zero.
 */
export function sc_mux_index(x: usize, idx: usize, out: usize, groups: i32, n: i32, stride: i32, length: i32): void {
  const bytes = <usize>stride << 2;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * <usize>n * bytes;
    const og = out + <usize>g * bytes;
    for (let w = 0; w < stride; w++) {
      let word: u32 = 0;
      const end = min(32, length - (w << 5));
      for (let b = 0; b < end; b++) {
        const i = <usize>load<u16>(idx + (<usize>((w << 5) + b) << 1));
        word |= ((load<u32>(xg + i * bytes + (<usize>w << 2)) >>> b) & 1) << b;
      }
      store<u32>(og + (<usize>w << 2), word);
    }
  }
}
