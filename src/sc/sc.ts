// `bs.sc`: the stochastic-computing family (sc_encoded_mac.md §1–7). Each method validates in TypeScript, then
// runs the SC kernels (assembly/sc/) on bit-packed StreamBatch streams; every random choice is an explicit,
// documented parameter, so the same arguments give the same bits on every build and host.
import type { Runtime } from '../runtime/runtime.js';

export class Sc {
  /** @internal use `bs.sc` */
  constructor(protected readonly runtime: Runtime) {}

  // --- number sources, stream generation, encode / decode, Gaussian generators ---

  // --- stream arithmetic, counters, correlation, FSM activations, pooling ---

  // --- layers ---
}
