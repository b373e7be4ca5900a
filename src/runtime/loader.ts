// Turns any wasm source a host can offer into a compiled WebAssembly.Module.
// Cloudflare Workers forbid compiling from bytes, so a Module passes straight through; everything
// else is compiled here. Nothing runs at import time.
import { BitsieveError, describe } from './errors.js';

/** Where a build of the kernels comes from. */
export type WasmSource =
  | URL
  | string
  | Response
  | PromiseLike<Response>
  | BufferSource
  | WebAssembly.Module;

function isNodeLike(): boolean {
  const p = (globalThis as { process?: { versions?: Record<string, string> } }).process;
  return !!p?.versions?.node || !!p?.versions?.bun;
}

async function readFileUrl(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  // Hidden from bundlers: only Node-like hosts reach this line.
  const specifier = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as {
    readFile(path: URL): Promise<Uint8Array<ArrayBuffer>>;
  };
  return fs.readFile(url);
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) {
    throw new BitsieveError('E_WASM', `expected a 2xx response for ${response.url || 'the wasm file'}, received HTTP ${response.status}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  // Wrong or missing MIME type (file servers, some CDNs): compile from the bytes instead.
  return WebAssembly.compile(await response.arrayBuffer());
}

function isResponse(value: unknown): value is Response {
  return typeof Response !== 'undefined' && value instanceof Response;
}

function isThenable(value: unknown): value is PromiseLike<Response> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export async function compileSource(source: WasmSource): Promise<WebAssembly.Module> {
  try {
    if (source instanceof WebAssembly.Module) return source;
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return await WebAssembly.compile(source);
    if (isResponse(source)) return await compileResponse(source);
    if (isThenable(source)) return await compileResponse(await source);
    if (typeof source === 'string' || source instanceof URL) {
      const url = typeof source === 'string' ? new URL(source, (globalThis as { location?: { href: string } }).location?.href) : source;
      if (url.protocol === 'file:' && isNodeLike()) return await WebAssembly.compile(await readFileUrl(url));
      return await compileResponse(await fetch(url));
    }
  } catch (err) {
    if (err instanceof BitsieveError) throw err;
    throw new BitsieveError('E_WASM', `could not load the wasm module: ${(err as Error)?.message ?? err}`, { cause: err });
  }
  throw new BitsieveError(
    'E_DTYPE',
    `wasm: expected URL | string | Response | BufferSource | WebAssembly.Module, received ${describe(source)}`,
  );
}

/** True when `value` is one WasmSource rather than a per-variant map of them. */
export function isWasmSource(value: unknown): value is WasmSource {
  return (
    typeof value === 'string' ||
    value instanceof URL ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof WebAssembly.Module ||
    isResponse(value) ||
    isThenable(value)
  );
}
