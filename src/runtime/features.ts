// Engine feature detection with tiny validate-only probes: no compilation, no instantiation,
// allowed under every CSP that allows wasm at all, and synchronous.

/** The three builds of the kernels, best first. */
export const VARIANTS = ['relaxed', 'simd', 'scalar'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface Features {
  /** Fixed-width 128-bit SIMD (Chrome 91, Firefox 89, Safari 16.4, Node 16.4). */
  readonly simd: boolean;
  /** Relaxed SIMD (Chrome 114, Firefox 146; Node 20 only with --experimental-wasm-relaxed-simd). */
  readonly relaxedSimd: boolean;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
// One function type () -> v128 and one function of that type.
const TYPE_AND_FUNC = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const V128_CONST_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

function probe(body: number[]): Uint8Array<ArrayBuffer> {
  const fn = [0x00, ...body, 0x0b];
  return new Uint8Array([...HEADER, ...TYPE_AND_FUNC, 0x0a, fn.length + 2, 0x01, fn.length, ...fn]);
}

/** v128.const 0 */
const SIMD_PROBE = probe(V128_CONST_ZERO);
/** f32x4.relaxed_madd(0, 0, 0) */
const RELAXED_PROBE = probe([...V128_CONST_ZERO, ...V128_CONST_ZERO, ...V128_CONST_ZERO, 0xfd, 0x85, 0x02]);

let detected: Features | undefined;

export function detectFeatures(): Features {
  if (!detected) {
    const validate = (bytes: Uint8Array<ArrayBuffer>) => {
      try {
        return WebAssembly.validate(bytes);
      } catch {
        return false;
      }
    };
    detected = Object.freeze({ simd: validate(SIMD_PROBE), relaxedSimd: validate(RELAXED_PROBE) });
  }
  return detected;
}

export function variantSupported(variant: Variant, features: Features): boolean {
  if (variant === 'relaxed') return features.relaxedSimd;
  if (variant === 'simd') return features.simd;
  return true;
}
