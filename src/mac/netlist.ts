// Encoder netlists of EncodingNet's encoded MAC (sc_encoded_mac.md §8.1, §8.3, §8.5): at most 2-input gates over
// the 2w bits of a signed w-bit activation and weight. Node ids follow EncodingNet's input order:
//   0 … w−1      activation bits, MSB first (node 0 = activation MSB),
//   w … 2w−1     weight bits, MSB first,
//   2w + g       gate g.
// A gate may read any node (inputs or other gates, in any order, as long as there is no cycle); `outputs` are the
// M encoded bits in position order, and `constant` adds a constant-1 row whose position weight comes last.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_OPERAND_BITS, MIN_OPERAND_BITS } from './operands.js';

export type GateOp = 'nand' | 'nor' | 'xnor' | 'and' | 'or' | 'xor' | 'not' | 'id';
export const GATE_OPS: readonly GateOp[] = ['nand', 'nor', 'xnor', 'and', 'or', 'xor', 'not', 'id'];
const UNARY = new Set<GateOp>(['not', 'id']);

export interface Gate {
  op: GateOp;
  /** First input node id. */
  a: number;
  /** Second input node id (two-input gates only). */
  b?: number;
}

export interface Netlist {
  /** Operand width w, 2 … 8. */
  operandBits: number;
  gates: Gate[];
  /** The M encoded bits as node ids, in position order. */
  outputs: number[];
  /** Adds a constant-1 encoded bit after the outputs (its weight is the last position weight). Default false. */
  constant?: boolean;
}

/** A netlist plus one position weight per output (+ the constant's, last): Int32Array → exact integer MACs. */
export interface Encoder {
  netlist: Netlist;
  weights: Int32Array | Float32Array;
}

/** A validated netlist: gate ids in an order where every gate comes after its inputs. */
export interface CheckedNetlist {
  netlist: Netlist;
  bits: number;
  inputs: number;
  /** Gate indices (not node ids) in topological order. */
  order: number[];
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Validates shape, ids, arity and acyclicity (E_FORMAT; E_RANGE for the width). */
export function checkNetlist(name: string, netlist: unknown): CheckedNetlist {
  if (typeof netlist !== 'object' || netlist === null) throw new BitsieveError('E_FORMAT', `${name}: expected a netlist object, received ${describe(netlist)}`);
  const { operandBits: bits, gates, outputs, constant } = netlist as Netlist;
  if (!isInt(bits) || bits < MIN_OPERAND_BITS || bits > MAX_OPERAND_BITS) {
    throw new BitsieveError('E_RANGE', `${name}.operandBits: expected an integer in [${MIN_OPERAND_BITS}, ${MAX_OPERAND_BITS}], received ${describe(bits)}`);
  }
  if (!Array.isArray(gates)) throw new BitsieveError('E_FORMAT', `${name}.gates: expected an array, received ${describe(gates)}`);
  if (!Array.isArray(outputs) || outputs.length === 0) throw new BitsieveError('E_FORMAT', `${name}.outputs: expected a non-empty array of node ids, received ${describe(outputs)}`);
  if (constant !== undefined && typeof constant !== 'boolean') throw new BitsieveError('E_FORMAT', `${name}.constant: expected a boolean, received ${describe(constant)}`);
  const inputs = 2 * bits;
  const nodes = inputs + gates.length;
  const inRange = (id: unknown) => isInt(id) && id >= 0 && id < nodes;
  gates.forEach((g, i) => {
    if (typeof g !== 'object' || g === null || !GATE_OPS.includes(g.op)) {
      throw new BitsieveError('E_FORMAT', `${name}.gates[${i}]: expected { op: ${GATE_OPS.join(' | ')}, a, b? }, received ${describe(g?.op ?? g)}`);
    }
    if (!inRange(g.a)) throw new BitsieveError('E_FORMAT', `${name}.gates[${i}].a: expected a node id in [0, ${nodes - 1}], received ${describe(g.a)}`);
    if (UNARY.has(g.op)) {
      if (g.b !== undefined) throw new BitsieveError('E_FORMAT', `${name}.gates[${i}]: '${g.op}' takes one input, received b = ${describe(g.b)}`);
    } else if (!inRange(g.b)) {
      throw new BitsieveError('E_FORMAT', `${name}.gates[${i}].b: expected a node id in [0, ${nodes - 1}] ('${g.op}' takes two inputs), received ${describe(g.b)}`);
    }
  });
  outputs.forEach((id, i) => {
    if (!inRange(id)) throw new BitsieveError('E_FORMAT', `${name}.outputs[${i}]: expected a node id in [0, ${nodes - 1}], received ${describe(id)}`);
  });
  // Kahn's algorithm over gate → gate edges.
  const pending = new Int32Array(gates.length);
  const readers: number[][] = gates.map(() => []);
  gates.forEach((g, i) => {
    for (const src of UNARY.has(g.op) ? [g.a] : [g.a, g.b!]) {
      if (src >= inputs) {
        pending[i]++;
        readers[src - inputs].push(i);
      }
    }
  });
  const order: number[] = [];
  pending.forEach((p, i) => p === 0 && order.push(i));
  for (let head = 0; head < order.length; head++) {
    for (const r of readers[order[head]]) if (--pending[r] === 0) order.push(r);
  }
  if (order.length !== gates.length) {
    const stuck = pending.findIndex((p) => p > 0);
    throw new BitsieveError('E_FORMAT', `${name}: expected an acyclic netlist, received a cycle through gate ${stuck} (node ${inputs + stuck})`);
  }
  return { netlist: netlist as Netlist, bits, inputs, order };
}

/** Number of position weights an encoder needs: M outputs + 1 if it has the constant bit. */
export const weightCount = (netlist: Netlist) => netlist.outputs.length + (netlist.constant ? 1 : 0);

/** Validates an encoder: its netlist and one finite weight per output (+ constant). */
export function checkEncoder(name: string, encoder: unknown): CheckedNetlist & { weights: Int32Array | Float32Array } {
  if (typeof encoder !== 'object' || encoder === null) throw new BitsieveError('E_FORMAT', `${name}: expected { netlist, weights }, received ${describe(encoder)}`);
  const { netlist, weights } = encoder as Encoder;
  const checked = checkNetlist(`${name}.netlist`, netlist);
  if (!(weights instanceof Int32Array || weights instanceof Float32Array)) {
    throw new BitsieveError('E_DTYPE', `${name}.weights: expected an Int32Array or Float32Array, received ${describe(weights)}`);
  }
  const want = weightCount(checked.netlist);
  if (weights.length !== want) throw new BitsieveError('E_SHAPE', `${name}.weights: expected ${want} position weights (outputs${checked.netlist.constant ? ' + constant' : ''}), received ${weights.length}`);
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i])) throw new BitsieveError('E_RANGE', `${name}.weights: expected finite values, received ${weights[i]} at index ${i}`);
  }
  return { ...checked, weights };
}

/** Applies one gate to 32 lanes at once. */
export function gateWord(op: GateOp, a: number, b: number): number {
  switch (op) {
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'nand': return ~(a & b);
    case 'nor': return ~(a | b);
    case 'xnor': return ~(a ^ b);
    case 'not': return ~a;
    case 'id': return a;
  }
}

/**
 * Evaluates every node of a checked netlist bit-parallel: `inputPlane(id)` gives the lane words of input node id
 * (one bit per lane, 32 lanes per word); returns all node planes (inputs then gates). Plain TypeScript, used
 * for tables, fitting and weight-only precomputation.
 */
export function evaluatePlanes(checked: CheckedNetlist, words: number, inputPlane: (id: number) => Int32Array): Int32Array[] {
  const { netlist, inputs, order } = checked;
  const planes: Int32Array[] = new Array(inputs + netlist.gates.length);
  for (let i = 0; i < inputs; i++) planes[i] = inputPlane(i);
  for (const g of order) {
    const { op, a, b } = netlist.gates[g];
    const pa = planes[a];
    const pb = b === undefined ? pa : planes[b];
    const out = new Int32Array(words);
    for (let t = 0; t < words; t++) out[t] = gateWord(op, pa[t], pb[t]);
    planes[inputs + g] = out;
  }
  return planes;
}

/**
 * Planes of all 4^w operand pairs, pair p = a_code · 2^w + w_code (activation outer, weight inner, as
 * EncodingNet enumerates them): bit p of a plane is that node's value for pair p.
 */
export function allPairPlanes(checked: CheckedNetlist): Int32Array[] {
  const w = checked.bits;
  const pairs = 1 << (2 * w);
  const words = Math.ceil(pairs / 32);
  return evaluatePlanes(checked, words, (id) => {
    // Input id reads bit (2w − 1 − id) of the pair index p (node 0 = activation MSB = bit 2w−1 of p).
    const bit = 2 * w - 1 - id;
    const plane = new Int32Array(words);
    for (let p = 0; p < pairs; p++) if ((p >> bit) & 1) plane[p >> 5] |= 1 << (p & 31);
    return plane;
  });
}
