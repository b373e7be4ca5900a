// The dense family's README table: GFLOP/s per library and build, speedups over the peers.
import { TFJS_NOTE } from '../peers/tfjs.mjs';
import { ORT, TFJS, caseNames, finder, fmt, ratio } from './common.mjs';

export const title = 'bitsieve dense f32 benchmarks';

export function table(records) {
  const get = finder(records);
  const head =
    '| case | bitsieve relaxed | bitsieve simd | bitsieve scalar | tfjs-wasm | ORT-web | plain JS ' +
    '| simd / tfjs | relaxed / tfjs | simd / ORT | relaxed / simd |';
  const rows = caseNames(records).map((name) => {
    const r = (lib, variant) => ({ res: get(name, lib, variant, 'resident'), e2e: get(name, lib, variant, 'end-to-end') });
    const [rel, simd, scalar, tf, ort, js] = [
      r('bitsieve', 'relaxed'),
      r('bitsieve', 'simd'),
      r('bitsieve', 'scalar'),
      r(TFJS),
      r(ORT),
      r('plain-js'),
    ];
    const pair = (x) => `${fmt(x.res?.gflops)} / ${fmt(x.e2e?.gflops)}`;
    const both = (b, p) => `${ratio(b.res?.ms, p.res?.ms)} / ${ratio(b.e2e?.ms, p.e2e?.ms)}`;
    return (
      `| ${name} | ${pair(rel)} | ${pair(simd)} | ${pair(scalar)} | ${pair(tf)} | ${fmt(ort.e2e?.gflops)} (e2e) | ${fmt(js.res?.gflops)} ` +
      `| ${both(simd, tf)} | ${both(rel, tf)} | ${ratio(simd.e2e?.ms, ort.e2e?.ms)} (e2e) | ${ratio(rel.res?.ms, simd.res?.ms)} (res) |`
    );
  });
  return [
    'GFLOP/s, resident / end-to-end (higher is better); ratios are bitsieve speedups, resident / end-to-end.',
    '',
    head,
    `|${' --- |'.repeat(11)}`,
    ...rows,
    '',
    `**Memory:** ${memoryLine(records)}`,
  ].join('\n');
}

export const notes = [
  'GFLOP/s = 2·M·N·K / time (median of benny samples, then median over rounds); cells are resident / end-to-end.',
  'Resident: inputs already in the library (bitsieve `layer.run(xT, yT)`, tfjs `matMul` + dispose, no read-back). ' +
    'End-to-end: JS Float32Array in, JS Float32Array out (bitsieve `layer.forward`, tfjs upload + matMul + dataSync, ORT `session.run`).',
  'Ratios are speedups of bitsieve over the peer (peer.ms / bitsieve.ms), resident vs resident and end-to-end vs end-to-end.',
  TFJS_NOTE,
  'ORT: one-node MatMul model (weights as an initializer), numThreads=1, proxy=false; session.run includes copies, so end-to-end only.',
  'plain-js: dot-product loop over W rows with 4 accumulators; resident only.',
];

function memoryLine(records) {
  const r = records.find((x) => x.library === 'bitsieve' && x.shape.n === 1024 && x.shape.k === 1024 && x.residentBytes);
  if (!r) return 'no 1024×1024 bitsieve layer measured';
  const f = r.residentBytes / (1024 * 1024 * 4);
  return `a 1024×1024 dense layer holds ${r.residentBytes} B of wasm memory = ${f.toFixed(4)}× its f32 weights (target ≤ 1.05: ${f <= 1.05 ? 'met' : 'MISSED'})`;
}
