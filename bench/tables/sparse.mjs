// The sparse family's README table: each format's time against the same layer run dense by tfjs
// and by bitsieve itself, the plain-JS CSR loop, the memory it holds, and the targets.
import * as lib from '../../dist/index.js';
import { LAYER, SEED, faceApiErrors } from '../face-api-layer.mjs';
import { TARGETS, missing } from '../families/sparse.mjs';
import { TFJS, caseNames, finder, fmt, ratio } from './common.mjs';

export const title = 'bitsieve sparse benchmarks';

const BUILDS = ['relaxed', 'simd'];

const FORMAT_NAMES = { csr: 'CSR', lfsr: 'LFSR rows', 'zero-skip': 'dense, zero-skipping', xnn: 'XNNPACK SpMM (NCHW)' };
const describeFormat = (f) =>
  f.kind === 'bsr' ? `BSR ${f.block.join('×')}` : f.kind === 'nm' ? `N:M ${f.n}:${f.m}` : f.kind === 'darb' ? `DARB b=${f.blockSize}` : FORMAT_NAMES[f.kind] ?? f.kind;
const describeSparsity = (r) =>
  r.activationSparsity !== undefined ? `${Math.round(r.activationSparsity * 100)} % of x` : `${Math.round(r.sparsity * 100)} %`;

/** Case c's own pruner applied to the real layer, as its output error; undefined: the format prunes nothing. */
function pruneError(c) {
  const f = c.format;
  const s = c.sparsity;
  const prune = {
    csr: (w, shape, calibration) => lib.pruneMagnitude(w, shape, { sparsity: s, calibration }),
    xnn: (w, shape, calibration) => lib.pruneMagnitude(w, shape, { sparsity: s, calibration }),
    bsr: (w, shape, calibration) => lib.pruneBlock(w, shape, { block: f.block, sparsity: s, calibration }),
    nm: (w, shape, calibration) => lib.pruneNM(w, shape, { n: f.n, m: f.m, calibration }),
    darb: (w, shape, calibration) => lib.pruneDarb(w, shape, { blockSize: f.blockSize, sparsity: s, calibration }),
    lfsr: (w, shape, calibration) => lib.pruneLfsr(w, shape, { sparsity: s, seed: SEED, calibration }),
  }[f.kind]; // dense, zero-skipping: none, the weights are exact
  return prune && ((w, shape, calibration) => prune(w, shape, calibration).outputError);
}

/** peer ms / bitsieve ms (resident) for one target on one build, or undefined when not measured. */
function speedup(get, t, build) {
  const mine = get(t.case, 'bitsieve', build, 'resident');
  const peer =
    t.vs === 'tfjs' ? get(t.baseline, TFJS, undefined, 'resident')
    : t.vs === 'own-dense' ? get(t.baseline, 'bitsieve', build, 'resident')
    : get(t.case, 'plain-js', undefined, 'resident');
  return mine && peer ? peer.ms / mine.ms : undefined;
}

export function table(records) {
  const get = finder(records);
  const sparse = caseNames(records).filter((name) => records.find((r) => r.case === name).format.kind !== 'dense');
  const errors = faceApiErrors(lib, sparse.map((name) => records.find((r) => r.case === name)), pruneError);
  const rows = sparse.map((name) => {
    const rec = Object.fromEntries(BUILDS.map((b) => [b, get(name, 'bitsieve', b, 'resident')]));
    const any = rec.relaxed ?? rec.simd;
    const base = any.baseline;
    const tf = get(base, TFJS, undefined, 'resident');
    const own = Object.fromEntries(BUILDS.map((b) => [b, get(base, 'bitsieve', b, 'resident')]));
    const js = get(name, 'plain-js', undefined, 'resident');
    const promised = (any.bitsPerWeight * any.shape.n * any.shape.k) / 8 + 4 * any.shape.n; // + f32 bias
    const cells = [
      name,
      describeFormat(any.format),
      describeSparsity(any),
      any.bitsPerWeight?.toFixed(2) ?? '–',
      BUILDS.map((b) => fmt(rec[b]?.ms)).join(' / '),
      BUILDS.map((b) => ratio(rec[b]?.ms, tf?.ms)).join(' / '),
      BUILDS.map((b) => ratio(rec[b]?.ms, own[b]?.ms)).join(' / '),
      js ? ratio(rec.relaxed?.ms, js.ms) : '–',
      any.residentBytes ? `${(any.residentBytes / promised).toFixed(3)}×` : '–',
      errors.has(name) ? `${(100 * errors.get(name)).toFixed(1)} %` : '–',
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const targets = TARGETS.map((t) => {
    const [rel, simd] = BUILDS.map((b) => speedup(get, t, b));
    const peer = t.vs === 'plain-js' ? 'plain-JS CSR' : `${t.vs === 'tfjs' ? 'tfjs' : 'own'} dense (${t.baseline})`;
    const status = rel === undefined ? 'not measured' : rel >= t.min ? 'met' : 'MISSED';
    const x = (v) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
    return `| ${t.case} vs ${peer} | ≥ ${t.min}× | ${x(rel)} | ${x(simd)} | ${status} |`;
  });
  const memory = sparse.map((name) => get(name, 'bitsieve', 'relaxed', 'resident')).filter((r) => r?.residentBytes);
  const worst = Math.max(...memory.map((r) => r.residentBytes / ((r.bitsPerWeight * r.shape.n * r.shape.k) / 8 + 4 * r.shape.n)));
  return [
    'Resident ms per call (relaxed / simd build); speedups = dense peer ms / sparse ms at the same shape (M×N×K: batch × out × in).',
    '',
    '| case | format | sparsity | bits/weight | ms (relaxed / simd) | × tfjs dense | × own dense | × plain-JS CSR | memory / promised | error, real layer |',
    `|${' --- |'.repeat(10)}`,
    ...rows,
    '',
    'Targets (issue 3), checked on the relaxed build:',
    '',
    '| target | needs | relaxed | simd | status |',
    '| --- | ---: | ---: | ---: | --- |',
    ...targets,
    '',
    memory.length
      ? `**Memory:** worst resident layer = ${worst.toFixed(3)}× the bytes its bitsPerWeight promises (+ 4 B/row bias); target ≤ 1.1: ${worst <= 1.1 ? 'met' : 'MISSED'}.`
      : '**Memory:** no sparse layer measured.',
    ...(missing().length ? ['', `**Not measured** (format not in this build): ${missing().join(', ')}.`] : []),
  ].join('\n');
}

export const notes = [
  'Weights are seeded uniform values with the format\'s zero pattern applied by the bench (bench/families/sparse.mjs), not by the library\'s pruners; every library multiplies the same matrix.',
  'tfjs and own dense run the same matrix as dense f32 (zeros included); tfjs with weights pre-transposed (its fast path).',
  'plain-JS CSR: the textbook rowPtr/colIdx/values loop over row-major activations.',
  'bits/weight = the format\'s `bitsPerWeight` (values + indices + pointers over out·in).',
  `error, real layer: ‖X·Wᵀ − X·Ŵᵀ‖ / ‖X·Wᵀ‖ when the format\'s own pruner (pruneMagnitude, pruneBlock, pruneNM, pruneDarb, pruneLfsr) prunes ${LAYER.label} to the case\'s pattern, X = 256 correlated activations (bench/face-api-layer.mjs); 0 for formats that keep every weight.`,
];
