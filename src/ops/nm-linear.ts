// Resident N:M linear layer. The format's row-major arrays are repacked once into column blocks (rows
// interleaved two by two inside a block, each row padded to whole 4-value spans) so both kernels stream
// the weights while one block's activations stay in L1; see assembly/sparse/nm.ts for the layout.
// Batch 1: GEMV through a per-call activation table (swizzle-gathered) or, for few rows, direct swizzles.
// Batch > 1: GEMM over 32-wide batch strips packed in per-call scratch.
import type { Nm } from '../formats/nm.js';
import type { KernelExports } from '../runtime/kernels.js';
import type { Runtime } from '../runtime/runtime.js';
import { LinearOperator, type LinearOptions } from './linear.js';

/** From this many output rows on, the GEMV builds its activation table (one gather per span and code). */
const TABLE_MIN_ROWS = 64;
/** assembly/sparse/nm.ts TABLE_BYTES: scratch for one block of the GEMV table. */
const TABLE_BYTES = 18 << 10;
/** assembly/sparse/nm.ts blockSpans(n, m): spans per column block. */
const BLOCK_SPANS: Record<string, number> = { '1:2': 64, '2:4': 16, '1:4': 64, '4:8': 16 };

/** Output rows rounded up to a multiple of 4 (assembly/sparse/nm.ts padRows). */
const padRows = (out: number) => Math.ceil(out / 4) * 4;

type Gemv = KernelExports['f32_gemv_nm24'];
type Gemm = KernelExports['f32_gemm_nm24'];

export class NmLinear extends LinearOperator {
  readonly n: number;
  readonly m: number;
  private readonly gemv: Gemv;
  private readonly gemm: Gemm;
  /** 4-value spans per (padded) row. */
  private readonly spans: number;
  /** Input columns under one span. */
  private readonly spanCols: number;
  private readonly values!: number;
  private readonly meta!: number;
  private readonly bias!: number;

  /** @internal use `bs.linear(Nm.fromDense(...))` */
  constructor(runtime: Runtime, weights: Nm, options: LinearOptions = {}) {
    super(runtime, 'NmLinear', weights.shape, options);
    const { n, m } = weights;
    this.n = n;
    this.m = m;
    const k = runtime.kernels;
    const kernels: Record<string, [Gemv, Gemm]> = {
      '1:2': [k.f32_gemv_nm12, k.f32_gemm_nm12],
      '2:4': [k.f32_gemv_nm24, k.f32_gemm_nm24],
      '1:4': [k.f32_gemv_nm14, k.f32_gemm_nm14],
      '4:8': [k.f32_gemv_nm48, k.f32_gemm_nm48],
    };
    [this.gemv, this.gemm] = kernels[`${n}:${m}`];
    this.spanCols = (4 / n) * m;
    this.spans = Math.ceil((weights.groups * n) / 4);
    const slots = padRows(this.outFeatures) * this.spans; // one code and 4 value slots each
    try {
      this.values = this.own(16 * slots);
      this.meta = this.own(slots);
      this.bias = this.own(this.outFeatures * 4);
      this.pack(weights, BLOCK_SPANS[`${n}:${m}`]);
      this.writeBias(this.bias, this.outFeatures, options.bias);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /**
   * Row-major format arrays → column blocks of `blockSpans` spans; inside a block, pairs of rows interleave
   * span by span (zero rows pad the matrix to a multiple of 4 rows). Value slots past a row's end are zero.
   */
  private pack(weights: Nm, blockSpans: number): void {
    const out = this.outFeatures;
    const rows = padRows(out);
    const spans = this.spans;
    const perRow = weights.groups * this.n;
    const values = this.heap.f32(this.values, 4 * rows * spans);
    const meta = this.heap.u8(this.meta, rows * spans);
    const src = weights.values;
    values.fill(0);
    meta.fill(0);
    for (let s0 = 0; s0 < spans; s0 += blockSpans) {
      const cnt = Math.min(blockSpans, spans - s0);
      for (let r = 0; r < out; r++) {
        let idx = rows * s0 + 2 * (r >> 1) * cnt + (r & 1); // span s0 of row r
        for (let s = s0; s < s0 + cnt; s++, idx += 2) {
          meta[idx] = weights.meta[r * spans + s];
          const from = r * perRow + 4 * s;
          const count = Math.min(4, perRow - 4 * s);
          for (let j = 0; j < count; j++) values[4 * idx + j] = src[from + j];
        }
      }
    }
  }

  protected launch(x: number, y: number, rows: number): void {
    const out = this.outFeatures;
    const k = this.inFeatures;
    const simd = this.runtime.variant !== 'scalar';
    // GEMV scratch (from TABLE_MIN_ROWS outputs on; 0 = direct swizzles): one block of the activation
    // table, then 4 partial sums per row. GEMM scratch: one 32-wide activation strip over the padded
    // columns, then 32 partial sums per row. The scalar build needs none.
    const gemvBytes = out >= TABLE_MIN_ROWS ? TABLE_BYTES + 16 * padRows(out) : 0;
    const bytes = !simd ? 0 : rows === 1 ? gemvBytes : (this.spans * this.spanCols + out) * 128;
    const scratch = bytes > 0 ? this.heap.alloc(bytes) : 0;
    try {
      if (rows === 1) this.gemv(this.values, this.meta, this.bias, x, y, scratch, out, k, this.reluFlag);
      else this.gemm(this.values, this.meta, this.bias, x, y, scratch, out, k, rows, this.reluFlag);
    } finally {
      if (scratch > 0) this.heap.release(scratch);
    }
  }
}
