// The MAC family's README table: rates per build against plain typed-array JS of the same arithmetic, and the
// issue's targets (checked on the relaxed build, in the mode that does the plain-JS peer's work).
import { TARGETS } from '../families/mac.mjs';
import { caseNames, finder, fmt } from './common.mjs';

export const title = 'bitsieve hardware-MAC benchmarks';

const BUILDS = ['relaxed', 'simd', 'scalar'];
/** The mode that does exactly the peer's work (every gate per product; end to end through bs.mac.*). */
const SAME_WORK = 'end-to-end';

export function table(records) {
  const get = finder(records);
  const rows = caseNames(records).map((name) => {
    const js = get(name, 'plain-js', undefined, 'resident');
    const unit = js?.unit ?? records.find((r) => r.case === name)?.unit;
    const cell = (b) => {
      const e2e = get(name, 'bitsieve', b, SAME_WORK), hoisted = get(name, 'bitsieve', b, 'hoisted');
      return `${e2e ? fmt(e2e.rate) : '–'}${hoisted ? ` (${fmt(hoisted.rate)})` : ''}`;
    };
    const rel = get(name, 'bitsieve', 'relaxed', SAME_WORK);
    const relHoisted = get(name, 'bitsieve', 'relaxed', 'hoisted');
    const x = (r) => (r && js ? `${(js.ms / r.ms).toFixed(1)}×` : '–');
    return `| ${name} | ${unit} | ${BUILDS.map(cell).join(' | ')} | ${js ? fmt(js.rate) : '–'} | ${x(rel)}${relHoisted ? ` (${x(relHoisted)})` : ''} |`;
  });
  const targets = TARGETS.map((t) => {
    const r = get(t.case, 'bitsieve', 'relaxed', SAME_WORK);
    const js = get(t.case, 'plain-js', undefined, 'resident');
    if (!r || (t.min !== undefined && !js)) return `| ${t.label} | ${t.needs} | – | not measured |`;
    const value = t.rate !== undefined ? r.rate : js.ms / r.ms;
    const met = t.rate !== undefined ? value >= t.rate : value >= t.min;
    const shown = t.rate !== undefined ? `${fmt(value)} ${r.unit}` : `${value.toFixed(1)}×`;
    return `| ${t.label} | ${t.needs} | ${shown} | ${met ? 'met' : 'MISSED'} |`;
  });
  return [
    'Rates per build, end to end through `bs.mac.*` (operand codes in, exact integer outputs out); in brackets the netlist mode with single-operand gates hoisted out of the product loop (the default; same results). Plain JS resident; last column: relaxed build over plain JS.',
    '',
    '| case | unit | relaxed | simd | scalar | plain JS | × plain JS |',
    `|${' --- |'.repeat(7)}`,
    ...rows,
    '',
    'Targets (issue 6), relaxed build, every gate evaluated per product:',
    '',
    '| target | needs | measured | status |',
    '| --- | --- | ---: | --- |',
    ...targets,
  ].join('\n');
}

export const errorNote = 'max |y − plain-JS result| over ~1k outputs per case and mode';
export const tolerance = 'tolerance 0: every output is an exact integer';

export const notes = [
  'Encoder: `randomNetlist({ operandBits: 8, levels: 2, gatesPerLevel: 64, outputs: 64, seed: 1 })` — EncodingNet\'s CGP shape (2 levels, any earlier node as input, the eight primitives), 128 gates, M = 64 outputs + the constant bit; seeded integer position weights in ±4096. Operands: seeded signed 8-bit codes; layer 1024 → 256.',
  'plain JS: the same netlist evaluated bit-parallel over u32 words (32 products per word, one gate over a whole row\'s words at a time, weight planes packed once), a SWAR popcount per output position; LUT mode: a gather loop over the 256 × 256 table.',
];
