// A strict JSON (RFC 8259) parser for untrusted file headers. Unlike JSON.parse it rejects duplicate
// object keys (which JSON.parse silently resolves to the last one) and lone-surrogate escapes, keeps
// each number's literal text (so an integer above 2^53 is never silently rounded), returns objects as
// Maps (no prototype keys such as "__proto__"), and bounds nesting depth.
import { BitsieveError } from '../runtime/errors.js';

/** A JSON number as written; convert with `jsonSafeInteger` or Number(text). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | string | JsonNumber | Json[] | JsonObject;
export type JsonObject = Map<string, Json>;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NON_NEGATIVE_INTEGER = /^(?:0|[1-9][0-9]*)$/;

/** The value of a number literal that is a non-negative integer ≤ 2^53 − 1 written without fraction or exponent, else undefined. */
export function jsonSafeInteger(value: Json): number | undefined {
  if (!(value instanceof JsonNumber) || !NON_NEGATIVE_INTEGER.test(value.text)) return undefined;
  const n = Number(value.text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses `text` as one JSON value; E_CORRUPT (prefixed with `what`) at the first error. */
export function parseStrictJson(text: string, what: string, maxDepth = 64): Json {
  let i = 0;

  const fail = (expected: string): never => {
    const got = i < text.length ? JSON.stringify(text.slice(i, i + 12)) : 'the end';
    throw new BitsieveError('E_CORRUPT', `${what}: invalid JSON at character ${i}: expected ${expected}, received ${got}`);
  };

  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      i++;
    }
  };

  const expect = (char: string): void => {
    if (text[i] !== char) fail(JSON.stringify(char));
    i++;
  };

  const hex4 = (): number => {
    const digits = text.slice(i, i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) fail('four hex digits');
    i += 4;
    return parseInt(digits, 16);
  };

  const parseString = (): string => {
    expect('"');
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= text.length) fail('a closing quote');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(runStart, i++);
        return out;
      }
      if (c < 0x20) fail('no raw control character in a string');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(runStart, i);
      i++;
      const e = text[i++];
      if (e === 'u') {
        const unit = hex4();
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          i -= 6;
          fail('no lone low surrogate');
        }
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (text.slice(i, i + 2) !== '\\u') fail('a low surrogate escape after a high surrogate');
          i += 2;
          const low = hex4();
          if (low < 0xdc00 || low > 0xdfff) {
            i -= 6;
            fail('a low surrogate after a high surrogate');
          }
          out += String.fromCharCode(unit, low);
        } else {
          out += String.fromCharCode(unit);
        }
      } else {
        const simple = ESCAPES[e];
        if (simple === undefined) {
          i -= 2;
          fail('a valid escape');
        }
        out += simple;
      }
      runStart = i;
    }
  };

  const parseValue = (depth: number): Json => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) fail(`nesting at most ${maxDepth} deep`);
      i++;
      return c === '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === '"') return parseString();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('a JSON value');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };

  const parseObject = (depth: number): JsonObject => {
    const out: JsonObject = new Map();
    skipSpace();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipSpace();
      const keyAt = i;
      const key = parseString();
      if (out.has(key)) {
        i = keyAt;
        fail(`no duplicate key (${JSON.stringify(key)} appears twice)`);
      }
      skipSpace();
      expect(':');
      out.set(key, parseValue(depth));
      skipSpace();
      if (text[i] === '}') {
        i++;
        return out;
      }
      expect(',');
    }
  };

  const parseArray = (depth: number): Json[] => {
    const out: Json[] = [];
    skipSpace();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(depth));
      skipSpace();
      if (text[i] === ']') {
        i++;
        return out;
      }
      expect(',');
    }
  };

  const value = parseValue(0);
  skipSpace();
  if (i !== text.length) fail('the end of the JSON text');
  return value;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: readonly (readonly [string, Json])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
