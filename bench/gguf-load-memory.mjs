// Issue 4's load-memory target: loading a ~100 MB GGUF file must need no more than the file's bytes plus the
// resident tensors. A fresh Node process reads the file (readFileSync), parses it (readGguf: zero-copy tensor
// views) and makes every tensor a resident GgufLinear; its resident set size is sampled before and after.
// After the file's bytes are dropped, what stays is the resident tensors.
//   node bench/gguf-load-memory.mjs [megabytes]      prints the JSON result (the low-bit report runs it too)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../dist/index.js', import.meta.url).href;
const SHAPE = [4096, 4096]; // [out, in]; Q4_0: 9.4 MB per tensor

/** Writes a GGUF file of Q4_0 tensors totalling ≥ `megabytes` (seeded codes, fp16 scale 1/16 in every block). */
async function writeFile(path, megabytes) {
  const { writeGguf, ggufType } = await import(DIST);
  const info = ggufType('Q4_0');
  const bytes = (SHAPE[0] * SHAPE[1] / info.blockElems) * info.blockBytes;
  const count = Math.ceil((megabytes * 1e6) / bytes);
  let s = 0x9e3779b9;
  const tensors = Array.from({ length: count }, (_, i) => {
    const data = new Uint8Array(bytes);
    for (let j = 0; j < bytes; j++) data[j] = (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24;
    for (let b = 0; b < bytes; b += info.blockBytes) (data[b] = 0x00), (data[b + 1] = 0x2c);
    return { name: `blk.${i}.ffn.weight`, type: 'Q4_0', dims: [SHAPE[1], SHAPE[0]], data };
  });
  writeFileSync(path, writeGguf({ tensors }));
}

/** In the child: load, make every tensor resident, report the resident-set growth. */
async function measure(path) {
  const { init, readGguf, ggufTensorMatrix, GgufMatrix } = await import(DIST);
  const bs = await init();
  bs.linear(GgufMatrix.fromDense(new Float32Array(8 * 32), [8, 32], 'Q4_0')).dispose(); // warm the code paths
  global.gc?.();
  const before = process.memoryUsage().rss;
  let file = readFileSync(path);
  const fileBytes = file.byteLength;
  const layers = readGguf(new Uint8Array(file.buffer, file.byteOffset, fileBytes)).tensors.map((t) => bs.linear(ggufTensorMatrix(t)));
  global.gc?.();
  const loaded = process.memoryUsage().rss;
  file = undefined; // the layers own copies of their blocks: the file's bytes can go
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50)); // backing stores are freed after the GC, off-thread
  }
  const released = process.memoryUsage().rss;
  const resident = layers.reduce((n, l) => n + l.residentBytes, 0);
  return { fileBytes, tensors: layers.length, residentBytes: resident, rssGrowth: loaded - before, rssAfterRelease: released - before };
}

/** Writes a temporary file and measures it, each step in a fresh process (own heap and wasm memory). Synchronous. */
export function ggufLoadMemory(megabytes = 100) {
  const dir = mkdtempSync(join(tmpdir(), 'bitsieve-gguf-'));
  const run = (...args) => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--experimental-wasm-relaxed-simd', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`gguf-load-memory ${args[0]} failed: ${child.stderr}`);
    return child.stdout;
  };
  try {
    const path = join(dir, 'model.gguf');
    run('--write', path, String(megabytes));
    return JSON.parse(run('--measure', path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, path, megabytes] = process.argv.slice(2);
  if (mode === '--write') await writeFile(path, Number(megabytes));
  else if (mode === '--measure') console.log(JSON.stringify(await measure(path)));
  else console.log(JSON.stringify(ggufLoadMemory(Number(mode ?? 100))));
}
