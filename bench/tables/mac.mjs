// The MAC family's README table: rates per build against plain typed-array JS of the same arithmetic, and the
// issue's targets (checked on the relaxed build, the library's default mode; the all-gates netlist mode is shown too).
import { TARGETS } from '../families/mac.mjs';
import { caseNames, finder, fmt, targetRow, targetTable } from './common.mjs';

export const title = 'bitsieve hardware-MAC benchmarks';

const BUILDS = ['relaxed', 'simd', 'scalar'];
/** The library's default path, end to end through bs.mac.*. */
const DEFAULT = 'end-to-end';
/** Netlist mode with hoist: false: every gate for every product, the plain-JS peer's work. */
const ALL_GATES = 'all-gates';

export function table(records) {
  const get = finder(records);
  const rows = caseNames(records).map((name) => {
    const js = get(name, 'plain-js', undefined, 'resident');
    const unit = js?.unit ?? records.find((r) => r.case === name)?.unit;
    const cell = (b) => {
      const e2e = get(name, 'bitsieve', b, DEFAULT), all = get(name, 'bitsieve', b, ALL_GATES);
      return `${e2e ? fmt(e2e.rate) : '–'}${all ? ` (${fmt(all.rate)})` : ''}`;
    };
    const rel = get(name, 'bitsieve', 'relaxed', DEFAULT);
    const relAll = get(name, 'bitsieve', 'relaxed', ALL_GATES);
    const x = (r) => (r && js ? `${(js.ms / r.ms).toFixed(1)}×` : '–');
    return `| ${name} | ${unit} | ${BUILDS.map(cell).join(' | ')} | ${js ? fmt(js.rate) : '–'} | ${x(rel)}${relAll ? ` (${x(relAll)})` : ''} |`;
  });
  const targets = TARGETS.map((t) => {
    const r = get(t.case, 'bitsieve', 'relaxed', t.mode ?? DEFAULT);
    const js = get(t.case, 'plain-js', undefined, 'resident');
    return targetRow(t, r, js);
  });
  return [
    'Rates per build, end to end through `bs.mac.*` (operand codes in, exact integer outputs out), in the default mode; in brackets the netlist mode with `hoist: false` (every gate evaluated for every product, as the plain-JS peer does; same results). Plain JS resident; last column: relaxed build over plain JS.',
    '',
    '| case | unit | relaxed | simd | scalar | plain JS | × plain JS |',
    `|${' --- |'.repeat(7)}`,
    ...rows,
    ...targetTable('Targets (issue 6), relaxed build:', targets),
  ].join('\n');
}

export const errorNote = 'max |y − plain-JS result| over ~1k outputs per case and mode';
export const tolerance = 'tolerance 0: every output is an exact integer';

export const notes = [
  'Encoder: `randomNetlist({ operandBits: 8, levels: 2, gatesPerLevel: 64, outputs: 64, seed: 1 })` — EncodingNet\'s CGP shape (2 levels, any earlier node as input, the eight primitives), 128 gates, M = 64 outputs + the constant bit; seeded integer position weights in ±4096. Operands: seeded signed 8-bit codes; layer 1024 → 256. LUT mode: the same encoder\'s 256 × 256 product table.',
  'Approximate MAC: signed 8-bit broken-array multiplier (Baugh–Wooley terms, hbl 2, vbl 6) accumulated through a lower-part-OR adder (l = 4) in a 32-bit register, 1024 → 256.',
  'Crossbar: 1024 → 256 on 128 × 128 arrays, two-column mapping, 8-bit weight codes in 2-bit cells (4 slices), 8-bit inputs two\'s-complement bit-serial (8 cycles), 7-bit ADC with clipping (step 1), no faults: 128 arrays. A cell-op is one cell in one input cycle, counted over every cell of every used array.',
  'plain JS: the netlist evaluated bit-parallel over u32 words (32 products per word, one gate over a whole row\'s words at a time, weight planes packed once) with a SWAR popcount per output position; a gather loop over the product table; the BAM as its kept partial-product terms and the LOA as bit operations on the register; the crossbar as a loop over the cells of each column per row tile and cycle, then the ADC. All written independently of bitsieve\'s code; every output must agree exactly.',
];
