// Turns merged records into bench/results/: dense.json (machine-readable), one benny chart per
// case, summary.md (README-ready), and the same table on stdout.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { save } from 'benny';
import { TFJS_NOTE } from './peers/tfjs.mjs';

const RESULTS = new URL('./results/', import.meta.url);
const WASM_DIR = new URL('../dist/wasm/', import.meta.url);

const TFJS = '@tensorflow/tfjs-backend-wasm';
const ORT = 'onnxruntime-web';

const fmt = (g) => (g == null ? '–' : g >= 10 ? g.toFixed(1) : g.toFixed(2));
const ratio = (a, b) => (a == null || b == null ? '–' : `${(b / a).toFixed(2)}×`); // b.ms / a.ms = a's speedup

export async function writeReport({ records, quick, rounds, timing, workers, failures, seconds }) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    new URL('dense.json', RESULTS),
    JSON.stringify(records.map(({ benny, ...r }) => r), null, 2) + '\n',
  );
  for (const name of caseNames(records)) await writeChart(name, records.filter((r) => r.case === name));

  const table = summaryTable(records);
  const memory = memoryLine(records);
  const sizes = wasmSizes();
  const correctness = errorLine(records);
  const paths = workers.map((w) => `- ${w.library} [${w.variant}]: ${w.simd}`);
  const notes = [
    'GFLOP/s = 2·M·N·K / time (median of benny samples, then median over rounds); cells are resident / end-to-end.',
    'Resident: inputs already in the library (bitsieve `layer.run(xT, yT)`, tfjs `matMul` + dispose, no read-back). ' +
      'End-to-end: JS Float32Array in, JS Float32Array out (bitsieve `layer.forward`, tfjs upload + matMul + dataSync, ORT `session.run`).',
    'Ratios are speedups of bitsieve over the peer (peer.ms / bitsieve.ms), resident vs resident and end-to-end vs end-to-end.',
    TFJS_NOTE,
    'ORT: one-node MatMul model (weights as an initializer), numThreads=1, proxy=false; session.run includes copies, so end-to-end only.',
    'plain-js: dot-product loop over W rows with 4 accumulators; resident only.',
  ];
  const env = [
    `Date: ${new Date().toISOString().slice(0, 10)}; CPU: ${cpus()[0]?.model} (${cpus().length} logical cores); ` +
      `Node ${process.version} (V8 ${process.versions.v8})`,
    `Mode: ${quick ? 'quick' : 'full'}, ${rounds} round(s), warm-up ${timing.warmupMs} ms, benny minTime ${timing.minTime} s / ` +
      `maxTime ${timing.maxTime} s / minSamples ${timing.minSamples}; all libraries single-threaded, one process each; ${seconds.toFixed(0)} s total.`,
  ];

  const md = [
    '# bitsieve dense f32 benchmarks',
    '',
    ...env.map((l) => `${l}  `),
    '',
    table,
    '',
    `**Memory:** ${memory}`,
    '',
    `**Correctness:** ${correctness}`,
    '',
    '| build | raw bytes | gzip bytes |',
    '| --- | ---: | ---: |',
    ...sizes.map((s) => `| ${s.file} | ${s.raw} | ${s.gzip} |`),
    '',
    'SIMD paths actually used:',
    '',
    ...paths,
    '',
    'Notes:',
    '',
    ...notes.map((n) => `- ${n}`),
    ...(failures.length ? ['', `**Correctness failures:** ${failures.join('; ')}`] : []),
    '',
  ].join('\n');
  writeFileSync(new URL('summary.md', RESULTS), md);

  console.log(`\n${env.join('\n')}\n\n${table}\n`);
  console.log(`Memory: ${memory}`);
  console.log(`Correctness: ${correctness}`);
  console.log(`Wasm sizes: ${sizes.map((s) => `${s.file} ${s.raw} B raw / ${s.gzip} B gzip`).join('; ')}`);
  console.log(`\nNote: ${TFJS_NOTE}`);
  console.log(`\nWrote bench/results/dense.json, summary.md and dense-<case>.chart.html.`);
}

const caseNames = (records) => [...new Set(records.map((r) => r.case))];

function summaryTable(records) {
  const get = (name, library, variant, mode) =>
    records.find((r) => r.case === name && r.library === library && (!variant || r.variant === variant) && r.mode === mode);
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
  ].join('\n');
}

function memoryLine(records) {
  const r = records.find((x) => x.library === 'bitsieve' && x.shape.n === 1024 && x.shape.k === 1024 && x.residentBytes);
  if (!r) return 'no 1024×1024 bitsieve layer measured';
  const f = r.residentBytes / (1024 * 1024 * 4);
  return `a 1024×1024 dense layer holds ${r.residentBytes} B of wasm memory = ${f.toFixed(4)}× its f32 weights (target ≤ 1.05: ${f <= 1.05 ? 'met' : 'MISSED'})`;
}

function errorLine(records) {
  const worst = new Map();
  for (const r of records) {
    const name = r.library === 'bitsieve' ? `bitsieve ${r.variant}` : r.library;
    worst.set(name, Math.max(worst.get(name) ?? 0, r.maxAbsErr));
  }
  const list = [...worst].map(([name, e]) => `${name} ${e.toExponential(1)}`).join(', ');
  return `max |y − float64 reference| over ~1k outputs per case and mode: ${list} (tolerance 1e-4·√K, ≥ 1.6e-3).`;
}

function wasmSizes() {
  return readdirSync(WASM_DIR)
    .filter((f) => f.endsWith('.wasm'))
    .sort()
    .map((file) => {
      const bytes = readFileSync(new URL(file, WASM_DIR));
      return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
}

/**
 * benny's chart for one case across every library, build and mode (ops = calls/s, so bars compare
 * directly). benny only renders a suite it ran itself, so this replays the workers' own benny
 * results (the round nearest the median) through save()'s 'complete' hook.
 */
async function writeChart(name, records) {
  const attach = await save({ folder: fileURLToPath(RESULTS), file: `dense-${name}`, format: 'chart.html' })({ minDisplayPrecision: 2 });
  const hooks = [];
  attach({ on: (_event, fn) => hooks.push(fn) });
  const currentTarget = { name: `dense ${name}: calls/s, higher is better` };
  records.forEach(({ library, variant, mode, benny: b }, i) => {
    currentTarget[i] = {
      name: `${library === 'bitsieve' ? `bitsieve ${variant}` : library} ${mode}`,
      hz: b.ops,
      stats: {
        rme: b.margin,
        sample: b.details.sampleResults,
        mean: b.details.mean,
        deviation: b.details.standardDeviation,
        moe: b.details.marginOfError,
        sem: b.details.standardErrorOfMean,
        variance: b.details.sampleVariance,
      },
      ...b.options,
      defer: b.promise,
    };
  });
  for (const fn of hooks) fn({ currentTarget, timeStamp: Date.now() });
}
