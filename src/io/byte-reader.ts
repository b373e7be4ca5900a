// A little-endian cursor over untrusted bytes. Every read checks the bytes left first and throws
// E_CORRUPT naming the field, so a truncated or hostile file can never read past its end, and a count
// is checked against the bytes it needs before anything is allocated for it.
import { BitsieveError } from '../runtime/errors.js';

/** A field's name for error messages; a function when building it costs (it only runs on error). */
export type Label = string | (() => string);

export function labelText(label: Label): string {
  return typeof label === 'string' ? label : label();
}

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
  need(n: number | bigint, field: Label): void {
    if (n > this.remaining) {
      throw this.corrupt(`${labelText(field)} at byte ${this.pos}: expected ${n} bytes, the file has ${this.remaining} left`);
    }
  }

  u8(field: Label): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u32(field: Label): number {
    this.need(4, field);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  u64(field: Label): bigint {
    this.need(8, field);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /**
   * A u64 count of items that each take at least `minBytes` of what follows: throws when they cannot
   * all fit in the bytes left, so the count is safe to loop over or allocate for.
   */
  count(field: Label, minBytes: number): number {
    const at = this.pos;
    const n = this.u64Approx(field);
    if (n * minBytes > this.remaining) {
      throw this.corrupt(`${labelText(field)} at byte ${at}: ${this.exactU64(at)} items of at least ${minBytes} bytes cannot fit in the ${this.remaining} bytes left`);
    }
    return n;
  }

  /** A u64 byte length, then that many bytes as a view of the input (no copy). */
  lengthPrefixed(field: Label): Uint8Array {
    const at = this.pos;
    const n = this.u64Approx(field);
    if (n > this.remaining) {
      throw this.corrupt(`${labelText(field)} at byte ${at}: length ${this.exactU64(at)} exceeds the ${this.remaining} bytes left`);
    }
    return this.take(n, field);
  }

  /** The next `n` bytes as a view of the input (no copy). */
  take(n: number, field: Label): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A DataView over the next `n` bytes (no copy), for reading typed runs. */
  takeView(n: number, field: Label): DataView {
    const bytes = this.take(n, field);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A u64 as a number: exact below 2^53, and above that still larger than any byte count. */
  private u64Approx(field: Label): number {
    this.need(8, field);
    const value = this.view.getUint32(this.pos, true) + this.view.getUint32(this.pos + 4, true) * 2 ** 32;
    this.pos += 8;
    return value;
  }

  private exactU64(at: number): bigint {
    return this.view.getBigUint64(at, true);
  }
}
