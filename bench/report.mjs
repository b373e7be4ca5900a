// Turns merged records into bench/results/: <family>.json (machine-readable), one benny chart
// per case, <family>.md (README-ready tables), and the same tables on stdout.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { save } from 'benny';
import * as dense from './tables/dense.mjs';
import * as lowbit from './tables/lowbit.mjs';
import * as mac from './tables/mac.mjs';
import * as sc from './tables/sc.mjs';
import * as sparse from './tables/sparse.mjs';
import { caseNames } from './tables/common.mjs';

const TABLES = { dense, sparse, lowbit, sc, mac };
const RESULTS = new URL('./results/', import.meta.url);
const WASM_DIR = new URL('../dist/wasm/', import.meta.url);

export async function writeReport({ records, families, quick, rounds, timing, workers, failures, seconds }) {
  mkdirSync(RESULTS, { recursive: true });
  const env = [
    `Date: ${new Date().toISOString().slice(0, 10)}; CPU: ${cpus()[0]?.model} (${cpus().length} logical cores); ` +
      `Node ${process.version} (V8 ${process.versions.v8})`,
    `Mode: ${quick ? 'quick' : 'full'}, ${rounds} round(s), warm-up ${timing.warmupMs} ms, benny minTime ${timing.minTime} s / ` +
      `maxTime ${timing.maxTime} s / minSamples ${timing.minSamples}; all libraries single-threaded, one process each; ${seconds.toFixed(0)} s total.`,
  ];
  const sizes = wasmSizes();
  const written = [];
  for (const family of families) {
    const mine = records.filter((r) => r.family === family);
    writeFileSync(new URL(`${family}.json`, RESULTS), JSON.stringify(mine.map(({ benny, ...r }) => r), null, 2) + '\n');
    for (const name of caseNames(mine)) await writeChart(family, name, mine.filter((r) => r.case === name));
    const { title, table, notes } = TABLES[family];
    const body = table(mine);
    const libs = new Set(mine.map((r) => `${r.library}|${r.variant}`));
    const paths = workers.filter((w) => libs.has(`${w.library}|${w.variant}`)).map((w) => `- ${w.library} [${w.variant}]: ${w.simd}`);
    const myFailures = failures.filter((f) => mine.some((r) => f.startsWith(`${r.case} `)));
    const md = [
      `# ${title}`,
      '',
      ...env.map((l) => `${l}  `),
      '',
      body,
      '',
      `**Correctness:** ${errorLine(mine, TABLES[family].errorNote, TABLES[family].tolerance)}`,
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
      ...(myFailures.length ? ['', `**Correctness failures:** ${myFailures.join('; ')}`] : []),
      '',
    ].join('\n');
    writeFileSync(new URL(`${family}.md`, RESULTS), md);
    console.log(`\n## ${title}\n\n${body}\n\nCorrectness: ${errorLine(mine, TABLES[family].errorNote, TABLES[family].tolerance)}`);
    written.push(`${family}.json`, `${family}.md`);
  }
  console.log(`\n${env.join('\n')}`);
  console.log(`Wasm sizes: ${sizes.map((s) => `${s.file} ${s.raw} B raw / ${s.gzip} B gzip`).join('; ')}`);
  console.log(`\nWrote bench/results/${written.join(', ')} and <family>-<case>.chart.html.`);
}

function errorLine(records, note = 'max |y − float64 reference| over ~1k outputs per case and mode', tolerance = 'tolerance 1e-4·√K, ≥ 1.6e-3') {
  const worst = new Map();
  for (const r of records) {
    const name = r.library === 'bitsieve' ? `bitsieve ${r.variant}` : r.library;
    worst.set(name, Math.max(worst.get(name) ?? 0, r.maxAbsErr));
  }
  const list = [...worst].map(([name, e]) => `${name} ${e.toExponential(1)}`).join(', ');
  return `${note}: ${list} (${tolerance}).`;
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
async function writeChart(family, name, records) {
  const attach = await save({ folder: fileURLToPath(RESULTS), file: `${family}-${name}`, format: 'chart.html' })({ minDisplayPrecision: 2 });
  const hooks = [];
  attach({ on: (_event, fn) => hooks.push(fn) });
  const currentTarget = { name: `${family} ${name}: calls/s, higher is better` };
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
