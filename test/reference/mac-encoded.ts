// Independent scalar model of an encoded MAC (sc_encoded_mac.md §8.1): one product at a time, each gate evaluated
// on single bits from the node-id definition (0 … w−1 activation bits MSB first, w … 2w−1 weight bits, 2w + g gate g).
import type { Netlist } from '../../src/index.js';

const GATE: Record<string, (a: number, b: number) => number> = {
  and: (a, b) => a & b, or: (a, b) => a | b, xor: (a, b) => a ^ b,
  nand: (a, b) => 1 - (a & b), nor: (a, b) => 1 - (a | b), xnor: (a, b) => 1 - (a ^ b),
  not: (a) => 1 - a, id: (a) => a,
};

/** The M encoded bits (position order) of the signed operands (a, w). */
export function encodeRef(netlist: Netlist, a: number, w: number): number[] {
  const bits = netlist.operandBits;
  const ca = a < 0 ? a + 2 ** bits : a;
  const cw = w < 0 ? w + 2 ** bits : w;
  const memo = new Map<number, number>();
  const value = (id: number): number => {
    if (id < bits) return Math.floor(ca / 2 ** (bits - 1 - id)) % 2;
    if (id < 2 * bits) return Math.floor(cw / 2 ** (bits - 1 - (id - bits))) % 2;
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    const g = netlist.gates[id - 2 * bits];
    const v = GATE[g.op](value(g.a), g.b === undefined ? 0 : value(g.b));
    memo.set(id, v);
    return v;
  };
  return netlist.outputs.map(value);
}

/**
 * Per (sample, row): counts of ones per position over the k products, and y = Σ_i s_i·count_i (+ k·s_const)
 * summed in float64 in position order (exact for integer weights of safe size).
 */
export function encodedGemmRef(netlist: Netlist, s: ArrayLike<number>, x: Int8Array, weights: Int8Array, batch: number, out: number, k: number): { y: Float64Array; counts: number[][] } {
  const m = netlist.outputs.length;
  const cache = new Map<number, number[]>();
  const codeOf = (a: number, w: number) => {
    const key = (a + 128) * 256 + (w + 128);
    let c = cache.get(key);
    if (!c) cache.set(key, (c = encodeRef(netlist, a, w)));
    return c;
  };
  const y = new Float64Array(batch * out);
  const counts: number[][] = [];
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < out; o++) {
      const count = new Array(m).fill(0);
      for (let i = 0; i < k; i++) codeOf(x[b * k + i], weights[o * k + i]).forEach((bit, pos) => (count[pos] += bit));
      let acc = 0;
      for (let pos = 0; pos < m; pos++) acc += s[pos] * count[pos];
      y[b * out + o] = acc + (netlist.constant ? k * s[m] : 0);
      counts.push(count);
    }
  }
  return { y, counts };
}
