// Node ≥ 20: ESM import and CJS require of the same package, plus a run with the V8 flag Node 20 needs for
// relaxed SIMD (newer Node ships it; the flag is harmless there).
import { run, lastJson } from '../proc.mjs';

const node = (label, entry, flags = []) => ({
  label,
  async run({ dir, timeoutMs }) {
    const r = await run(process.execPath, [...flags, entry], { cwd: dir, timeoutMs });
    return { ...lastJson(r.stdout), ...r };
  },
});

export default [
  node('node (esm)', 'entries/module.mjs'),
  node('node (cjs)', 'entries/require.cjs'),
  node('node (esm, relaxed flag)', 'entries/module.mjs', ['--experimental-wasm-relaxed-simd']),
];
