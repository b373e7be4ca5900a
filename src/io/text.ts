// UTF-8 for file formats: decoding rejects malformed bytes (instead of inserting U+FFFD) and keeps a
// leading byte-order mark as a character, so every string reads back exactly as it was written; encoding
// rejects strings with lone surrogates, which UTF-8 cannot represent (TextEncoder would replace them).
import { BitsieveError } from '../runtime/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The string these bytes encode; E_CORRUPT (naming `what`) when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new BitsieveError('E_CORRUPT', `${what}: expected valid UTF-8, received ${bytes.byteLength} bytes that are not`);
  }
}

/** The UTF-8 bytes of a string; E_DTYPE for a non-string, E_RANGE for a string with a lone surrogate. */
export function encodeUtf8(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw new BitsieveError('E_DTYPE', `${what}: expected a string, received ${typeof text}`);
  if (LONE_SURROGATE.test(text)) throw new BitsieveError('E_RANGE', `${what}: expected well-formed Unicode, received a string with a lone surrogate`);
  return encoder.encode(text);
}
