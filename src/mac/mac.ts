// `bs.mac`: bit-accurate emulation of MAC units from hardware papers (sc_encoded_mac.md §8 and issue 6):
// EncodingNet's encoded MAC, in-memory-computing crossbars, approximate multipliers / adders and a
// switching-power model. Each method validates in TypeScript, then runs the kernels of assembly/mac/;
// every random choice (fault maps, variation) takes an explicit seed, so the same arguments give the same
// bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';
import { CrossbarLinear } from './crossbar.js';
import type { CrossbarOptions } from './crossbar-model.js';

export class Mac {
  /** @internal use `bs.mac` */
  constructor(protected readonly runtime: Runtime) {}

  // --- encoded MAC (EncodingNet): netlists, position weights, product tables ---

  // --- crossbar / in-memory-computing emulation ---

  /**
   * A linear layer on emulated IMC crossbars (model and defaults: src/mac/crossbar-model.ts): weights [out, in]
   * (floats, quantized symmetric to `weightBits`, or Int8Array codes), bit-sliced into `cellBits` cells on
   * `rows × cols` arrays with the chosen `mapping`, bit-serial inputs, ADC, stuck-at faults and variation.
   * Defaults: 8-bit weights, 2-bit cells, 128 × 128 arrays, 'two-column', 8-bit two's-complement inputs at
   * 1 bit per cycle, ideal ADC (step 1), no faults, no variation.
   *
   * @example
   * ```ts
   * using xbar = bs.mac.crossbar(w, [100, 784], { adcBits: 7, faults: { stuckAt1: 0.01, seed: 1 } }); xbar.forward(x);
   * ```
   */
  crossbar(weights: Float32Array | Int8Array, shape: readonly [number, number], options: CrossbarOptions = {}): CrossbarLinear {
    return new CrossbarLinear(this.runtime, weights, shape, options);
  }

  // --- approximate multipliers and adders, switching-power model ---
}
