// Bun (JavaScriptCore): a different wasm engine from V8, so feature detection really varies here.
import { join } from 'node:path';
import { run, lastJson } from '../proc.mjs';

export default {
  label: 'bun',
  async run({ dir, repo, timeoutMs }) {
    const r = await run(join(repo, 'node_modules/.bin/bun'), ['--no-install', 'entries/module.mjs'], { cwd: dir, timeoutMs });
    return { ...lastJson(r.stdout), ...r };
  },
};
