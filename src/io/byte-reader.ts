// A little-endian cursor over untrusted bytes. Every read checks the bytes left first and throws
// E_CORRUPT naming the field, so a truncated or hostile file can never read past its end, and a count
// is checked against the bytes it needs before anything is allocated for it.
import { BitsieveError } from '../runtime/errors.js';

export class ByteReader {
  readonly bytes: Uint8Array;
  /** Read position, relative to `bytes`. */
  pos = 0;
  private readonly view: DataView;
  /** Prefix of every error message, e.g. 'readGguf'. */
  readonly what: string;

  constructor(bytes: Uint8Array, what: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.what = what;
  }

  get remaining(): number {
    return this.bytes.byteLength - this.pos;
  }

  corrupt(message: string): BitsieveError {
    return new BitsieveError('E_CORRUPT', `${this.what}: ${message}`);
  }

  /** Throws unless `n` more bytes exist. */
  need(n: number | bigint, field: string): void {
    if (n > this.remaining) {
      throw this.corrupt(`${field} at byte ${this.pos}: expected ${n} bytes, the file has ${this.remaining} left`);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u32(field: string): number {
    this.need(4, field);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  u64(field: string): bigint {
    this.need(8, field);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /**
   * A u64 count of items that each take at least `minBytes` of what follows: throws when they cannot
   * all fit in the bytes left, so the count is safe to loop over or allocate for.
   */
  count(field: string, minBytes: number): number {
    const at = this.pos;
    const n = this.u64(field);
    if (n * BigInt(minBytes) > BigInt(this.remaining)) {
      throw this.corrupt(`${field} at byte ${at}: ${n} items of at least ${minBytes} bytes cannot fit in the ${this.remaining} bytes left`);
    }
    return Number(n);
  }

  /** The next `n` bytes as a view of the input (no copy). */
  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A DataView over the next `n` bytes (no copy), for reading typed runs. */
  takeView(n: number, field: string): DataView {
    const bytes = this.take(n, field);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
