// Child processes for host runs. Each child leads its own process group, so a timeout or the final cleanup
// kills exactly what we started (including grandchildren), never anything by name.
import { spawn } from 'node:child_process';

const live = new Set();

// Hosts must not reach the network: no update checks, no telemetry, no auto-install.
const QUIET_ENV = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1', BUN_DISABLE_TELEMETRY: '1', NO_COLOR: '1' };

/** Starts a long-lived child (a server); the caller must `stop()` it. */
export function start(cmd, args, { cwd, env } = {}) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...QUIET_ENV, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.output = '';
  const collect = (chunk) => { child.output += chunk; };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  child.exited = new Promise((resolve) => {
    child.on('error', (err) => { child.output += `\nspawn error: ${err.message}`; resolve(-1); });
    child.on('close', (code, signal) => { live.delete(child); resolve(code ?? signal); });
  });
  return child;
}

/** Kills a child's whole process group. */
export function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs a child to completion, killing it after `timeoutMs`. Resolves { code, stdout, output, timedOut }. */
export async function run(cmd, args, { timeoutMs, ...options }) {
  const child = start(cmd, args, options);
  let stdout = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; stop(child); }, timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, stdout, output: child.output, timedOut };
}

/** Kills everything still running (on exit or interrupt). */
export function stopAll() {
  for (const child of live) stop(child);
}

/**
 * Runs a host entry script and returns the JSON object it prints as its last stdout line, merged with the
 * process facts ({ code, timedOut, output }). Without such a line, throws with the host's own output.
 */
export async function runEntry(cmd, args, options) {
  const r = await run(cmd, args, options);
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) {
    const why = r.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : `exit ${r.code}`;
    throw new Error(`no result line (${why}):\n${r.output.trim().slice(-3000)}`);
  }
  return { ...JSON.parse(line), code: r.code, timedOut: r.timedOut, output: r.output };
}
