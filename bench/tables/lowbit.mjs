// The low-bit family's README tables: per format, its size, its error on a real layer, its fused
// GEMV/GEMM speed against f32 (tfjs, own dense), ONNX Runtime's MatMulNBits and plain JS, its
// dequantization rate and the memory a resident layer holds; then the peers' own times and the
// issue's targets.
import * as lib from '../../dist/index.js';
import { LAYER, faceApiErrors } from '../face-api-layer.mjs';
import { ggufLoadMemory } from '../gguf-load-memory.mjs';
import { outputError } from '../prune-experiment.mjs';
import { packedBytes } from '../quantized.mjs';
import { FORMATS, MEMORY_LIMIT, TARGETS, missing } from '../families/lowbit.mjs';
import { ORT, TFJS, caseNames, finder, fmt, ratio } from './common.mjs';

export const title = 'bitsieve low-bit benchmarks';

const BUILDS = ['relaxed', 'simd'];

const describeFormat = (f) =>
  f.kind === 'gguf' ? `GGUF ${f.type}` : `int${f.bits} symmetric, ${f.groupSize ? `group ${f.groupSize}` : 'per channel'}, f16 scales`;

/** Case c's format applied to the real layer by the library's own quantizer, as its output error. */
export function quantizeError(api, c) {
  const f = c.format;
  if (f.kind === 'gguf') return (w, shape, calibration) => outputError(w, api.GgufMatrix.fromDense(w, shape, f.type).toDense(), calibration, ...shape);
  return (w, shape, calibration) =>
    api.quantizeRtn(w, shape, { bits: f.bits, groupSize: f.groupSize ?? shape[1], mode: 'symmetric', scaleDtype: 'f16', calibration }).outputError;
}

const packed = (r) => packedBytes(r.format, r.shape.n, r.shape.k);
/** A library's record on a case: resident when it has that mode, else end to end. */
const pick = (get, name, library, build) => get(name, library, build, 'resident') ?? get(name, library, build, 'end-to-end');
const rateOf = (get, name, build) => pick(get, name, 'bitsieve', build)?.rate;

/** peer ms / bitsieve ms for a ratio target, or G weights/s for a rate target; undefined when not measured. */
function achieved(get, t, build) {
  if (t.rate) return rateOf(get, t.case, build);
  const mode = t.vs === 'ort' ? 'end-to-end' : 'resident'; // ORT runs end to end only
  const mine = get(t.case, 'bitsieve', build, mode);
  const peer =
    t.vs === 'tfjs' ? get(t.baseline, TFJS, undefined, mode)
    : t.vs === 'own-dense' ? get(t.baseline, 'bitsieve', build, mode)
    : get(t.case, ORT, undefined, mode);
  return mine && peer ? peer.ms / mine.ms : undefined;
}

export function table(records) {
  const get = finder(records);
  const first = (name) => records.find((r) => r.case === name);
  const names = caseNames(records);
  const linear = names.filter((name) => first(name).format.kind !== 'dense' && first(name).op !== 'dequantize');
  const sameFormat = (a, b) => JSON.stringify(first(a).format) === JSON.stringify(first(b).format);
  const dequantOf = (name) => names.find((d) => first(d).op === 'dequantize' && sameFormat(d, name));
  const errors = faceApiErrors(lib, linear.map(first), (c) => quantizeError(lib, c));

  const rows = linear.map((name) => {
    const any = first(name);
    const rec = Object.fromEntries(BUILDS.map((b) => [b, get(name, 'bitsieve', b, 'resident')]));
    const e2e = Object.fromEntries(BUILDS.map((b) => [b, get(name, 'bitsieve', b, 'end-to-end')]));
    const tf = get(any.baseline, TFJS, undefined, 'resident');
    const own = Object.fromEntries(BUILDS.map((b) => [b, get(any.baseline, 'bitsieve', b, 'resident')]));
    const ort = get(name, ORT, undefined, 'end-to-end');
    const js = get(name, 'plain-js', undefined, 'resident');
    const dq = dequantOf(name);
    const mine = rec.relaxed ?? rec.simd;
    const both = (f) => BUILDS.map(f).join(' / ');
    const cells = [
      name,
      describeFormat(any.format),
      (mine?.bitsPerWeight ?? (8 * packed(any)) / (any.shape.n * any.shape.k)).toFixed(3),
      errors.has(name) ? `${(100 * errors.get(name)).toFixed(2)} %` : '–',
      both((b) => fmt(rec[b]?.ms)),
      both((b) => ratio(rec[b]?.ms, tf?.ms)),
      both((b) => ratio(rec[b]?.ms, own[b]?.ms)),
      ort ? both((b) => ratio(e2e[b]?.ms, ort.ms)) : '–',
      js ? ratio(rec.relaxed?.ms, js.ms) : '–',
      dq ? both((b) => fmt(rateOf(get, dq, b))) : '–',
      mine?.residentBytes ? `${(mine.residentBytes / packed(mine)).toFixed(3)}×` : '–',
    ];
    return `| ${cells.join(' | ')} |`;
  });

  const peerRows = names.map((name) => {
    const r = first(name);
    const at = (library, build) => pick(get, name, library, build);
    const cell = (rec) => (!rec ? '–' : r.op === 'dequantize' ? `${fmt(rec.rate)} Gw/s` : `${fmt(rec.ms)} ms`);
    const cells = [name, `${r.shape.m}×${r.shape.n}×${r.shape.k}`, BUILDS.map((b) => cell(at('bitsieve', b))).join(' / '), ...[TFJS, ORT, 'plain-js'].map((l) => cell(at(l)))];
    return `| ${cells.join(' | ')} |`;
  });

  const targets = TARGETS.map((t) => {
    const [rel, simd] = BUILDS.map((b) => achieved(get, t, b));
    const need = t.rate ? t.rate : t.min;
    const unit = t.rate ? ' G weights/s' : '×';
    const label = t.rate
      ? `${t.case}: packed → f32`
      : `${t.case} vs ${t.vs === 'ort' ? 'ORT MatMulNBits (same codes, end to end)' : `${t.vs === 'tfjs' ? 'tfjs' : 'own'} dense f32 (${t.baseline})`}`;
    const status = rel === undefined ? 'not measured' : rel >= need ? 'met' : 'MISSED';
    const x = (v) => (v === undefined ? '–' : `${v.toFixed(2)}${unit}`);
    return `| ${label} | ≥ ${need}${unit} | ${x(rel)} | ${x(simd)} | ${status} |`;
  });

  const memory = linear.flatMap((name) => BUILDS.map((b) => get(name, 'bitsieve', b, 'resident'))).filter((r) => r?.residentBytes);
  const worst = Math.max(...memory.map((r) => r.residentBytes / packed(r)));
  return [
    'Resident ms per call (relaxed / simd build); speedups = peer ms / bitsieve ms at the same shape (M×N×K: batch × out × in); dequantization in G weights/s.',
    '',
    '| case | format | bits/weight | error, real layer | ms (relaxed / simd) | × tfjs f32 | × own f32 | × ORT MatMulNBits | × plain JS | dequant G weights/s | memory / packed |',
    `|${' --- |'.repeat(11)}`,
    ...rows,
    '',
    'Every library on every case (ms per call, or G weights/s for dequantization; bitsieve relaxed / simd; resident where the library has it, else end to end):',
    '',
    '| case | M×N×K | bitsieve | tfjs f32 | ORT | plain JS |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...peerRows,
    '',
    'Targets (issue 4), checked on the relaxed build:',
    '',
    '| target | needs | relaxed | simd | status |',
    '| --- | ---: | ---: | ---: | --- |',
    ...targets,
    '',
    memory.length
      ? `**Memory:** worst resident layer = ${worst.toFixed(3)}× its packed bytes; target ≤ ${MEMORY_LIMIT}: ${worst <= MEMORY_LIMIT ? 'met' : 'MISSED'}.`
      : '**Memory:** no low-bit layer measured.',
    '',
    ggufLoadLine(),
    ...(missing().length ? ['', `**Not measured** (API not in this build): ${missing().join(', ')}.`] : []),
  ].join('\n');
}

/** The load-memory target: a ~100 MB GGUF file read and made resident in a fresh process (bench/gguf-load-memory.mjs). */
function ggufLoadLine() {
  const m = ggufLoadMemory(100);
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  const ratio = m.rssGrowth / (m.fileBytes + m.residentBytes);
  // JS objects of the parser and the layers add a few hundred kB; the target is about copies of the data.
  const met = ratio <= 1.01;
  return `**GGUF load:** a ${mb(m.fileBytes)} file (${m.tensors} Q4_0 tensors) read, parsed and made resident grew the process by ${mb(m.rssGrowth)} = ${ratio.toFixed(4)}× (file + resident tensors = ${mb(m.fileBytes + m.residentBytes)}); after dropping the file's bytes ${mb(m.rssAfterRelease)} stay (resident: ${mb(m.residentBytes)}). Target ≤ file + resident (1.01× allowed for JS objects): ${met ? 'met' : 'MISSED'}.`;
}

export const notes = [
  'Weights are seeded codes and scales written by the bench in each format\'s layout (bench/quantized.mjs): GGUF Q4_0/Q8_0/Q4_K blocks (ggml byte order, f16 d, d < 0 allowed) and symmetric group-wise integers with f16 scales, |w| ≤ 1; not the library\'s quantizers. Every library multiplies the same matrix; the float64 reference is its exact f32 dequantization.',
  `Formats: ${Object.entries(FORMATS).map(([name, f]) => `${name} = ${describeFormat(f)}`).join('; ')}.`,
  'tfjs and own dense f32 run a dense matrix of the same shape (dense-gemv, dense-b64), tfjs with weights pre-transposed (its fast path); f32 GEMV speed does not depend on the values.',
  'ORT: one-node com.microsoft.MatMulNBits model (bits 4, block_size 32, B uint8 [N, K/32, 16] with consecutive codes low nibble first, f32 scales [N·K/32], default zero point 8, accuracy_level unset) on the same codes, numThreads=1, proxy=false; session.run copies in and out, so it is compared end to end with bitsieve end to end. Q4_0 is exactly such a matrix (zero 8, scale d).',
  'plain JS: dequantize one row of W into a scratch row (bench/quantized.mjs), then the four-accumulator dot product of the dense peer; dequantization: the same row loop over all rows.',
  'Dequantization: packed [N, K] → f32 [N, K] in a reused Float32Array (bitsieve `bs.dequantize(format, out)`: copy in, kernel, copy out), checked bit for bit (tolerance 0).',
  'memory / packed: the resident layer\'s wasm bytes (`residentBytes`, including a 4 B/row bias) over the packed bytes (GGUF blocks, or codes + f16 scales).',
  `error, real layer: ‖X·Wᵀ − X·Ŵᵀ‖ / ‖X·Wᵀ‖ when the library quantizes ${LAYER.label} to the case's format (GgufMatrix.fromDense with ggml's reference quantizer; quantizeRtn symmetric with f16 scales), X = 256 correlated activations (bench/face-api-layer.mjs). The layer is already 8-bit in face-api's files.`,
];
