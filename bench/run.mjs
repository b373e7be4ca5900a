// npm run bench [-- --quick] [-- --rounds N] [-- --family dense|sparse|lowbit|sc|mac] [-- --case SUBSTRING]
// Orchestrator: forks one worker per library/build, then for each round and each case lets every
// worker measure that case in turn (rotating the order). On this noisy 2-core VM the same binary
// drifts by 1.5× over minutes, so peers are measured back to back on the same shape and the
// per-library median over rounds is reported. Workers are idle while another one measures.
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { probeIndices, referenceAt, tolerance } from './data.mjs';
import { FAMILIES, allCases, dataFor } from './families/index.mjs';
import { writeReport } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    family: { type: 'string' },
    case: { type: 'string' },
  },
});
const quick = args.quick;
// Several short rounds beat one long one here: a noisy burst then spoils one round, not a library.
const rounds = Number(args.rounds ?? (quick ? 2 : 5));
// Per mode: warm-up (ms), then benny/benchmark.js samples of ≥ minTime s each, at least
// minSamples of them and until maxTime s. Workers live across cases, so kernels stay hot.
const timing = quick
  ? { warmupMs: 60, minTime: 0.02, maxTime: 0.1, minSamples: 3 }
  : { warmupMs: 200, minTime: 0.05, maxTime: 0.3, minSamples: 5 };

// Node 20 (V8 11.3) validates relaxed SIMD only behind a flag; V8 ≥ 11.4 ships it.
const [v8Major, v8Minor] = process.versions.v8.split('.').map(Number);
const relaxedFlags = v8Major < 11 || (v8Major === 11 && v8Minor < 4) ? ['--experimental-wasm-relaxed-simd'] : [];

const WORKERS = [
  { id: 'bitsieve-relaxed', adapter: './bitsieve.mjs', variant: 'relaxed', flags: relaxedFlags },
  { id: 'bitsieve-simd', adapter: './bitsieve.mjs', variant: 'simd' },
  { id: 'bitsieve-scalar', adapter: './bitsieve.mjs', variant: 'scalar' },
  { id: 'tfjs', adapter: './peers/tfjs.mjs' },
  { id: 'ort', adapter: './peers/ort.mjs' },
  { id: 'plain-js', adapter: './peers/plain-js.mjs' },
];

function start(spec) {
  const child = fork(new URL('./worker.mjs', import.meta.url), [spec.adapter, spec.variant ?? ''], {
    execArgv: [...(spec.flags ?? []), '--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'], // benny's progress chatter is dropped; errors show
  });
  const worker = { ...spec, child, pending: null };
  child.on('message', (msg) => {
    const { resolve, reject } = worker.pending ?? {};
    worker.pending = null;
    if (msg.type === 'error') reject?.(new Error(`${spec.id}: ${msg.message}`));
    else resolve?.(msg);
  });
  child.on('exit', (code) => worker.pending?.reject(new Error(`${spec.id} exited with code ${code}`)));
  worker.request = (msg) =>
    new Promise((resolve, reject) => {
      worker.pending = { resolve, reject };
      if (msg) child.send(msg);
    });
  worker.ready = worker.request(null);
  return worker;
}

/** A case's speed: dense-equivalent GFLOP/s, unless it counts other work (`work: { amount, unit }`). */
const rate = (c, ms) => ((c.work?.amount ?? c.flops) / ms) * 1e-6;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

const t0 = performance.now();
const all = allCases({ quick });
if (args.family && !FAMILIES[args.family]) throw new Error(`no family ${args.family}; families: ${Object.keys(FAMILIES).join(', ')}`);
const picked = all.filter((c) => (!args.family || c.family === args.family) && (!args.case || c.case.includes(args.case)));
// A picked case's dense baseline (same family) runs too, so its ratios can be formed.
const cases = all.filter((c) => picked.includes(c) || picked.some((p) => p.family === c.family && p.baseline === c.case));
if (!cases.length) throw new Error(`no case matches; cases: ${all.map((c) => `${c.family}/${c.case}`).join(', ')}`);
for (const family of new Set(picked.map((c) => c.family))) {
  const skipped = FAMILIES[family].missing?.() ?? [];
  if (skipped.length) console.log(`${family}: not available in this build (bitsieve skipped): ${skipped.join(', ')}`);
}
// Only the libraries some selected case asks for.
const workers = WORKERS.filter((w) => cases.some((c) => c.libraries.includes(w.id))).map(start);
const ready = await Promise.all(workers.map((w) => w.ready)); // all-or-nothing: a peer that fails to load stops the run
for (const [i, w] of workers.entries()) {
  const { library, variant, simd } = ready[i];
  Object.assign(w, { library, variant, simd });
  console.log(`${w.id.padEnd(17)} ${library} [${variant}] ${simd}`);
}

// Float64 reference at the probe positions, from the same seeded data the workers generate.
const refs = new Map();
// A family may define its own reference (the SC family's outputs are exact integers from its plain-JS peer).
const referenceOf = (c) => (FAMILIES[c.family].referenceAt ?? referenceAt)(c, dataFor(c), probeIndices(c));
const reference = (c) => refs.get(c) ?? refs.set(c, referenceOf(c)).get(c);
const measured = new Map(); // `${case}|${worker}|${mode}` → per-round results
const failures = [];
for (let round = 0; round < rounds; round++) {
  for (const [ci, c] of cases.entries()) {
    const ref = reference(c);
    const tol = tolerance(c);
    const order = workers.map((_, i) => workers[(i + round + ci) % workers.length]);
    const line = [];
    for (const w of order) {
      if (!c.libraries.includes(w.id) || round >= (c.rounds[w.id] ?? Infinity)) continue;
      const res = await w.request({ type: 'run', caseIndex: all.indexOf(c), quick, timing });
      w.simd = res.simd; // ORT only knows which file it loaded after its first session
      for (const [mode, r] of Object.entries(res.results)) {
        const err = Math.max(...res.probes[mode].map((v, i) => Math.abs(v - ref[i])));
        if (!(err <= tol)) failures.push(`${c.case} ${w.id} ${mode}: max |err| ${err} > ${tol}`);
        const key = `${c.case}|${w.id}|${mode}`;
        if (!measured.has(key)) measured.set(key, { c, w, mode, rounds: [] });
        measured.get(key).rounds.push({ ...r, err, info: res.info });
        line.push(`${w.id}/${{ resident: 'res', 'end-to-end': 'e2e' }[mode] ?? mode} ${rate(c, r.ms).toFixed(2)}`);
      }
    }
    console.log(`round ${round + 1}/${rounds} ${c.case.padEnd(18)} ${c.work?.unit ?? 'GFLOP/s (dense-equivalent)'}: ${line.join('  ')}`);
  }
}
for (const w of workers) w.child.send({ type: 'exit' });

// measured is in first-round order (rotated); report in case, worker, mode order.
const rank = ({ c, w, mode }) => [cases.indexOf(c), workers.indexOf(w), mode === 'resident' ? 0 : 1];
const byRank = (a, b) => rank(a).reduce((d, x, i) => d || x - rank(b)[i], 0);
const records = [...measured.values()].sort(byRank).map(({ c, w, mode, rounds: rs }) => {
  const ms = median(rs.map((r) => r.ms));
  return {
    family: c.family,
    suite: c.suite,
    case: c.case,
    library: w.library,
    variant: w.variant,
    mode,
    shape: { m: c.m, n: c.n, k: c.k },
    ms,
    gflops: c.flops ? (c.flops / ms) * 1e-6 : undefined,
    ...(c.work && { rate: rate(c, ms), unit: c.work.unit }),
    op: c.op,
    simd: w.simd,
    rounds: rs.length,
    msRounds: rs.map((r) => r.ms),
    samples: rs.reduce((n, r) => n + r.samples, 0),
    maxAbsErr: Math.max(...rs.map((r) => r.err)),
    // The benny result of the round closest to the median, for the charts.
    benny: rs.reduce((a, b) => (Math.abs(b.ms - ms) < Math.abs(a.ms - ms) ? b : a)).benny,
    format: c.format,
    layout: c.layout,
    baseline: c.baseline,
    activationSparsity: c.activationSparsity,
    sparsity: c.sparsity,
    residentBytes: rs[0].info?.residentBytes,
    bitsPerWeight: rs[0].info?.bitsPerWeight,
  };
});

await writeReport({ records, families: [...new Set(cases.map((c) => c.family))], quick, rounds, timing, workers, failures, seconds: (performance.now() - t0) / 1e3 });
if (failures.length) {
  console.error(`\nCORRECTNESS FAILURES (these numbers compare broken runs):\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
