// What every compressed-matrix format offers. Formats are plain data in JS memory: they never touch wasm.

export interface MatrixFormat {
  /** Discriminant used by `bs.linear()` to pick the operator. */
  readonly kind: string;
  /** [out, in] (rows, cols), row-major, PyTorch/ONNX `transB` convention. */
  readonly shape: readonly [number, number];
  /** Stored bits per logical weight (values plus any index or scale overhead). */
  readonly bitsPerWeight: number;
  /** Throws BitsieveError if the data is inconsistent; returns the format for chaining. */
  validate(): this;
  /** Expands to a new dense row-major Float32Array of rows·cols values. */
  toDense(): Float32Array;
  /** Serializes to a self-describing byte string (see the format's `fromBytes`). */
  toBytes(): Uint8Array;
}
