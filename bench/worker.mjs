// One library (one build of it) per process, so JIT state, wasm memory and heap growth of one
// never touch another. The orchestrator (run.mjs) forks this once per library and sends it one
// case at a time over IPC, so the libraries take turns on the same shape within seconds.
//   node bench/worker.mjs <adapter-module> [variant]
import { add, configure, suite } from 'benny';
import { probeIndices } from './data.mjs';
import { allCases, dataFor } from './families/index.mjs';

const [adapterPath, variant] = process.argv.slice(2);
const adapter = await import(new URL(adapterPath, import.meta.url)).then((m) => m.open({ variant }));

const now = () => performance.now();

/** Calls fn until warmupMs have passed (≥ 3 calls): enough for V8 to tier wasm and glue up to TurboFan. */
async function warmUp(fn, warmupMs) {
  const start = now();
  for (let i = 0; i < 3 || now() - start < warmupMs; i++) await fn();
}

async function runCase({ caseIndex, quick, timing }) {
  const c = allCases({ quick })[caseIndex];
  const data = dataFor(c);
  const prepared = await adapter.prepare(c, data);
  try {
    // Outputs first, from the very buffers the timed calls use, so a broken run is caught.
    const outputs = await prepared.outputs();
    const at = probeIndices(c);
    const probes = Object.fromEntries(Object.entries(outputs).map(([mode, y]) => [mode, at.map((i) => y[i])]));

    const modes = Object.entries(prepared.modes);
    for (const [, fn] of modes) await warmUp(fn, timing.warmupMs);
    const summary = await suite(
      `${c.case} ${adapter.library} ${adapter.variant}`,
      ...modes.map(([mode, fn]) => add(mode, fn)),
      configure({
        cases: { minTime: timing.minTime, maxTime: timing.maxTime, minSamples: timing.minSamples, delay: 0.002 },
      }),
    );
    const results = Object.fromEntries(
      summary.results.map((r) => [
        r.name,
        // benchmark.js samples are seconds per call; the median resists this VM's hiccups.
        { ms: r.details.median * 1e3, samples: r.samples, benny: r },
      ]),
    );
    return { results, probes, info: prepared.info ?? null, simd: adapter.simd };
  } finally {
    await prepared.dispose();
    globalThis.gc?.();
  }
}

process.on('disconnect', () => process.exit(0)); // orchestrator gone: don't linger
process.on('message', async (msg) => {
  if (msg.type === 'exit') process.exit(0);
  try {
    process.send({ type: 'result', ...(await runCase(msg)) });
  } catch (err) {
    process.send({ type: 'error', message: err?.stack ?? String(err) });
  }
});
process.send({ type: 'ready', library: adapter.library, variant: adapter.variant, simd: adapter.simd });
