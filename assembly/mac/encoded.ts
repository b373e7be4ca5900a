// EncodingNet's encoded MAC (sc_encoded_mac.md §8.1, §8.5) evaluated on bit planes: one lane bit per product, so
// one v128 gate op evaluates a gate for 128 products. For every (sample b, output row o) pair and chunk of the K
// products: the input planes (activation-side planes of b, weight-side planes of o, packed by the caller) are
// pointed to, the compiled program runs, and the output positions' ones are counted. Then
//   y[b][o] = Σ_i s_i · count_i + bias     (bias = K · s_const; i64 for i32 weights, f64 in position order for f64
//                                           weights: the same bits in every build).
// count_i starts at wCounts[o][i] + xCounts[b][i]: the caller's counts of outputs that need no kernel gate (they
// read one operand side only), minus the ones of the zero padding lanes (exact masking of the last block).
// Program: runs of gates that share one opcode, [op, n, (dst, a, b) × n] as i32 node ids; a node's plane
// address is ptrs[id]. Runs flagged COUNTED hold outputs read by no other gate: dst is then the output position
// and the gate's ones go straight into count_dst without storing the plane. Other kernel-gate outputs are counted
// from their planes (outs: pairs (position, node)). One decoded gate is applied to every block of the chunk
// (a multiple of 4 blocks, at most 28, so per-byte popcnt sums cannot overflow before they are widened).
//
// Layer descriptor (i32 words at `layer`): 0 program, 1 runs, 2 ptrs, 3 nx, 4 nw, 5 wPlanes, 6 outs, 7 number of
// outs pairs, 8 m, 9 wCounts (i32 [out][m]), 10 weights (i32 or f64 [m]), 11 out, 12 kBlocks, 13 chunkBlocks,
// 14 counts (i32 scratch [m]); bytes 64..71 bias (f64). x planes: [batch][nx][kBlocks] × 16 bytes, xCounts i32
// [batch][m]; w planes: [out][nw][kBlocks] × 16 bytes.

import { laneSum, widenByteCounts } from "../popcount";

// Opcodes (src/mac/encoded-program.ts uses the same numbers).
const AND = 0, OR = 1, XOR = 2, NAND = 3, NOR = 4, XNOR = 5, NOT = 6;
/** Flag on a run's opcode: its gates are outputs that are counted, not stored. */
const COUNTED = 8;

// @ts-ignore: decorator
@inline function applyV(op: i32, a: v128, b: v128): v128 {
  if (op == AND) return v128.and(a, b);
  if (op == OR) return v128.or(a, b);
  if (op == XOR) return v128.xor(a, b);
  if (op == NAND) return v128.not(v128.and(a, b));
  if (op == NOR) return v128.not(v128.or(a, b));
  if (op == XNOR) return v128.not(v128.xor(a, b));
  return v128.not(a);
}

// @ts-ignore: decorator
@inline function applyW(op: i32, a: u64, b: u64): u64 {
  if (op == AND) return a & b;
  if (op == OR) return a | b;
  if (op == XOR) return a ^ b;
  if (op == NAND) return ~(a & b);
  if (op == NOR) return ~(a | b);
  if (op == XNOR) return ~(a ^ b);
  return ~a;
}

/**
 * Runs `n` gates of opcode `op` over `bytes` bytes per plane; returns the program pointer after them. A counted
 * gate (an output no other gate reads) is not stored: its ones are added to counts[dst] instead.
 */
// @ts-ignore: decorator
@inline function runGates(op: i32, counted: bool, prog: usize, n: i32, ptrs: usize, counts: usize, bytes: usize): usize {
  for (let g = 0; g < n; g++) {
    const dst = <usize>load<u32>(prog);
    const a = <usize>load<u32>(ptrs + (<usize>load<u32>(prog, 4) << 2));
    const b = <usize>load<u32>(ptrs + (<usize>load<u32>(prog, 8) << 2));
    prog += 12;
    if (counted) {
      let ones: i32 = 0;
      if (ASC_FEATURE_SIMD) {
        // Four blocks per step (chunks are whole multiples of four blocks): less loop overhead per block.
        let s0 = i8x16.splat(0), s1 = i8x16.splat(0);
        for (let off: usize = 0; off < bytes; off += 64) {
          s0 = i8x16.add(s0, i8x16.popcnt(applyV(op, v128.load(a + off), v128.load(b + off))));
          s1 = i8x16.add(s1, i8x16.popcnt(applyV(op, v128.load(a + off, 16), v128.load(b + off, 16))));
          s0 = i8x16.add(s0, i8x16.popcnt(applyV(op, v128.load(a + off, 32), v128.load(b + off, 32))));
          s1 = i8x16.add(s1, i8x16.popcnt(applyV(op, v128.load(a + off, 48), v128.load(b + off, 48))));
        }
        ones = laneSum(widenByteCounts(i8x16.add(s0, s1)));
      } else {
        for (let off: usize = 0; off < bytes; off += 8) ones += <i32>popcnt<u64>(applyW(op, load<u64>(a + off), load<u64>(b + off)));
      }
      const c = counts + (dst << 2);
      store<i32>(c, load<i32>(c) + ones);
    } else {
      const d = <usize>load<u32>(ptrs + (dst << 2));
      if (ASC_FEATURE_SIMD) {
        for (let off: usize = 0; off < bytes; off += 64) {
          v128.store(d + off, applyV(op, v128.load(a + off), v128.load(b + off)));
          v128.store(d + off, applyV(op, v128.load(a + off, 16), v128.load(b + off, 16)), 16);
          v128.store(d + off, applyV(op, v128.load(a + off, 32), v128.load(b + off, 32)), 32);
          v128.store(d + off, applyV(op, v128.load(a + off, 48), v128.load(b + off, 48)), 48);
        }
      } else {
        for (let off: usize = 0; off < bytes; off += 8) store<u64>(d + off, applyW(op, load<u64>(a + off), load<u64>(b + off)));
      }
    }
  }
  return prog;
}

// @ts-ignore: decorator
@inline function runProgram(prog: usize, runs: i32, ptrs: usize, counts: usize, bytes: usize): void {
  for (let r = 0; r < runs; r++) {
    const op = load<i32>(prog);
    const n = load<i32>(prog, 4);
    prog += 8;
    switch (op) {
      case AND: prog = runGates(AND, false, prog, n, ptrs, counts, bytes); break;
      case OR: prog = runGates(OR, false, prog, n, ptrs, counts, bytes); break;
      case XOR: prog = runGates(XOR, false, prog, n, ptrs, counts, bytes); break;
      case NAND: prog = runGates(NAND, false, prog, n, ptrs, counts, bytes); break;
      case NOR: prog = runGates(NOR, false, prog, n, ptrs, counts, bytes); break;
      case XNOR: prog = runGates(XNOR, false, prog, n, ptrs, counts, bytes); break;
      case NOT: prog = runGates(NOT, false, prog, n, ptrs, counts, bytes); break;
      case COUNTED | AND: prog = runGates(AND, true, prog, n, ptrs, counts, bytes); break;
      case COUNTED | OR: prog = runGates(OR, true, prog, n, ptrs, counts, bytes); break;
      case COUNTED | XOR: prog = runGates(XOR, true, prog, n, ptrs, counts, bytes); break;
      case COUNTED | NAND: prog = runGates(NAND, true, prog, n, ptrs, counts, bytes); break;
      case COUNTED | NOR: prog = runGates(NOR, true, prog, n, ptrs, counts, bytes); break;
      case COUNTED | XNOR: prog = runGates(XNOR, true, prog, n, ptrs, counts, bytes); break;
      default: prog = runGates(NOT, true, prog, n, ptrs, counts, bytes); break;
    }
  }
}

/** Ones in `bytes` bytes (a multiple of 64, at most 28 · 16) at `p`. */
// @ts-ignore: decorator
@inline function planeOnes(p: usize, bytes: usize): i32 {
  if (ASC_FEATURE_SIMD) {
    let sum = i8x16.splat(0);
    for (let off: usize = 0; off < bytes; off += 16) sum = i8x16.add(sum, i8x16.popcnt(v128.load(p + off)));
    return laneSum(widenByteCounts(sum));
  }
  let c: i32 = 0;
  for (let off: usize = 0; off < bytes; off += 8) c += <i32>popcnt<u64>(load<u64>(p + off));
  return c;
}

// @ts-ignore: decorator
@inline function encodedGemm<S, A>(layer: usize, x: usize, xCounts: usize, y: usize, batch: i32): void {
  const prog = <usize>load<u32>(layer);
  const runs = load<i32>(layer, 4);
  const ptrs = <usize>load<u32>(layer, 8);
  const nx = load<i32>(layer, 12);
  const nw = load<i32>(layer, 16);
  const wPlanes = <usize>load<u32>(layer, 20);
  const outs = <usize>load<u32>(layer, 24);
  const mo = load<i32>(layer, 28);
  const m = load<i32>(layer, 32);
  const wCounts = <usize>load<u32>(layer, 36);
  const weights = <usize>load<u32>(layer, 40);
  const out = load<i32>(layer, 44);
  const kBlocks = load<i32>(layer, 48);
  const chunkBlocks = load<i32>(layer, 52);
  const counts = <usize>load<u32>(layer, 56);
  const bias = load<f64>(layer, 64);
  const planeBytes = <usize>kBlocks << 4;
  const wShift = <usize>alignof<S>();
  const rowCounts = <usize>m << 2;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * <usize>nx * planeBytes;
    const xc = xCounts + <usize>b * rowCounts;
    for (let o = 0; o < out; o++) {
      const wo = wPlanes + <usize>o * <usize>nw * planeBytes;
      const wc = wCounts + <usize>o * rowCounts;
      for (let i: usize = 0; i < rowCounts; i += 4) store<i32>(counts + i, load<i32>(wc + i) + load<i32>(xc + i));
      for (let c = 0; c < kBlocks; c += chunkBlocks) {
        const start = <usize>c << 4;
        const bytes = <usize>min(chunkBlocks, kBlocks - c) << 4;
        for (let j = 0; j < nx; j++) store<u32>(ptrs + (<usize>j << 2), <u32>(xb + <usize>j * planeBytes + start));
        for (let j = 0; j < nw; j++) store<u32>(ptrs + (<usize>(nx + j) << 2), <u32>(wo + <usize>j * planeBytes + start));
        runProgram(prog, runs, ptrs, counts, bytes);
        for (let i = 0; i < mo; i++) {
          const pair = outs + (<usize>i << 3);
          const p = <usize>load<u32>(ptrs + (<usize>load<u32>(pair, 4) << 2));
          const ci = counts + (<usize>load<u32>(pair) << 2);
          store<i32>(ci, load<i32>(ci) + planeOnes(p, bytes));
        }
      }
      let acc: A = <A>0;
      for (let i = 0; i < m; i++) acc += <A>load<S>(weights + (<usize>i << wShift)) * <A>load<i32>(counts + (<usize>i << 2));
      store<f64>(y + ((<usize>b * <usize>out + <usize>o) << 3), <f64>acc + bias);
    }
  }
}

/** Integer position weights: exact, i64 accumulation (the caller proves |y| < 2^53). */
export function mac_encoded_gemm_i32(layer: usize, x: usize, xCounts: usize, y: usize, batch: i32): void {
  encodedGemm<i32, i64>(layer, x, xCounts, y, batch);
}

/** Float position weights (as f64): Σ s_i · count_i in position order, then + bias; identical bits in every build. */
export function mac_encoded_gemm_f64(layer: usize, x: usize, xCounts: usize, y: usize, batch: i32): void {
  encodedGemm<f64, f64>(layer, x, xCounts, y, batch);
}
