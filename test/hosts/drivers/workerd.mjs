// Cloudflare workerd. The worker is bundled with esbuild under the conditions wrangler uses
// (workerd, worker, browser), with the .wasm files kept as separate files that the capnp config then
// declares as `wasm` modules: the only way wasm reaches a Worker, which cannot compile bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join, relative } from 'node:path';
import { build } from 'esbuild';
import { start, stop } from '../proc.mjs';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function bundle(dir) {
  const outdir = join(dir, 'workerd');
  mkdirSync(outdir, { recursive: true });
  const { metafile } = await build({
    entryPoints: [join(dir, 'entries/worker.mjs')],
    outfile: join(outdir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    loader: { '.wasm': 'copy' }, // keep `import m from './x.wasm'`, copy the file beside the bundle
    assetNames: '[name]',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.keys(metafile.outputs).map((file) => relative(outdir, join(process.cwd(), file)));
  return { outdir, wasm: outputs.filter((file) => file.endsWith('.wasm')) };
}

function config(port, wasm) {
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    ...wasm.map((file) => `(name = "${file}", wasm = embed "${file}")`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Outbound fetch may reach loopback only: the smoke test needs no network.
    (name = "loopback", network = (allow = ["127.0.0.1/8"], deny = [])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
);
`;
}

async function fetchWhenUp(url, child, deadline) {
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`workerd did not answer: ${err.message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export default {
  label: 'workerd',
  async run({ dir, repo, timeoutMs }) {
    const deadline = Date.now() + timeoutMs;
    const bin = join(repo, 'node_modules/.bin/workerd');
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().replace(/^workerd\s+/, '');
    const { outdir, wasm } = await bundle(dir);
    const port = await freePort();
    writeFileSync(join(outdir, 'config.capnp'), config(port, wasm.map((file) => basename(file))));
    const child = start(bin, ['serve', 'config.capnp'], { cwd: outdir });
    try {
      const response = await fetchWhenUp(`http://127.0.0.1:${port}/`, child, deadline);
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
      return { ...JSON.parse(text), version, output: child.output };
    } catch (err) {
      err.message += `\n${child.output}`;
      throw err;
    } finally {
      stop(child);
      await child.exited;
    }
  },
};
