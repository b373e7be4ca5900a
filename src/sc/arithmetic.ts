// Gate-level arithmetic on streams (sc_encoded_mac.md §2.2–2.4): multiply (AND unipolar / XNOR bipolar),
// OR addition, XOR, NOT (bipolar negation) and MUX scaled addition. Kernels: assembly/sc/gates.ts.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { ENCODINGS, expectBatch, expectGroups, expectInt, expectOneOf, expectSameLength } from './checks.js';
import { withScratch } from './scratch.js';
import { StreamBatch, type ScEncoding } from './stream.js';

/** Two-input gates: cycle by cycle, `out_i = gate(a_i, b_i)`. */
export type ScGate = 'and' | 'or' | 'xor' | 'xnor';
const GATE_OPS: Record<ScGate | 'not', number> = { and: 0, or: 1, xor: 2, xnor: 3, not: 4 };

/** b is paired stream by stream with a, or repeats when a holds a multiple of b's count (e.g. one b for all). */
function expectRepeating(name: string, a: StreamBatch, b: StreamBatch): void {
  expectSameLength(name, a, b);
  if (b.count === 0 ? a.count !== 0 : a.count % b.count !== 0) {
    throw new BitsieveError('E_SHAPE', `${name}: expected the second operand to hold ${a.count} streams or a divisor of it, received ${b.count}`);
  }
}

export function gate(runtime: Runtime, op: ScGate, a: StreamBatch, b: StreamBatch): StreamBatch {
  expectOneOf('gate', op, ['and', 'or', 'xor', 'xnor'] as const);
  expectBatch(`${op} a`, a);
  expectBatch(`${op} b`, b);
  expectRepeating(op, a, b);
  return runGate(runtime, GATE_OPS[op], a, b);
}

export function not(runtime: Runtime, a: StreamBatch): StreamBatch {
  expectBatch('not', a);
  return runGate(runtime, GATE_OPS.not, a, a);
}

function runGate(runtime: Runtime, op: number, a: StreamBatch, b: StreamBatch): StreamBatch {
  if (a.count === 0) return new StreamBatch(0, a.length);
  return withScratch(runtime, (s) => {
    const ap = s.copy(a.words);
    const bp = b === a ? ap : s.copy(b.words);
    const out = s.zeroed(a.words.byteLength);
    runtime.kernels.sc_gate(ap, bp, out, a.count, b.count, a.stride, a.length, op);
    return new StreamBatch(a.count, a.length, s.words(out, a.words.length));
  });
}

/** Product: AND for unipolar, XNOR for bipolar (exact in expectation when the operands are uncorrelated). */
export function multiply(runtime: Runtime, a: StreamBatch, b: StreamBatch, encoding: ScEncoding = 'unipolar'): StreamBatch {
  expectOneOf('multiply encoding', encoding, ENCODINGS);
  return gate(runtime, encoding === 'unipolar' ? 'and' : 'xnor', a, b);
}

/** 2:1 MUX: `out_i = select ? a_i : b_i` per cycle; `select` pairs with a or repeats (e.g. one shared stream). */
export function mux2(runtime: Runtime, a: StreamBatch, b: StreamBatch, select: StreamBatch): StreamBatch {
  expectBatch('mux a', a);
  expectBatch('mux b', b);
  expectBatch('mux select', select);
  expectSameLength('mux', a, b);
  if (b.count !== a.count) throw new BitsieveError('E_SHAPE', `mux: expected b to hold ${a.count} streams like a, received ${b.count}`);
  expectRepeating('mux select', a, select);
  if (a.count === 0) return new StreamBatch(0, a.length);
  return withScratch(runtime, (s) => {
    const ap = s.copy(a.words);
    const bp = s.copy(b.words);
    const sp = s.copy(select.words);
    const out = s.zeroed(a.words.byteLength);
    runtime.kernels.sc_mux2(ap, bp, sp, out, a.count, select.count, a.stride);
    return new StreamBatch(a.count, a.length, s.words(out, a.words.length));
  });
}

/** Largest n:1 MUX built from select streams (k ≤ 8 select bits). */
export const MUX_TREE_MAX_SELECT = 8;

export interface MuxOptions {
  /**
   * Inputs per MUX. Default: 2^k with k select streams, or every input with select indices. `inputs` holds a
   * whole number of groups of this size; each group gives one output stream.
   */
  groupSize?: number;
}

/**
 * n:1 MUX (scaled addition, value (1/n)·Σ x_i for a uniform select; MUX average pooling). `select` is either
 * k streams (cycle t picks input Σ_j 2^j·select_j[t], select stream 0 = least significant bit; n = 2^k) or one
 * index per cycle (integers in [0, n)). All groups share the select source.
 */
export function muxN(runtime: Runtime, inputs: StreamBatch, select: StreamBatch | ArrayLike<number>, options: MuxOptions = {}): StreamBatch {
  expectBatch('muxN inputs', inputs);
  if (select instanceof StreamBatch) {
    expectSameLength('muxN select', inputs, select);
    const k = expectInt('muxN select streams', select.count, 0, MUX_TREE_MAX_SELECT);
    const n = 1 << k;
    if (options.groupSize !== undefined && options.groupSize !== n) {
      throw new BitsieveError('E_SHAPE', `muxN: ${k} select streams address groups of ${n} inputs, received groupSize ${describe(options.groupSize)}`);
    }
    const groups = expectGroups('muxN', inputs, n);
    if (groups === 0) return new StreamBatch(0, inputs.length);
    return withScratch(runtime, (s) => {
      const xp = s.copy(inputs.words);
      const sp = k > 0 ? s.copy(select.words) : xp;
      const out = s.zeroed(groups * inputs.stride * 4);
      runtime.kernels.sc_mux_tree(xp, sp, out, groups, k, inputs.stride);
      return new StreamBatch(groups, inputs.length, s.words(out, groups * inputs.stride));
    });
  }
  const n = expectInt('muxN groupSize', options.groupSize ?? inputs.count, 1, 65536);
  const groups = expectGroups('muxN', inputs, n);
  if (!select || typeof (select as ArrayLike<number>).length !== 'number') throw new BitsieveError('E_DTYPE', `muxN select: expected a StreamBatch or an array of indices, received ${describe(select)}`);
  if (select.length !== inputs.length) throw new BitsieveError('E_SHAPE', `muxN select: expected ${inputs.length} indices (one per cycle), received ${select.length}`);
  const idx = new Uint16Array(inputs.length);
  for (let t = 0; t < idx.length; t++) idx[t] = expectInt(`muxN select[${t}]`, select[t], 0, n - 1);
  if (groups === 0) return new StreamBatch(0, inputs.length);
  return withScratch(runtime, (s) => {
    const xp = s.copy(inputs.words);
    const ip = s.copy(idx);
    const out = s.zeroed(groups * inputs.stride * 4);
    runtime.kernels.sc_mux_index(xp, ip, out, groups, n, inputs.stride, inputs.length);
    return new StreamBatch(groups, inputs.length, s.words(out, groups * inputs.stride));
  });
}
