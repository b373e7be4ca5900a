// Fuzzing readSafetensors (fast-check, fixed seed): valid small files mutated at the byte level
// (truncation, flips, spliced u64/u32 values, inserted and deleted runs) and at the JSON level (numbers
// and strings of the header replaced by hostile ones, characters inserted or deleted, with the header
// length fixed up so the JSON checks are reached). Every outcome must be a BitsieveError or a file whose
// tensors are views inside the input that cover its data exactly, with sizes matching their dtype and
// shape, and that the writer reproduces; no read may grow ArrayBuffer memory by more than 1 MiB.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readSafetensors, SAFETENSORS_DTYPES, writeSafetensors, type SafetensorsFile } from '../src/index.js';
import { concat, randomBytes, u64, utf8 } from './helpers/bytes.js';
import { mutate, mutation } from './helpers/mutations.js';
import { expectViewInside, plain, readOrBitsieveError } from './helpers/reader-checks.js';

const SEED = 20261125;
const fuzz = suite('safetensors reader fuzz');

const BASES = [
  writeSafetensors(
    {
      w: { dtype: 'F32', shape: [2, 2], data: randomBytes(16, 1) },
      h: { dtype: 'F16', shape: [3], data: randomBytes(6, 2) },
      empty: { dtype: 'U8', shape: [0], data: new Uint8Array(0) },
      flag: { dtype: 'BOOL', shape: [], data: Uint8Array.of(1) },
      big: { dtype: 'I64', shape: [1], data: randomBytes(8, 3) },
      fp4: { dtype: 'F4', shape: [2], data: randomBytes(1, 4) },
    },
    { format: 'pt', é: 'x' },
  ),
  writeSafetensors({ 'model.norm': { dtype: 'BF16', shape: [1, 3], data: randomBytes(6, 5) } }),
];

function checkRead(bytes: Uint8Array): void {
  const file = readOrBitsieveError(() => readSafetensors(bytes), `readSafetensors of ${bytes.byteLength} bytes`);
  if (file === undefined) return;
  const views = [...file.tensors.values()].map((t) => {
    expectViewInside(t.data, bytes, `tensor ${t.name}`);
    const bits = t.shape.reduce((a, b) => a * BigInt(b), 1n) * BigInt(SAFETENSORS_DTYPES[t.dtype]);
    if (bits !== 8n * BigInt(t.data.byteLength)) throw new Error(`tensor ${t.name}: ${t.data.byteLength} bytes for ${t.dtype} [${t.shape}]`);
    return t.data;
  });
  // The views tile the data exactly: sorted, each starts where the last ended, the last ends the input.
  let cursor = bytes.byteOffset + file.dataOffset;
  for (const v of views.sort((a, b) => a.byteOffset - b.byteOffset || a.byteLength - b.byteLength)) {
    if (v.byteOffset !== cursor) throw new Error(`a view starts at ${v.byteOffset}, expected ${cursor}`);
    cursor += v.byteLength;
  }
  if (cursor !== bytes.byteOffset + bytes.byteLength) throw new Error(`the views end at ${cursor}, the input at ${bytes.byteOffset + bytes.byteLength}`);
  checkRoundTrip(file);
}

/** Whatever the reader accepts, the writer writes and the reader reads back the same. */
function checkRoundTrip(file: SafetensorsFile): void {
  const again = readSafetensors(writeSafetensors(file.tensors, file.metadata));
  const summary = (f: SafetensorsFile) =>
    [...f.tensors.values()].map((t) => [t.name, t.dtype, t.shape, plain(t.data)]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  assert.equal(summary(again), summary(file));
  assert.equal(plain(again.metadata), plain(file.metadata));
}

fuzz('bases are valid', () => {
  for (const base of BASES) checkRead(base);
  assert.is(readSafetensors(BASES[0]).tensors.size, 6);
});

fuzz('10000 byte-level mutations: a BitsieveError or exact, in-bounds views', () => {
  fc.assert(
    fc.property(fc.constantFrom(...BASES), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, mutations) => {
      checkRead(mutate(base, mutations));
    }),
    { seed: SEED, numRuns: 10_000 },
  );
});

// ---- JSON-level mutations ----

const TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*"/g;
const HOSTILE_NUMBERS = ['0', '1', '2', '3', '4', '6', '8', '16', '24', '-1', '1.5', '1e3', '4294967296', '9007199254740993', '18446744073709551616', '1' + '0'.repeat(400)];
const HOSTILE_STRINGS = ['"F32"', '"F4"', '"U64"', '"BOOL"', '"f32"', '""', '"__metadata__"', '"w"', '"h"', '"shape"', '"dtype"', '"data_offsets"', '1', 'null', '[]', '{}', '[0,0]', '[1,0]', '{"a":"b"}'];

type JsonEdit =
  | { kind: 'token'; which: number; value: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number };

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  fc.record({ kind: fc.constant('token' as const), which: fc.nat(), value: fc.constantFrom(...HOSTILE_NUMBERS, ...HOSTILE_STRINGS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '"a":1', ',"w":{}', '\u0000', 'é') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
);

function editHeader(base: Uint8Array, edits: JsonEdit[], keepLength: boolean): Uint8Array {
  const n = Number(new DataView(base.buffer, base.byteOffset).getBigUint64(0, true));
  let text = new TextDecoder().decode(base.subarray(8, 8 + n));
  for (const e of edits) {
    if (e.kind === 'token') {
      const tokens = [...text.matchAll(TOKEN)];
      if (tokens.length === 0) continue;
      const t = tokens[e.which % tokens.length];
      text = text.slice(0, t.index) + e.value + text.slice(t.index! + t[0].length);
    } else {
      const at = e.at % (text.length + 1);
      text = e.kind === 'insert' ? text.slice(0, at) + e.text + text.slice(at) : text.slice(0, at) + text.slice(at + e.length);
    }
  }
  const header = utf8(text);
  return concat(u64(keepLength ? n : header.byteLength), header, base.subarray(8 + n));
}

fuzz('6000 JSON-level mutations: a BitsieveError or exact, in-bounds views', () => {
  fc.assert(
    fc.property(fc.constantFrom(...BASES), fc.array(jsonEdit, { minLength: 1, maxLength: 3 }), fc.boolean(), (base, edits, keepLength) => {
      checkRead(editHeader(base, edits, keepLength));
    }),
    { seed: SEED, numRuns: 6000 },
  );
});

// ---- random headers: offsets, sizes and names drawn so that gaps, overlaps and duplicates are common ----

const randomHeader = fc.record({
  entries: fc.array(
    fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', '__metadata__'),
      dtype: fc.constantFrom<keyof typeof SAFETENSORS_DTYPES>('U8', 'F16', 'F32', 'F4', 'BOOL', 'F8_E4M3'),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      begin: fc.integer({ min: 0, max: 24 }),
      // Usually the exact size, so that the layout checks (gaps, overlaps, coverage) are reached.
      length: fc.option(fc.integer({ min: 0, max: 16 }), { freq: 3 }),
    }),
    { maxLength: 4 },
  ),
  // Usually exactly up to the last tensor's end.
  dataLength: fc.option(fc.integer({ min: 0, max: 32 }), { freq: 3 }),
  padding: fc.integer({ min: 0, max: 7 }),
});

fuzz('4000 random headers: a BitsieveError or exact, in-bounds views', () => {
  fc.assert(
    fc.property(randomHeader, ({ entries, dataLength, padding }) => {
      let last = 0;
      const fields = entries.map((e) => {
        const bits = e.shape.reduce((a, b) => a * b, 1) * SAFETENSORS_DTYPES[e.dtype];
        const end = e.begin + (e.length ?? Math.ceil(bits / 8));
        last = Math.max(last, end);
        return `${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":${JSON.stringify(e.shape)},"data_offsets":[${e.begin},${end}]}`;
      });
      const header = utf8(`{${fields.join(',')}}${' '.repeat(padding)}`);
      const n = dataLength ?? last;
      checkRead(concat(u64(header.byteLength), header, randomBytes(n, n + 1)));
    }),
    { seed: SEED, numRuns: 4000 },
  );
});

fuzz('every truncation and every single-byte change of the bases', () => {
  for (const base of BASES) {
    for (let n = 0; n <= base.byteLength; n++) checkRead(base.subarray(0, n));
    for (let i = 0; i < base.byteLength; i++) {
      for (const value of [0x00, 0x20, 0x22, 0x30, 0x7b, 0x7d, 0xff]) {
        const b = base.slice();
        b[i] = value;
        checkRead(b);
      }
    }
  }
});

fuzz.run();
