// One instantiated build of the kernels plus the heap that owns its memory.
import { BitsieveError, describe } from './errors.js';
import { VARIANTS, detectFeatures, variantSupported, type Features, type Variant } from './features.js';
import { Heap } from './heap.js';
import { KERNEL_NAMES, type KernelExports } from './kernels.js';
import { compileSource, isWasmSource, type WasmSource } from './loader.js';

export interface InitOptions {
  /** Force one build. Default: the best the engine validates (relaxed → simd → scalar). */
  variant?: Variant;
  /** Where the kernels come from: one source, or one per variant. Default: the packaged `.wasm` files. */
  wasm?: WasmSource | Partial<Record<Variant, WasmSource>>;
}

/** Supplies the packaged `.wasm` for a variant (entry specific: a file URL, or a Workers module import). */
export type DefaultSource = (variant: Variant) => WasmSource;

export interface Runtime {
  readonly variant: Variant;
  readonly features: Features;
  readonly kernels: KernelExports;
  readonly heap: Heap;
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles a default source once per process; user sources are compiled as given. */
function compileDefault(source: WasmSource): Promise<WebAssembly.Module> {
  if (!(typeof source === 'string' || source instanceof URL)) return compileSource(source);
  const key = source.toString();
  let pending = moduleCache.get(key);
  if (!pending) {
    pending = compileSource(source);
    moduleCache.set(key, pending);
    pending.catch(() => moduleCache.delete(key));
  }
  return pending;
}

function checkOptions(options: unknown): InitOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new BitsieveError('E_DTYPE', `init: expected an options object, received ${describe(options)}`);
  const { variant } = options as InitOptions;
  if (variant !== undefined && !VARIANTS.includes(variant)) {
    throw new BitsieveError('E_RANGE', `init: variant expected one of ${VARIANTS.join(' | ')}, received ${describe(variant)}`);
  }
  return options as InitOptions;
}

function candidates(features: Features, forced: Variant | undefined): Variant[] {
  if (forced) {
    if (!variantSupported(forced, features)) {
      throw new BitsieveError('E_UNSUPPORTED', `init: the ${forced} build needs ${forced === 'relaxed' ? 'relaxed SIMD' : '128-bit SIMD'}, which this engine does not validate`);
    }
    return [forced];
  }
  return VARIANTS.filter((v) => variantSupported(v, features));
}

async function instantiate(module: WebAssembly.Module): Promise<KernelExports> {
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, {});
  } catch (err) {
    throw new BitsieveError('E_WASM', `could not instantiate the wasm module: ${(err as Error)?.message ?? err}`, { cause: err });
  }
  const exports = instance.exports as unknown as KernelExports;
  const missing = KERNEL_NAMES.filter((name) => !(name in exports));
  if (missing.length) {
    throw new BitsieveError('E_WASM', `the wasm module is not a bitsieve build of this version: missing exports ${missing.join(', ')}`);
  }
  return exports;
}

export async function createRuntime(rawOptions: unknown, defaultSource: DefaultSource): Promise<Runtime> {
  const options = checkOptions(rawOptions);
  const features = detectFeatures();
  const order = candidates(features, options.variant);
  const { wasm } = options;

  let source: WasmSource;
  let variant: Variant;
  if (wasm === undefined) {
    variant = order[0];
    source = defaultSource(variant);
  } else if (isWasmSource(wasm)) {
    variant = order[0];
    source = wasm;
  } else if (typeof wasm === 'object' && wasm !== null) {
    const found = order.find((v) => (wasm as Partial<Record<Variant, WasmSource>>)[v] !== undefined);
    if (!found) {
      throw new BitsieveError('E_UNSUPPORTED', `init: the wasm map offers ${Object.keys(wasm).join(', ') || 'nothing'}, but this engine can run only ${order.join(', ')}`);
    }
    variant = found;
    source = (wasm as Record<Variant, WasmSource>)[found];
  } else {
    throw new BitsieveError('E_DTYPE', `init: wasm expected a source or a per-variant map, received ${describe(wasm)}`);
  }

  const module = wasm === undefined ? await compileDefault(source) : await compileSource(source);
  const kernels = await instantiate(module);
  const built = VARIANTS[2 - kernels.build_variant()];
  if (built !== variant) {
    // A single user source: accept whichever build it is, if the engine (already) validated it.
    if (options.variant || (wasm !== undefined && !isWasmSource(wasm))) {
      throw new BitsieveError('E_WASM', `init: expected the ${variant} build, received the ${built} build`);
    }
    variant = built;
  }
  return { variant, features, kernels, heap: new Heap(kernels.memory, kernels.heap_base()) };
}
