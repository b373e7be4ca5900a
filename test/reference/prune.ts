// Float64 reference for a pruner's error report, from the keep-mask alone: ‖W−Ŵ‖/‖W‖ over the
// removed weights and ‖X·Wᵀ − X·Ŵᵀ‖/‖X·Wᵀ‖ with Ŵ = W masked.
export function maskErrors(w: ArrayLike<number>, mask: Uint8Array, x: ArrayLike<number>, rows: number, cols: number): { weightError: number; outputError: number } {
  let removed = 0, total = 0;
  for (let i = 0; i < w.length; i++) {
    total += w[i] * w[i];
    if (!mask[i]) removed += w[i] * w[i];
  }
  let num = 0, den = 0;
  const batch = x.length / cols;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < rows; o++) {
      let full = 0, kept = 0;
      for (let k = 0; k < cols; k++) {
        full += x[b * cols + k] * w[o * cols + k];
        if (mask[o * cols + k]) kept += x[b * cols + k] * w[o * cols + k];
      }
      num += (full - kept) ** 2;
      den += full ** 2;
    }
  }
  return { weightError: Math.sqrt(removed / total), outputError: Math.sqrt(num / den) };
}
