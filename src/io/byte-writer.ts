// A growable little-endian byte sink for file headers (tensor data is copied once, by the caller, into
// the final buffer).

const encoder = new TextEncoder();

export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  /** Bytes written so far. */
  length = 0;

  /** Reserves `n` bytes and returns the position where they start. */
  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.byteLength) {
      const grown = new Uint8Array(Math.max(2 * this.buf.byteLength, at + n));
      grown.set(this.buf.subarray(0, at));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += n;
    return at;
  }

  u8(value: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, value);
  }

  u32(value: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, value, true);
  }

  u64(value: bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, value, true);
  }

  bytes(bytes: Uint8Array): void {
    const at = this.reserve(bytes.byteLength);
    this.buf.set(bytes, at);
  }

  /** A u64 byte length, then the UTF-8 bytes of a well-formed string (encoded in place, no temporary). */
  u64Utf8(text: string): void {
    const at = this.reserve(8 + 3 * text.length); // UTF-8 takes at most 3 bytes per UTF-16 unit
    const { written } = encoder.encodeInto(text, this.buf.subarray(at + 8));
    this.view.setBigUint64(at, BigInt(written), true);
    this.length = at + 8 + written;
  }

  /** `n` zero bytes. */
  zeros(n: number): void {
    const at = this.reserve(n);
    this.buf.fill(0, at, this.length);
  }

  /** Writes `size` bytes through a DataView setter: `write(view, at)`. */
  with(size: number, write: (view: DataView, at: number) => void): void {
    const at = this.reserve(size); // may replace the view
    write(this.view, at);
  }

  /** The bytes written (a view of the internal buffer; the writer must not be used afterwards). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
