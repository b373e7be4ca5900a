// `bs.mac`: bit-accurate emulation of MAC units from hardware papers (sc_encoded_mac.md §8 and issue 6):
// EncodingNet's encoded MAC, in-memory-computing crossbars, approximate multipliers / adders and a
// switching-power model. Each method validates in TypeScript, then runs the kernels of assembly/mac/;
// every random choice (fault maps, variation) takes an explicit seed, so the same arguments give the same
// bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';

export class Mac {
  /** @internal use `bs.mac` */
  constructor(protected readonly runtime: Runtime) {}

  // --- encoded MAC (EncodingNet): netlists, position weights, product tables ---

  // --- crossbar / in-memory-computing emulation ---

  // --- approximate multipliers and adders, switching-power model ---
}
