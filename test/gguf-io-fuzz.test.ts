// Fuzzing readGguf (fast-check, fixed seed): valid small files, mutated by truncation, byte flips, huge
// u64/u32 values spliced over any position, inserted and deleted runs. Every outcome must be either a
// BitsieveError or a file whose tensor views lie inside the input, whose item count is bounded by the
// input size, and which the writer accepts and reproduces. No read may grow ArrayBuffer memory by more
// than 1 MiB (the inputs are < 1 KiB).
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, readGguf, writeGguf, type GgufArray, type GgufFile } from '../src/index.js';
import { randomBytes } from './helpers/bytes.js';
import { mutate, mutation } from './helpers/mutations.js';
import { expectViewInside, plain, readOrBitsieveError } from './helpers/reader-checks.js';

const SEED = 20261123;
const RUNS = 10_000;
const fuzz = suite('GGUF reader fuzz');

const BASES = [
  writeGguf({
    metadata: {
      'general.architecture': { type: 'string', value: 'llama' },
      'n.ctx': { type: 'uint32', value: 2048 },
      flag: { type: 'bool', value: true },
      scores: { type: 'array', value: { type: 'float32', items: Float32Array.of(0.5, -1, 2) } },
      tokens: { type: 'array', value: { type: 'string', items: ['<s>', 'é', ''] } },
      nested: { type: 'array', value: { type: 'array', items: [{ type: 'uint8', items: Uint8Array.of(1, 2) }, { type: 'bool', items: [false] }] } },
      big: { type: 'int64', value: -5n },
    },
    tensors: [
      { name: 'a', type: 'F32', dims: [4, 2], data: randomBytes(32, 1) },
      { name: 'q', type: 'Q8_0', dims: [32, 1], data: randomBytes(34, 2) },
      { name: 'i', type: 'I8', dims: [3], data: randomBytes(3, 3) },
      { name: 'z', type: 'F16', dims: [0], data: new Uint8Array(0) },
    ],
  }),
  writeGguf({
    metadata: { 'general.alignment': { type: 'uint32', value: 8 }, u64: { type: 'uint64', value: 7n } },
    tensors: [
      { name: 'x', type: 'Q4_K', dims: [256, 1], data: randomBytes(144, 4) },
      { name: 'y', type: 'BF16', dims: [3, 1, 1], data: randomBytes(6, 5) },
    ],
  }),
];

/** Metadata values + array items (recursively) + tensors: each takes at least one byte of the file. */
function itemCount(file: GgufFile): number {
  const arrayItems = (a: GgufArray): number =>
    a.type === 'array' ? a.items.reduce((n, inner) => n + 1 + arrayItems(inner), 0) : (a.items as ArrayLike<unknown>).length;
  let n = file.tensors.length;
  for (const v of file.metadata.values()) n += 1 + (v.type === 'array' ? arrayItems(v.value) : 0);
  return n;
}

function checkRead(bytes: Uint8Array): void {
  const file = readOrBitsieveError(() => readGguf(bytes), `readGguf of ${bytes.byteLength} bytes`);
  if (file === undefined) return;
  for (const t of file.tensors) expectViewInside(t.data, bytes, `tensor ${t.name}`);
  if (itemCount(file) > bytes.byteLength) throw new Error(`${itemCount(file)} items from ${bytes.byteLength} bytes`);

  // What the reader accepts, the writer takes back unchanged (unless it breaks a writer-only rule:
  // alignment below 8, names above 63 bytes).
  let again: GgufFile;
  try {
    again = readGguf(writeGguf(file));
  } catch (e) {
    if (e instanceof BitsieveError && e.code === 'E_RANGE') return;
    throw e;
  }
  assert.equal(plain(again.metadata), plain(file.metadata));
  assert.equal(
    again.tensors.map((t) => [t.name, t.type.id, t.dims, [...t.data]]),
    file.tensors.map((t) => [t.name, t.type.id, t.dims, [...t.data]]),
  );
}

fuzz('bases are valid', () => {
  for (const base of BASES) assert.ok(readGguf(base).tensors.length > 0);
});

fuzz(`${RUNS} mutated files: a BitsieveError or views inside the input, bounded size, writer round trip`, () => {
  fc.assert(
    fc.property(fc.constantFrom(...BASES), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, mutations) => {
      checkRead(mutate(base, mutations));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

fuzz('every truncation and every single-byte change of the bases', () => {
  for (const base of BASES) {
    for (let n = 0; n <= base.byteLength; n++) checkRead(base.subarray(0, n));
    for (let i = 0; i < base.byteLength; i++) {
      for (const value of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
        const b = base.slice();
        b[i] = value;
        checkRead(b);
      }
    }
  }
});

fuzz.run();
