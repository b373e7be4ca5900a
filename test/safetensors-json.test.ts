// The strict JSON parser behind readSafetensors, against JSON.parse as the reference (fast-check, fixed
// seed), plus what it rejects on purpose: duplicate keys, lone surrogate escapes, deep nesting.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonSafeInteger, JsonNumber, parseStrictJson, type Json } from '../src/io/strict-json.js';
import { BitsieveError } from '../src/index.js';
import { codeOf } from './helpers/errors.js';

const SEED = 20261124;
const json = suite('strict JSON');

/** What JSON.parse would return for the same text. */
function toPlain(v: Json): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toPlain(x)]));
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof JsonNumber) return Number(v.text);
  return v;
}

const parse = (text: string) => parseStrictJson(text, 'test');

json('valid JSON (any value, any indentation) parses to what JSON.parse returns', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 2, '\t', ' '), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      assert.equal(toPlain(parse(text)), JSON.parse(text));
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

const ALPHABET = '{}[]":,0123456789-+.eEtrufalsn\\ u\t\n'.split('');

json('edited JSON: never accepted where JSON.parse refuses; when accepted, the same value', () => {
  const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'replace'), char: fc.constantFrom(...ALPHABET) });
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (value, edits) => {
      let text = JSON.stringify(value);
      for (const { at, kind, char } of edits) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + (kind === 'delete' ? '' : char) + text.slice(kind === 'insert' ? i : i + 1);
      }
      let reference: unknown;
      let referenceFailed = false;
      try {
        reference = JSON.parse(text);
      } catch {
        referenceFailed = true;
      }
      let ours: Json;
      try {
        ours = parse(text);
      } catch (e) {
        assert.instance(e, BitsieveError);
        assert.is((e as BitsieveError).code, 'E_CORRUPT');
        return;
      }
      assert.not.ok(referenceFailed, `accepted ${JSON.stringify(text)}, which JSON.parse refuses`);
      assert.equal(toPlain(ours), reference);
    }),
    { seed: SEED, numRuns: 5000 },
  );
});

json('refused on purpose: duplicate keys, lone surrogate escapes, nesting past the limit, raw control characters', () => {
  assert.is(codeOf(() => parse('{"a":1,"a":2}')), 'E_CORRUPT');
  assert.is(codeOf(() => parse('{"x":{"a":1,"b":{},"a":2}}')), 'E_CORRUPT');
  assert.is(codeOf(() => parse('{"a":1,"\\u0061":2}')), 'E_CORRUPT'); // the same key, escaped
  assert.is(codeOf(() => parse('"\\ud800"')), 'E_CORRUPT');
  assert.is(codeOf(() => parse('"\\udc00"')), 'E_CORRUPT');
  assert.is(codeOf(() => parse('"\\ud800\\u0041"')), 'E_CORRUPT');
  assert.is(parse('"\\ud83d\\ude00"'), '😀');
  assert.is(codeOf(() => parse('"a\u0001"')), 'E_CORRUPT');
  assert.is(codeOf(() => parse('['.repeat(64) + ']'.repeat(64))), 'no error');
  assert.is(codeOf(() => parse('['.repeat(65) + ']'.repeat(65))), 'E_CORRUPT');
  assert.is(codeOf(() => parse('['.repeat(1_000_000))), 'E_CORRUPT');
  for (const bad of ['01', '1.', '.5', '+1', '1e', '-', '', ' ', 'tru', 'nul', '[1,]', '{"a"}', '{"a":1,}', '"\\x"', '1 2']) {
    assert.is(codeOf(() => parse(bad)), 'E_CORRUPT', JSON.stringify(bad));
  }
});

json('objects are Maps (no prototype keys); numbers keep their literal text', () => {
  const obj = parse('{"__proto__":{"polluted":true},"constructor":1}') as Map<string, Json>;
  assert.instance(obj, Map);
  assert.equal([...obj.keys()], ['__proto__', 'constructor']);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  const n = parse('12345678901234567890') as JsonNumber;
  assert.is(n.text, '12345678901234567890');
  assert.is(jsonSafeInteger(n), undefined);
  assert.is(jsonSafeInteger(parse('9007199254740991')), 2 ** 53 - 1);
  assert.is(jsonSafeInteger(parse('9007199254740992')), undefined);
  assert.is(jsonSafeInteger(parse('0')), 0);
  for (const text of ['1.0', '1e3', '-0', '-1', '"1"', 'null']) assert.is(jsonSafeInteger(parse(text)), undefined, text);
});

json.run();
