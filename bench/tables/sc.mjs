// The SC family's README table: rates per build against the plain-JS implementation of the same bit-level
// operations, and the issue's targets.
import { TARGETS } from '../families/sc.mjs';
import { caseNames, finder, fmt, targetRow, targetTable } from './common.mjs';

export const title = 'bitsieve stochastic-computing benchmarks';

const BUILDS = ['relaxed', 'simd', 'scalar'];

export function table(records) {
  const get = finder(records);
  const best = (name, library, variant) => {
    const rs = ['resident', 'end-to-end'].map((mode) => get(name, library, variant, mode)).filter(Boolean);
    return rs.length ? rs.reduce((a, b) => (a.ms <= b.ms ? a : b)) : undefined;
  };
  const rows = caseNames(records).map((name) => {
    const js = best(name, 'plain-js');
    const unit = js?.unit ?? records.find((r) => r.case === name)?.unit;
    const cells = BUILDS.map((b) => {
      const res = get(name, 'bitsieve', b, 'resident'), e2e = get(name, 'bitsieve', b, 'end-to-end');
      return `${res ? fmt(res.rate) : '–'} / ${e2e ? fmt(e2e.rate) : '–'}`;
    });
    const rel = best(name, 'bitsieve', 'relaxed');
    const ms = (r) => (r ? `${r.ms.toFixed(2)} ms` : '–');
    return `| ${name} | ${unit} | ${cells.join(' | ')} | ${js ? fmt(js.rate) : '–'} | ${ms(rel)} | ${rel && js ? `${(js.ms / rel.ms).toFixed(1)}×` : '–'} |`;
  });
  const targets = TARGETS.map((t) => {
    const r = best(t.case, 'bitsieve', 'relaxed');
    const js = best(t.case, 'plain-js');
    return targetRow(t, r, js);
  });
  return [
    'Rates per build: resident (data already in wasm memory) / end to end (through `bs.sc.*`, copies included); plain JS resident; the last two columns: the faster bitsieve relaxed mode and its speedup over plain JS.',
    '',
    '| case | unit | relaxed | simd | scalar | plain JS | bitsieve ms | × plain JS |',
    `|${' --- |'.repeat(8)}`,
    ...rows,
    ...targetTable('Targets (issue 5), relaxed build, faster of its modes:', targets),
  ].join('\n');
}

/** The bench's correctness line: SC outputs are integers checked against the plain-JS implementation. */
export const errorNote = 'max |y − plain-JS result| over ~1k outputs per case and mode';
export const tolerance = 'tolerance 0: every output is an exact integer';

export const notes = [
  'Streams: bit-packed LSB-first u32 words, 128-bit strides (src/sc/stream.ts); L = 1024 cycles; seeded random bits (bench/families/sc.mjs). Every output is an exact integer and must equal the plain-JS result (tolerance 0).',
  'A bit-op is one input-bit pair combined (AND / XNOR) and counted; the layer counts one per input bit and neuron per cycle (784 × 100 × 1024).',
  'plain JS: SWAR popcount over u32 words (products), a comparator loop packing bits (SNG), and for the layer a per-cycle loop over the inputs (XNOR, APC pairing, Btanh) — the same bit-level arithmetic, written straightforwardly.',
];
