// The hardware-MAC family (issue 6): EncodingNet's encoded MAC (netlist and product-table modes) and the
// crossbar emulation, against plain typed-array JS of the same arithmetic in the same run. Every output is an
// exact integer, so bitsieve and plain JS must agree exactly (tolerance 0).
//   encoded-netlist: a seeded random 2-level netlist, 64 + 64 gates, M = 64 outputs + constant bit, 8-bit operands
//   encoded-lut:     the same encoder's 256 × 256 product table
//   approx-bam-loa:  signed 8-bit broken-array multiplier (hbl 2, vbl 6) accumulated by a lower-part-OR adder (l = 4)
//   crossbar:        a 1024 → 256 layer on 128×128 arrays (two-column, 2-bit cells, 8-bit bit-serial inputs, 7-bit ADC)
import { randomNetlist } from '../../dist/index.js';
import { mulberry32, seedOf } from '../data.mjs';
import { macReference } from '../peers/plain-js-mac.mjs';

const OWN = ['bitsieve-relaxed', 'bitsieve-simd', 'bitsieve-scalar'];
const LIBRARIES = [...OWN, 'plain-js'];

/** The bench encoder: EncodingNet's CGP shape (2 levels, levels-back = all), M = 64 outputs + constant. */
export const NETLIST = { operandBits: 8, levels: 2, gatesPerLevel: 64, outputs: 64, seed: 1 };

/** The crossbar: 128×128 arrays, 8-bit weights in 2-bit cells (two-column), 8-bit inputs bit-serial, 7-bit ADC. */
export const CROSSBAR = { rows: 128, cols: 128, weightBits: 8, cellBits: 2, inputBits: 8, adcBits: 7, mapping: 'two-column' };

/** Physical arrays × cells × input cycles per sample: every cell of every used array, every cycle. */
function crossbarCellOps(c) {
  const slices = Math.ceil((c.weightBits - 1) / c.cellBits);
  const arrays = Math.ceil(c.k / c.rows) * Math.ceil((2 * c.n * slices) / c.cols);
  return arrays * c.rows * c.cols * c.inputBits;
}

const CASES = [
  { case: 'encoded-netlist-m64', op: 'encoded', mode: 'netlist', m: 1, n: 256, k: 1024 },
  { case: 'encoded-netlist-m64-b8', op: 'encoded', mode: 'netlist', m: 8, n: 256, k: 1024 },
  { case: 'encoded-lut-m64', op: 'encoded', mode: 'lut', m: 1, n: 256, k: 1024 },
  { case: 'encoded-lut-m64-b8', op: 'encoded', mode: 'lut', m: 8, n: 256, k: 1024 },
  { case: 'approx-bam-loa', op: 'approx', hbl: 2, vbl: 6, lowerBits: 4, m: 1, n: 256, k: 1024 },
  { case: 'crossbar-128x128', op: 'crossbar', ...CROSSBAR, m: 1, n: 256, k: 1024 },
  { case: 'crossbar-128x128-b16', op: 'crossbar', ...CROSSBAR, m: 16, n: 256, k: 1024 },
];

const WORK = {
  encoded: (c) => ({ amount: c.m * c.n * c.k, unit: 'G MACs/s' }),
  approx: (c) => ({ amount: c.m * c.n * c.k, unit: 'G MACs/s' }),
  crossbar: (c) => ({ amount: c.m * crossbarCellOps(c), unit: 'G cell-ops/s' }),
};

export function cases() {
  return CASES.map((c) => ({
    ...c,
    suite: 'mac',
    layout: 'rows',
    format: { kind: 'mac' },
    libraries: LIBRARIES,
    work: WORK[c.op](c),
    tolerance: 0,
    rounds: {},
  }));
}

/** Seeded signed 8-bit operands (x [m, k], w [n, k]) and, for the encoder, integer position weights in ±2^12. */
export function data(c) {
  const seed = seedOf(c);
  const int8 = (length, s) => {
    const next = mulberry32(s);
    return Int8Array.from({ length }, () => next() & 0xff);
  };
  const out = { x: int8(c.m * c.k, seed), w: int8(c.n * c.k, seed ^ 0x5bd1e995) };
  // Crossbar weights: symmetric codes in [−127, 127] (the crossbar's signed range), small ones more likely, as in a layer.
  if (c.op === 'crossbar') out.w = out.w.map((v) => Math.trunc((v * Math.abs(v)) / 129));
  if (c.op === 'encoded') {
    const netlist = randomNetlist(NETLIST);
    const next = mulberry32(seed ^ 0x2545f491);
    const weights = Int32Array.from({ length: netlist.outputs.length + 1 }, () => (next() % 8193) - 4096);
    Object.assign(out, { netlist, weights });
  }
  return out;
}

/** The exact results at the probe positions, from the plain-JS implementation (the outputs are integers). */
export function referenceAt(c, d, indices) {
  const y = macReference(c, d);
  return indices.map((i) => y[i]);
}

export const missing = () => [];

/** The targets, checked on the relaxed build. */
export const TARGETS = [
  { case: 'encoded-netlist-m64', label: 'encoded MAC, M = 64, netlist mode', needs: '≥ 1 G MACs/s', rate: 1 },
  { case: 'encoded-netlist-m64', label: 'same vs plain-JS bit-parallel netlist', needs: '≥ 20×', min: 20 },
  { case: 'encoded-netlist-m64', label: 'for reference: netlist mode with hoist: false (every gate per product)', needs: '(≥ 1 G MACs/s)', rate: 1, mode: 'all-gates' },
  { case: 'encoded-netlist-m64', label: 'for reference: hoist: false vs plain JS', needs: '(≥ 20×)', min: 20, mode: 'all-gates' },
  { case: 'encoded-lut-m64', label: 'encoded MAC, LUT mode', needs: '≥ 1 G MACs/s', rate: 1 },
  { case: 'crossbar-128x128', label: 'crossbar GEMM, 128×128 arrays, 8-bit weights in 2-bit cells, 8-bit bit-serial inputs, 7-bit ADC', needs: '≥ 1 G cell-ops/s', rate: 1 },
];
