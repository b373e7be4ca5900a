// Default entry (browsers, Node, Deno, Bun): the packaged .wasm files sit next to this module in wasm/.
import { initWith, type Bitsieve } from './bitsieve.js';
import type { Variant } from './runtime/features.js';
import type { InitOptions } from './runtime/runtime.js';

export * from './exports.js';

/** URL of a packaged build, e.g. for preloading or for serving it yourself. */
export function wasmUrl(variant: Variant): URL {
  return new URL(`./wasm/bitsieve.${variant}.wasm`, import.meta.url);
}

/**
 * Loads and instantiates the best kernel build the engine supports (or `options.variant`).
 * Nothing happens at import time; call this once and keep the instance.
 */
export function init(options?: InitOptions): Promise<Bitsieve> {
  return initWith(options, wasmUrl);
}
