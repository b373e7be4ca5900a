// UTF-8 for file formats: decoding rejects malformed bytes (instead of inserting U+FFFD) and keeps a
// leading byte-order mark as a character, so every string reads back exactly as it was written; encoding
// rejects strings with lone surrogates, which UTF-8 cannot represent (TextEncoder would replace them).
import { BitsieveError } from '../runtime/errors.js';
import { labelText, type Label } from './byte-reader.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The string these bytes encode; E_CORRUPT (naming `what`) when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, what: Label): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new BitsieveError('E_CORRUPT', `${labelText(what)}: expected valid UTF-8, received ${bytes.byteLength} bytes that are not`);
  }
}

/** `text` if it is a string UTF-8 can encode; E_DTYPE for a non-string, E_RANGE for a lone surrogate. */
export function expectWellFormed(text: unknown, what: Label): string {
  if (typeof text !== 'string') throw new BitsieveError('E_DTYPE', `${labelText(what)}: expected a string, received ${typeof text}`);
  if (LONE_SURROGATE.test(text)) throw new BitsieveError('E_RANGE', `${labelText(what)}: expected well-formed Unicode, received a string with a lone surrogate`);
  return text;
}

/** The UTF-8 bytes of a string (checked as by expectWellFormed). */
export function encodeUtf8(text: unknown, what: Label): Uint8Array {
  return encoder.encode(expectWellFormed(text, what));
}
