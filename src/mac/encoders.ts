// Ready-made encoders and netlist generators for the encoded MAC (sc_encoded_mac.md §8):
//   identityEncoder(w)      a signed w×w multiplier as a gate netlist (Baugh–Wooley partial products reduced by
//                           full / half adders column by column); its 2w outputs are the two's-complement product
//                           bits MSB first with weights (−2^(2w−1), 2^(2w−2), …, 1), the §8.1 / A.11 conformance code.
//   netlistFromCodeTable    synthesizes ≤ 2-input gates (Shannon expansion with shared sub-functions) for any
//                           table of M-bit codes over the 4^w operand pairs.
//   encodingNetExample2Bit  the paper's 2-bit example (v1 Fig. 2, §8.2): M = 5, s = (−4, 2, 2, −1, 1).
//   randomNetlist           seeded CGP-like layered random netlists (benchmarks and encoder search).
import { BitsieveError } from '../runtime/errors.js';
import { expectInteger } from '../runtime/validate.js';
import { Xoshiro128 } from '../sc/sources/uniform.js';
import { GATE_OPS, type Encoder, type Gate, type GateOp, type Netlist } from './netlist.js';
import { expectOperandBits } from './operands.js';

/** Appends gates and returns their node ids. */
class Builder {
  readonly gates: Gate[] = [];
  constructor(readonly bits: number) {}
  add(op: GateOp, a: number, b?: number): number {
    this.gates.push(b === undefined ? { op, a } : { op, a, b });
    return 2 * this.bits + this.gates.length - 1;
  }
}

/**
 * The exact signed w×w multiplier as a netlist: outputs = the 2w product bits, MSB first; Int32Array weights
 * (−2^(2w−1), 2^(2w−2), …, 2, 1); no constant. Baugh–Wooley: the partial products a_i·b_j, NANDed where exactly one
 * of i, j is the sign position, plus ones at columns w and 2w − 1 (XNOR(x, x)); each column is then reduced with
 * full adders (XOR/XOR/AND/AND/OR) and half adders (XOR/AND), carries into the next column, the last column's
 * carries dropped (mod 2^(2w)).
 * @example const enc = identityEncoder(8); // enc.netlist.outputs.length === 16
 */
export function identityEncoder(operandBits: number): Encoder {
  const w = expectOperandBits('identityEncoder operandBits', operandBits);
  const nb = new Builder(w);
  const aBit = (i: number) => w - 1 - i; // significance i → node id (MSB first)
  const bBit = (j: number) => w + (w - 1 - j);
  const cols: number[][] = Array.from({ length: 2 * w }, () => []);
  for (let i = 0; i < w; i++) {
    for (let j = 0; j < w; j++) {
      const oneSign = (i === w - 1) !== (j === w - 1);
      cols[i + j].push(nb.add(oneSign ? 'nand' : 'and', aBit(i), bBit(j)));
    }
  }
  const one = nb.add('xnor', 0, 0);
  cols[w].push(one);
  cols[2 * w - 1].push(one);
  for (let c = 0; c < 2 * w; c++) {
    const col = cols[c];
    const carryOut = c + 1 < 2 * w;
    while (col.length > 1) {
      if (col.length >= 3) {
        const [x, y, z] = col.splice(0, 3);
        const xy = nb.add('xor', x, y);
        col.push(nb.add('xor', xy, z));
        if (carryOut) cols[c + 1].push(nb.add('or', nb.add('and', x, y), nb.add('and', xy, z)));
      } else {
        const [x, y] = col.splice(0, 2);
        col.push(nb.add('xor', x, y));
        if (carryOut) cols[c + 1].push(nb.add('and', x, y));
      }
    }
    if (col.length === 0) col.push(nb.add('xor', 0, 0));
  }
  const outputs = cols.map((c) => c[0]).reverse();
  const weights = Int32Array.from({ length: 2 * w }, (_, i) => (i === 0 ? -(2 ** (2 * w - 1)) : 2 ** (2 * w - 1 - i)));
  return { netlist: { operandBits: w, gates: nb.gates, outputs }, weights };
}

export interface CodeTableOptions {
  operandBits: number;
  /** Number of encoded bits M. */
  outputs: number;
  /** 4^w codes, pair p = activation code · 2^w + weight code; bit (M − 1 − i) of a code is output position i (MSB first, as the paper writes codes). */
  codes: ArrayLike<number>;
  constant?: boolean;
}

/**
 * Synthesizes a netlist of ≤ 2-input gates whose outputs reproduce `codes` on every operand pair: Shannon
 * expansion over the input nodes in id order, with identical sub-functions shared across all outputs and the
 * single-variable / constant / XOR cases recognised. Exponential in 2w, meant for small w (≤ 6).
 * @example netlistFromCodeTable({ operandBits: 2, outputs: 1, codes: [0,0,0,0, 0,1,0,1, 0,0,0,0, 0,1,0,1] })
 */
export function netlistFromCodeTable(options: CodeTableOptions): Netlist {
  const w = expectInteger('netlistFromCodeTable operandBits', options.operandBits, 2, 6);
  const m = expectInteger('netlistFromCodeTable outputs', options.outputs, 1, 31);
  const pairs = 1 << (2 * w);
  const codes = options.codes;
  if (!codes || codes.length !== pairs) throw new BitsieveError('E_SHAPE', `netlistFromCodeTable codes: expected ${pairs} codes (4^${w}), received ${codes?.length}`);
  for (let p = 0; p < pairs; p++) {
    const c = codes[p];
    if (!Number.isInteger(c) || c < 0 || c >= 2 ** m) throw new BitsieveError('E_RANGE', `netlistFromCodeTable codes[${p}]: expected an integer in [0, 2^${m}), received ${c}`);
  }
  const nb = new Builder(w);
  const memo = new Map<string, number>();
  const notOf = new Map<number, number>();
  let zero = -1;
  let one = -1;
  const negate = (id: number) => {
    let g = notOf.get(id);
    if (g === undefined) notOf.set(id, (g = nb.add('not', id)));
    return g;
  };
  // f: truth table over the remaining variables depth … n − 1 (variable `depth` is the top index bit).
  const synth = (f: string, depth: number): number => {
    if (!f.includes('1')) return zero >= 0 ? zero : (zero = nb.add('xor', 0, 0));
    if (!f.includes('0')) return one >= 0 ? one : (one = nb.add('xnor', 0, 0));
    const key = `${depth}:${f}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const half = f.length >> 1;
    const f0 = f.slice(0, half);
    const f1 = f.slice(half);
    const v = depth;
    const flip = (s: string) => s.replace(/[01]/g, (c) => (c === '0' ? '1' : '0'));
    let id: number;
    if (f0 === f1) id = synth(f0, depth + 1);
    else if (!f0.includes('1') && !f1.includes('0')) id = v;
    else if (!f0.includes('0') && !f1.includes('1')) id = negate(v);
    else if (f1 === flip(f0)) id = nb.add('xor', v, synth(f0, depth + 1));
    else if (!f0.includes('1')) id = nb.add('and', v, synth(f1, depth + 1));
    else if (!f1.includes('1')) id = nb.add('and', negate(v), synth(f0, depth + 1));
    else if (!f0.includes('0')) id = nb.add('or', negate(v), synth(f1, depth + 1));
    else if (!f1.includes('0')) id = nb.add('or', v, synth(f0, depth + 1));
    else id = nb.add('or', nb.add('and', v, synth(f1, depth + 1)), nb.add('and', negate(v), synth(f0, depth + 1)));
    memo.set(key, id);
    return id;
  };
  const outputs: number[] = [];
  for (let i = 0; i < m; i++) {
    let f = '';
    for (let p = 0; p < pairs; p++) f += Math.floor(codes[p] / 2 ** (m - 1 - i)) % 2;
    outputs.push(synth(f, 0));
  }
  return { operandBits: w, gates: nb.gates, outputs, constant: options.constant ?? false };
}

/**
 * EncodingNet's 2-bit example (arXiv 2402.18595 v1, Fig. 2; sc_encoded_mac.md §8.2): M = 5 encoded bits b4 … b0
 * with s = (−4, 2, 2, −1, 1). The published rows (activation, weight → code) are reproduced exactly:
 * (10,01)→10111, (11,10)→01011, (11,11)→00001, (11,01)→10101, (01,10)→11011, (01,11)→11001, (01,01)→11101 and
 * 11111 for every zero product. The paper's circuit and rows (10,10), (10,11) are not public; chosen here:
 * (10,10) = 4 → 01111 and (10,11) = 2 → 01011 (the code of the commuted product (11,10)). Every product is exact.
 * @example const enc = encodingNetExample2Bit(); // productTable(enc) is the exact 2-bit product table
 */
export function encodingNetExample2Bit(): Encoder {
  const rows: Record<string, string> = {
    '10,01': '10111', '11,10': '01011', '11,11': '00001', '11,01': '10101',
    '01,10': '11011', '01,11': '11001', '01,01': '11101', '10,10': '01111', '10,11': '01011',
  };
  const codes = Array.from({ length: 16 }, (_, p) => {
    const key = `${(p >> 2).toString(2).padStart(2, '0')},${(p & 3).toString(2).padStart(2, '0')}`;
    return parseInt(rows[key] ?? '11111', 2);
  });
  return { netlist: netlistFromCodeTable({ operandBits: 2, outputs: 5, codes }), weights: Int32Array.of(-4, 2, 2, -1, 1) };
}

export interface RandomNetlistOptions {
  operandBits: number;
  /** Number of gate levels (CGP columns). Default 2. */
  levels?: number;
  /** Gates per level (CGP rows). Default 64. */
  gatesPerLevel?: number;
  /** Outputs: the first `outputs` gates of the last level. Default gatesPerLevel. */
  outputs?: number;
  /** Adds the constant-1 bit. Default true. */
  constant?: boolean;
  /** Gate types drawn uniformly. Default all eight EncodingNet primitives (GATE_OPS, including 'not' and 'id'). */
  ops?: readonly GateOp[];
  /** Seed of the xoshiro128** stream (src/sc/sources/uniform.ts). Default 1. */
  seed?: number;
}

/**
 * A seeded CGP-like random netlist: `levels` levels of `gatesPerLevel` gates; a gate of level L picks its op
 * uniformly from `ops` and each input uniformly from the 2w operand bits and all gates of levels < L (CGP with
 * levels-back = all, as EncodingNet's search). Draw order per gate: op, a, then b for two-input ops (a draw is
 * ⌊next() · n / 2^32⌋ of xoshiro128**).
 * @example const net = randomNetlist({ operandBits: 8, levels: 2, gatesPerLevel: 64, outputs: 64, seed: 1 });
 */
export function randomNetlist(options: RandomNetlistOptions): Netlist {
  const w = expectOperandBits('randomNetlist operandBits', options.operandBits);
  const levels = expectInteger('randomNetlist levels', options.levels ?? 2, 1, 64);
  const perLevel = expectInteger('randomNetlist gatesPerLevel', options.gatesPerLevel ?? 64, 1, 65536);
  const outputs = expectInteger('randomNetlist outputs', options.outputs ?? perLevel, 1, perLevel);
  const ops = options.ops ?? GATE_OPS;
  if (!Array.isArray(ops) || ops.length === 0 || ops.some((op) => !GATE_OPS.includes(op))) {
    throw new BitsieveError('E_RANGE', `randomNetlist ops: expected a non-empty list of ${GATE_OPS.join(' | ')}`);
  }
  const rng = new Xoshiro128(expectInteger('randomNetlist seed', options.seed ?? 1, 0, 2 ** 32 - 1));
  const below = (n: number) => Math.floor((rng.next() / 2 ** 32) * n);
  const gates: Gate[] = [];
  for (let level = 0; level < levels; level++) {
    const reachable = 2 * w + level * perLevel;
    for (let g = 0; g < perLevel; g++) {
      const op = ops[below(ops.length)];
      const a = below(reachable);
      gates.push(op === 'not' || op === 'id' ? { op, a } : { op, a, b: below(reachable) });
    }
  }
  const last = 2 * w + (levels - 1) * perLevel;
  return { operandBits: w, gates, outputs: Array.from({ length: outputs }, (_, i) => last + i), constant: options.constant ?? true };
}
