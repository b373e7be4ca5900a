// A tiny framed binary layout shared by format serializers:
//   magic (4 ASCII bytes) | version u32 | header u32[] | payload, little-endian, payload 4-aligned.
import { BitsieveError, describe } from '../runtime/errors.js';

export function writeFramed(magic: string, version: number, header: readonly number[], payload: Uint8Array): Uint8Array {
  const headBytes = 8 + 4 * header.length;
  const out = new Uint8Array(headBytes + payload.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = magic.charCodeAt(i);
  view.setUint32(4, version, true);
  header.forEach((value, i) => view.setUint32(8 + 4 * i, value, true));
  out.set(payload, headBytes);
  return out;
}

export interface Framed {
  header: number[];
  payload: Uint8Array;
}

export function readFramed(bytes: unknown, magic: string, version: number, headerWords: number): Framed {
  if (!(bytes instanceof Uint8Array)) throw new BitsieveError('E_DTYPE', `fromBytes: expected a Uint8Array, received ${describe(bytes)}`);
  const headBytes = 8 + 4 * headerWords;
  if (bytes.byteLength < headBytes) {
    throw new BitsieveError('E_CORRUPT', `fromBytes: expected at least ${headBytes} bytes of header, received ${bytes.byteLength}`);
  }
  const got = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (got !== magic) throw new BitsieveError('E_CORRUPT', `fromBytes: expected magic ${JSON.stringify(magic)}, received ${JSON.stringify(got)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = view.getUint32(4, true);
  if (v !== version) throw new BitsieveError('E_UNSUPPORTED', `fromBytes: expected ${magic} version ${version}, received ${v}`);
  const header = Array.from({ length: headerWords }, (_, i) => view.getUint32(8 + 4 * i, true));
  return { header, payload: bytes.subarray(headBytes) };
}

/** n rounded up to a multiple of 4 (payload sections stay 4-aligned). */
export function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
