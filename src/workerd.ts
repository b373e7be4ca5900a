// Cloudflare Workers entry: workerd refuses to compile wasm from bytes, so the builds are imported
// as precompiled WebAssembly.Module objects by the bundler (wrangler) / workerd module rules.
import relaxed from './wasm/bitsieve.relaxed.wasm';
import scalar from './wasm/bitsieve.scalar.wasm';
import simd from './wasm/bitsieve.simd.wasm';
import { initWith, type Bitsieve } from './bitsieve.js';
import type { Variant } from './runtime/features.js';
import type { InitOptions } from './runtime/runtime.js';

export * from './exports.js';

// ESM imports give the Module; a CommonJS require of a .wasm may give { default: Module }.
const asModule = (m: unknown) => (m instanceof WebAssembly.Module ? m : (m as { default: WebAssembly.Module }).default);
const modules: Record<Variant, WebAssembly.Module> = { relaxed: asModule(relaxed), simd: asModule(simd), scalar: asModule(scalar) };

/** Instantiates the best precompiled build the isolate supports (or `options.variant`). */
export function init(options?: InitOptions): Promise<Bitsieve> {
  return initWith(options, (variant) => modules[variant]);
}
