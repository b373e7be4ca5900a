// Stages the package as a consumer sees it: `npm pack` (so only the published "files" ship), extracted into
// <tmp>/node_modules/bitsieve, beside copies of the suite and the host entries. Hosts then resolve 'bitsieve'
// through its package.json "exports", exactly as an installed dependency.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function stage(repo) {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/workerd.js']) {
    if (!existsSync(join(repo, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bitsieve-hosts-'));
  // --ignore-scripts: pack what was built; never rebuild (or touch the network) from here.
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const pkg = join(dir, 'node_modules', 'bitsieve');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, filename), '-C', pkg, '--strip-components=1']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bitsieve-host-smoke', private: true, type: 'module' }));
  cpSync(join(repo, 'test/hosts/smoke.mjs'), join(dir, 'smoke.mjs'));
  cpSync(join(repo, 'test/hosts/entries'), join(dir, 'entries'), { recursive: true });
  return dir;
}
