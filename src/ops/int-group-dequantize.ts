// Whole-matrix dequantization of group-wise integer weights through the bit-exact wasm kernel, a band of
// rows at a time (the band's codes, scales and zero points in, its f32 values out), so no resident layer
// and no whole-matrix scratch is needed. Act-order matrices go through the layer (it un-permutes columns).
import type { GroupwiseInt } from '../formats/groupwise-int.js';
import { rowCodeBytes } from '../formats/int-planes.js';
import type { Runtime } from '../runtime/runtime.js';
import { expectFloat32Array } from '../runtime/validate.js';
import { GroupwiseIntLinear } from './int-group-linear.js';

/** Weights per band: the band's f32 values (1 MiB) stay in L2 between the kernel and the copy out. */
const BAND_ELEMS = 1 << 18;

export function dequantizeGroupwise(runtime: Runtime, weights: GroupwiseInt, out?: Float32Array): Float32Array {
  weights.validate();
  const [rows, cols] = weights.shape;
  const y = out === undefined ? new Float32Array(rows * cols) : expectFloat32Array('dequantize out', out, rows * cols);
  if (weights.gIdx) {
    const layer = new GroupwiseIntLinear(runtime, weights);
    try {
      y.set(layer.dequantize());
    } finally {
      layer.dispose();
    }
    return y;
  }
  if (y.length === 0) return y;
  const groups = weights.groups;
  const codeBytes = rowCodeBytes(cols, weights.bits);
  const scaleBytes = groups * weights.scales.BYTES_PER_ELEMENT;
  const band = Math.max(1, Math.min(rows, Math.floor(BAND_ELEMS / Math.max(1, cols))));
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const heap = runtime.heap;
  const blocks: number[] = [];
  const alloc = (n: number) => {
    const p = heap.alloc(Math.max(16, n));
    blocks.push(p);
    return p;
  };
  try {
    const codes = alloc(band * codeBytes);
    const scales = alloc(band * scaleBytes);
    const zeros = weights.zeros ? alloc(band * groups) : 0;
    const book = weights.codebook ? alloc(weights.codebook.byteLength) : 0;
    const dst = alloc(band * cols * 4);
    if (weights.codebook) heap.u8(book, weights.codebook.byteLength).set(bytes(weights.codebook));
    for (let r = 0; r < rows; r += band) {
      const n = Math.min(band, rows - r);
      heap.u8(codes, n * codeBytes).set(weights.codes.subarray(r * codeBytes, (r + n) * codeBytes));
      heap.u8(scales, n * scaleBytes).set(bytes(weights.scales).subarray(r * scaleBytes, (r + n) * scaleBytes));
      if (weights.zeros) heap.u8(zeros, n * groups).set(weights.zeros.subarray(r * groups, (r + n) * groups));
      runtime.kernels.int_dequant_group(codes, scales, zeros, book, dst, n, cols, weights.groupSize, weights.bits, weights.scaleDtype === 'f16' ? 1 : 0);
      y.set(heap.f32(dst, n * cols), r * cols);
    }
  } finally {
    for (const p of blocks) heap.release(p);
  }
  return y;
}
