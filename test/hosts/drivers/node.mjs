// Node ≥ 20: ESM import and CJS require of the same package, plus a run with the V8 flag Node 20 needs for
// relaxed SIMD (newer Node ships it; the flag is harmless there).
import { runEntry } from '../proc.mjs';

const node = (label, entry, flags = []) => ({
  label,
  async run({ dir, timeoutMs }) {
    return runEntry(process.execPath, [...flags, entry], { cwd: dir, timeoutMs });
  },
});

export default [
  node('node (esm)', 'entries/module.mjs'),
  node('node (cjs)', 'entries/require.cjs'),
  node('node (esm, relaxed flag)', 'entries/module.mjs', ['--experimental-wasm-relaxed-simd']),
];
