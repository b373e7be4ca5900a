// Deno reads the staged package.json + node_modules ("manual" node_modules mode) and resolves 'bitsieve' by
// its exports. Read access only to the staging dir; --cached-only and no --allow-net keep it off the network.
import { join } from 'node:path';
import { runEntry } from '../proc.mjs';

export default {
  label: 'deno',
  async run({ dir, repo, timeoutMs }) {
    const args = ['run', `--allow-read=${dir}`, '--no-lock', '--cached-only', '--node-modules-dir=manual', 'entries/module.mjs'];
    return runEntry(join(repo, 'node_modules/.bin/deno'), args, { cwd: dir, timeoutMs, env: { DENO_DIR: join(dir, '.deno') } });
  },
};
