// Scratch of the table-driven GEMMs (assembly/quant/bitplane.ts, pow2.ts): from 4 samples on, the SIMD
// builds build one column block's table (16 KiB) and keep 16 bytes of partial sums per output row.
import type { Runtime } from '../runtime/runtime.js';

/** assembly/quant/bitplane.ts GEMM_TABLE_BYTES = assembly/quant/pow2.ts POW2_GEMM_TABLE_BYTES. */
const TABLE_BYTES = 16 << 10;

/** Calls `kernel` with a scratch pointer (0 when the kernel needs none), released on every path. */
export function withTableScratch(runtime: Runtime, out: number, rows: number, kernel: (scratch: number) => void): void {
  if (rows < 4 || runtime.variant === 'scalar') {
    kernel(0);
    return;
  }
  const scratch = runtime.heap.alloc(TABLE_BYTES + 16 * out);
  try {
    kernel(scratch);
  } finally {
    runtime.heap.release(scratch);
  }
}
