// Bun: the one host on JavaScriptCore rather than V8, so its own wasm feature set and engine get exercised.
import { join } from 'node:path';
import { runEntry } from '../proc.mjs';

export default {
  label: 'bun',
  async run({ dir, repo, timeoutMs }) {
    return runEntry(join(repo, 'node_modules/.bin/bun'), ['--no-install', 'entries/module.mjs'], { cwd: dir, timeoutMs });
  },
};
