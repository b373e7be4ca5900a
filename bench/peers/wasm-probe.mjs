// Which .wasm did a peer really instantiate? Their flags say what they intend; this records what
// happened. Both tfjs-backend-wasm and onnxruntime-web (emscripten glue) read the file with
// node:fs and pass bytes to WebAssembly.instantiate, so the byte length identifies the file.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const seen = [];

/** Call before the peer is imported or initialised. */
export function installWasmProbe() {
  const { instantiate, compile } = WebAssembly;
  const record = (src) => {
    const bytes = src?.byteLength;
    if (typeof bytes === 'number') seen.push(bytes);
  };
  WebAssembly.instantiate = function (src, ...rest) {
    record(src);
    return instantiate.call(this, src, ...rest);
  };
  WebAssembly.compile = function (src, ...rest) {
    record(src);
    return compile.call(this, src, ...rest);
  };
}

/** Names of the files in `dir` whose size matches a module instantiated since the probe went in. */
export function loadedWasmFiles(dir) {
  const bySize = new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => [statSync(join(dir, f)).size, f]),
  );
  const names = seen.map((b) => bySize.get(b) ?? `unknown module (${b} bytes)`);
  return names.length ? [...new Set(names)] : ['none seen (module not loaded from bytes)'];
}
