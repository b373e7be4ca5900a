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

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'xor'; at: number; mask: number }
  | { kind: 'u64'; at: number; value: bigint }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number };

const HUGE_U64 = [0n, 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 62n, 2n ** 63n, 2n ** 64n - 1n];
const TRICKY_U32 = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 39, 40, 0x03000000, 0x7fffffff, 0xffffffff];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('xor' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('u64' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...HUGE_U64), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 4096n })) }),
  fc.record({ kind: fc.constant('u32' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...TRICKY_U32), fc.integer({ min: 0, max: 0xffffffff })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(base: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = base.slice();
  for (const m of mutations) {
    const at = bytes.byteLength === 0 ? 0 : m.at % bytes.byteLength;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (m.kind) {
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'xor':
        if (bytes.byteLength > 0) bytes[at] ^= m.mask;
        break;
      case 'u64':
        if (at + 8 <= bytes.byteLength) view.setBigUint64(at, m.value, true);
        break;
      case 'u32':
        if (at + 4 <= bytes.byteLength) view.setUint32(at, m.value, true);
        break;
      case 'insert': {
        const out = new Uint8Array(bytes.byteLength + m.bytes.byteLength);
        out.set(bytes.subarray(0, at));
        out.set(m.bytes, at);
        out.set(bytes.subarray(at), at + m.bytes.byteLength);
        bytes = out;
        break;
      }
      case 'delete':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
        break;
    }
  }
  return bytes;
}

/** Metadata values + array items (recursively) + tensors: each takes at least one byte of the file. */
function itemCount(file: GgufFile): number {
  const arrayItems = (a: GgufArray): number =>
    a.type === 'array' ? a.items.reduce((n, inner) => n + 1 + arrayItems(inner), 0) : (a.items as ArrayLike<unknown>).length;
  let n = file.tensors.length;
  for (const v of file.metadata.values()) n += 1 + (v.type === 'array' ? arrayItems(v.value) : 0);
  return n;
}

/** Typed arrays as plain arrays, so NaN equals NaN whatever its payload (JS numbers do not keep payloads). */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function checkRead(bytes: Uint8Array): void {
  const before = process.memoryUsage().arrayBuffers;
  let file: GgufFile;
  try {
    file = readGguf(bytes);
  } catch (e) {
    if (!(e instanceof BitsieveError)) throw new Error(`readGguf threw a non-BitsieveError: ${e}`);
    return;
  } finally {
    const grown = process.memoryUsage().arrayBuffers - before;
    if (grown > 2 ** 20) throw new Error(`readGguf of ${bytes.byteLength} bytes grew ArrayBuffer memory by ${grown}`);
  }
  const end = bytes.byteOffset + bytes.byteLength;
  for (const t of file.tensors) {
    if (t.data.buffer !== bytes.buffer || t.data.byteOffset < bytes.byteOffset || t.data.byteOffset + t.data.byteLength > end) {
      throw new Error(`tensor ${t.name} view [${t.data.byteOffset}, +${t.data.byteLength}) outside the input`);
    }
  }
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
  assert.equal(plain([...again.metadata]), plain([...file.metadata]));
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
