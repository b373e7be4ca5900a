// Compiles a checked netlist into the encoded-MAC kernel's program (assembly/mac/encoded.ts).
// 1. 'id' gates become aliases of their input (no work).
// 2. Only gates an output depends on are kept (what synthesis would keep).
// 3. Hoisting: a gate that reads only activation bits (directly or through other such gates) has the same value
//    for every output row, and a gate that reads only weight bits the same value for every sample; those are
//    evaluated once in TypeScript (activation side per forward call and sample, weight side once when the layer
//    is made resident) and handed to the kernel as extra input planes; outputs of one side only are counted there
//    too. The kernel runs only the gates that mix both sides. `hoist: false` gives every gate to the kernel.
// 4. Kernel gates are grouped by topological level, then into stored / counted (an output no other gate reads:
//    the kernel popcounts it instead of storing it), then by opcode, into runs: the kernel decodes one opcode per
//    run and one gate per chunk of blocks.
import type { CheckedNetlist, GateOp } from './netlist.js';

/** Kernel opcodes, same numbers as assembly/mac/encoded.ts; COUNTED flags a run of counted output gates. */
const OPCODE: Record<Exclude<GateOp, 'id'>, number> = { and: 0, or: 1, xor: 2, nand: 3, nor: 4, xnor: 5, not: 6 };
const COUNTED = 8;

export interface EncodedProgram {
  /** Node ids (original numbering) whose planes the caller computes per sample (activation side) / per row (weight side). */
  xNodes: number[];
  wNodes: number[];
  /** Output positions counted by the caller: [position, node id] of outputs whose node is not a kernel gate. */
  xOutputs: [number, number][];
  wOutputs: [number, number][];
  /** Number of stored kernel gates (node buffer slots). */
  storedGates: number;
  /** i32 program: runs of [opcode, n, (dst, a, b) × n] in kernel node indices. */
  program: Int32Array;
  runs: number;
  /** (position, kernel node index) of kernel-gate outputs counted from their stored planes. */
  outs: Int32Array;
  /** Side of every node (original ids): 1 activation only, 2 weight only, 3 both. */
  side: Uint8Array;
  /** Node id → resolved node id ('id' gates followed to their source). */
  alias: Int32Array;
}

export function compileEncoded(checked: CheckedNetlist, hoist = true): EncodedProgram {
  const { netlist, bits, inputs, order } = checked;
  const gates = netlist.gates;
  const nodes = inputs + gates.length;
  const alias = new Int32Array(nodes).map((_, i) => i);
  for (const g of order) if (gates[g].op === 'id') alias[inputs + g] = alias[gates[g].a];
  const src = (id: number) => alias[id];
  const side = new Uint8Array(nodes);
  for (let i = 0; i < inputs; i++) side[i] = i < bits ? 1 : 2;
  for (const g of order) {
    const { a, b } = gates[g];
    side[inputs + g] = side[src(a)] | (b === undefined ? 0 : side[src(b)]);
  }
  const isKernel = (id: number) => id >= inputs && gates[id - inputs].op !== 'id' && (!hoist || side[id] === 3);
  const operands = (id: number) => {
    const { a, b } = gates[id - inputs];
    return b === undefined ? [src(a)] : [src(a), src(b)];
  };
  // Live kernel gates: reachable backwards from the outputs through kernel gates.
  const live = new Uint8Array(nodes);
  const stack = netlist.outputs.map(src).filter(isKernel);
  while (stack.length) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    for (const s of operands(id)) if (isKernel(s)) stack.push(s);
  }
  const needed = new Uint8Array(nodes); // non-kernel planes the kernel reads
  const readers = new Int32Array(nodes); // kernel gates reading each node
  const level = new Int32Array(nodes);
  const kernelGates: number[] = [];
  for (const g of order) {
    const id = inputs + g;
    if (!live[id]) continue;
    let lv = 0;
    for (const s of operands(id)) {
      readers[s]++;
      if (isKernel(s)) lv = Math.max(lv, level[s]);
      else needed[s] = 1;
    }
    level[id] = lv + 1;
    kernelGates.push(id);
  }
  const outputUses = new Int32Array(nodes);
  for (const id of netlist.outputs) outputUses[src(id)]++;
  const countedPos = new Int32Array(nodes).fill(-1);
  netlist.outputs.forEach((id, pos) => {
    const s = src(id);
    if (isKernel(s) && readers[s] === 0 && outputUses[s] === 1) countedPos[s] = pos;
  });
  const xNodes: number[] = [];
  const wNodes: number[] = [];
  for (let id = 0; id < nodes; id++) if (needed[id]) (side[id] === 1 ? xNodes : wNodes).push(id);
  const xOutputs: [number, number][] = [];
  const wOutputs: [number, number][] = [];
  netlist.outputs.forEach((id, pos) => {
    const s = src(id);
    if (!isKernel(s)) (side[s] === 1 ? xOutputs : wOutputs).push([pos, s]);
  });
  const opOf = (id: number) => OPCODE[gates[id - inputs].op as keyof typeof OPCODE] | (countedPos[id] >= 0 ? COUNTED : 0);
  kernelGates.sort((p, q) => level[p] - level[q] || opOf(p) - opOf(q) || p - q);
  const index = new Int32Array(nodes).fill(-1);
  xNodes.forEach((id, i) => (index[id] = i));
  wNodes.forEach((id, i) => (index[id] = xNodes.length + i));
  const stored = kernelGates.filter((id) => countedPos[id] < 0);
  stored.forEach((id, i) => (index[id] = xNodes.length + wNodes.length + i));
  const program: number[] = [];
  let runs = 0;
  for (let i = 0; i < kernelGates.length; ) {
    const op = opOf(kernelGates[i]);
    let j = i;
    while (j < kernelGates.length && level[kernelGates[j]] === level[kernelGates[i]] && opOf(kernelGates[j]) === op) j++;
    program.push(op, j - i);
    for (let t = i; t < j; t++) {
      const id = kernelGates[t];
      const [ia, ib = ia] = operands(id).map((s) => index[s]);
      program.push(op & COUNTED ? countedPos[id] : index[id], ia, ib);
    }
    runs++;
    i = j;
  }
  const outs: number[] = [];
  netlist.outputs.forEach((id, pos) => {
    const s = src(id);
    if (isKernel(s) && countedPos[s] < 0) outs.push(pos, index[s]);
  });
  return { xNodes, wNodes, xOutputs, wOutputs, storedGates: stored.length, program: Int32Array.from(program), runs, outs: Int32Array.from(outs), side, alias };
}
