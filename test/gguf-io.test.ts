// GGUF container: a hand-assembled golden file (bytes written from the spec, lowbit.md §1.22), a
// fixture with every ggml type and every metadata value type cross-checked against @huggingface/gguf,
// zero-copy views (including a 100 MiB file), hostile files built by hand, and writer validation.
import { gguf as hfGguf } from '@huggingface/gguf';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GgufMatrix } from '../src/formats/gguf/matrix.js';
import { GGUF_TYPES, ggufRowBytes } from '../src/formats/gguf/types.js';
import {
  BitsieveError,
  GGUF_VALUE_TYPES,
  ggufMatrixTensor,
  ggufTensorMatrix,
  readGguf,
  writeGguf,
  type GgufArray,
  type GgufTensorInput,
  type GgufValue,
  type GgufValueInput,
} from '../src/index.js';
import { concat, f32, fromHex, gstr, hex, randomBytes, u32, u64, u8, utf8 } from './helpers/bytes.js';
import { codeOf } from './helpers/errors.js';

const io = suite('GGUF io');

// ---- golden file ----

// Written by hand from the GGUF layout: v3, one string key, one F32 tensor ne = [2, 1] holding
// 1.0 and -2.0, default alignment 32.
const GOLDEN = fromHex(`
  47 47 55 46                                       # "GGUF"
  03 00 00 00                                       # version 3
  01 00 00 00 00 00 00 00                           # tensor count 1
  01 00 00 00 00 00 00 00                           # metadata count 1
  14 00 00 00 00 00 00 00                           # key length 20
  67 65 6e 65 72 61 6c 2e 61 72 63 68 69 74 65 63 74 75 72 65   # "general.architecture"
  08 00 00 00                                       # value type 8 = string
  05 00 00 00 00 00 00 00 6c 6c 61 6d 61            # "llama"
  01 00 00 00 00 00 00 00 77                        # tensor name "w"
  02 00 00 00                                       # n_dims 2
  02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00   # ne = [2, 1]
  00 00 00 00                                       # type 0 = F32
  00 00 00 00 00 00 00 00                           # offset 0
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # header is 110 bytes: pad to 128
  00 00 80 3f 00 00 00 c0                           # 1.0f, -2.0f
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # pad the data to 32
`);

io('golden file: the writer produces it byte for byte, the reader reads it back', () => {
  const written = writeGguf({
    metadata: { 'general.architecture': { type: 'string', value: 'llama' } },
    tensors: [{ name: 'w', type: 'F32', dims: [2, 1], data: concat(f32(1), f32(-2)) }],
  });
  assert.is(hex(written), hex(GOLDEN));

  const file = readGguf(GOLDEN);
  assert.is(file.version, 3);
  assert.is(file.alignment, 32);
  assert.is(file.dataOffset, 128);
  assert.equal([...file.metadata], [['general.architecture', { type: 'string', value: 'llama' }]]);
  assert.is(file.tensors.length, 1);
  const [t] = file.tensors;
  assert.is(t.name, 'w');
  assert.is(t.type.name, 'F32');
  assert.equal(t.dims, [2, 1]);
  assert.is(t.offset, 0);
  assert.equal([...new Float32Array(t.data.slice().buffer)], [1, -2]);
});

io('version 2 files read like version 3', () => {
  const v2 = GOLDEN.slice();
  v2[4] = 2;
  const file = readGguf(v2);
  assert.is(file.version, 2);
  assert.is(file.tensors[0].name, 'w');
});

// ---- a fixture with every ggml type and every value type ----

const SCALARS: [string, GgufValue][] = [
  ['scalar.uint8', { type: 'uint8', value: 255 }],
  ['scalar.int8', { type: 'int8', value: -128 }],
  ['scalar.uint16', { type: 'uint16', value: 65535 }],
  ['scalar.int16', { type: 'int16', value: -32768 }],
  ['scalar.uint32', { type: 'uint32', value: 4294967295 }],
  ['scalar.int32', { type: 'int32', value: -2147483648 }],
  ['scalar.float32', { type: 'float32', value: -1.5 }],
  ['scalar.bool', { type: 'bool', value: true }],
  ['scalar.string', { type: 'string', value: 'héllo 🌍' }],
  ['scalar.uint64', { type: 'uint64', value: 2n ** 64n - 1n }],
  ['scalar.int64', { type: 'int64', value: -(2n ** 63n) }],
  ['scalar.float64', { type: 'float64', value: -0.1 }],
];

const ARRAYS: [string, GgufArray][] = [
  ['array.uint8', { type: 'uint8', items: Uint8Array.of(0, 1, 255) }],
  ['array.int8', { type: 'int8', items: Int8Array.of(-128, 0, 127) }],
  ['array.uint16', { type: 'uint16', items: Uint16Array.of(0, 65535) }],
  ['array.int16', { type: 'int16', items: Int16Array.of(-32768, 32767) }],
  ['array.uint32', { type: 'uint32', items: Uint32Array.of(0, 4294967295) }],
  ['array.int32', { type: 'int32', items: Int32Array.of(-2147483648, 2147483647) }],
  ['array.float32', { type: 'float32', items: Float32Array.of(0.25, -3, Infinity) }],
  ['array.bool', { type: 'bool', items: [true, false, true] }],
  ['array.string', { type: 'string', items: ['', 'a', '名前', '🌍', '\u{feff}bom'] }],
  ['array.uint64', { type: 'uint64', items: BigUint64Array.of(0n, 2n ** 64n - 1n) }],
  ['array.int64', { type: 'int64', items: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n) }],
  ['array.float64', { type: 'float64', items: Float64Array.of(Math.PI, -0.5) }],
  ['array.empty', { type: 'uint32', items: new Uint32Array(0) }],
  [
    'array.nested',
    {
      type: 'array',
      items: [
        { type: 'int32', items: Int32Array.of(1, -2) },
        { type: 'string', items: ['x'] },
        { type: 'array', items: [{ type: 'float64', items: Float64Array.of(0.5) }, { type: 'bool', items: [] }] },
      ],
    },
  ],
];

const UTF8_KEYS: [string, GgufValue][] = [
  ['général.名前', { type: 'string', value: 'clé' }],
  ['🔑.emoji', { type: 'uint8', value: 7 }],
];

/** One tensor per ggml type at ne = [256, 3] and [512, 1], random block bytes, plus tensors of 1, 3 and 4 dims. */
function fixtureTensors(): GgufTensorInput[] {
  const tensors: GgufTensorInput[] = [];
  for (const type of GGUF_TYPES.values()) {
    for (const dims of [
      [256, 3],
      [512, 1],
    ]) {
      const data = randomBytes(ggufRowBytes(type, dims[0]) * dims[1], 1000 * type.id + dims[0]);
      tensors.push({ name: `${type.name.toLowerCase()}.${dims.join('x')}`, type: type.id, dims, data });
    }
  }
  tensors.push({ name: 'norm.1d', type: 'F32', dims: [8], data: randomBytes(32, 7) });
  tensors.push({ name: 'conv.3d', type: 'F16', dims: [2, 3, 4], data: randomBytes(48, 8) });
  tensors.push({ name: 'idx.4d', type: 'I8', dims: [1, 2, 3, 4], data: randomBytes(24, 9) });
  tensors.push({ name: 'empty', type: 'Q4_K', dims: [256, 0], data: new Uint8Array(0) });
  return tensors;
}

const FIXTURE_TENSORS = fixtureTensors();
const FIXTURE_METADATA = new Map<string, GgufValueInput>([
  ['general.architecture', { type: 'string', value: 'llama' }],
  ...SCALARS,
  ...ARRAYS.map(([key, value]): [string, GgufValue] => [key, { type: 'array', value }]),
  ...UTF8_KEYS,
]);
const FIXTURE = writeGguf({ metadata: FIXTURE_METADATA, tensors: FIXTURE_TENSORS, alignment: 64 });

io('fixture: every ggml type and every value type read back exactly; offsets aligned to 64', () => {
  const file = readGguf(FIXTURE);
  assert.is(file.alignment, 64);
  assert.is(file.dataOffset % 64, 0);
  // The non-default alignment is stored as general.alignment (uint32), appended after the given keys.
  assert.equal([...file.metadata.keys()], [...FIXTURE_METADATA.keys(), 'general.alignment']);
  assert.equal(file.metadata.get('general.alignment'), { type: 'uint32', value: 64 });
  for (const [key, value] of FIXTURE_METADATA) assert.equal(file.metadata.get(key), value, key);
  assert.ok(Object.is((file.metadata.get('scalar.float64') as { value: number }).value, -0.1));

  assert.is(file.tensors.length, FIXTURE_TENSORS.length);
  FIXTURE_TENSORS.forEach((want, i) => {
    const got = file.tensors[i];
    assert.is(got.name, want.name);
    assert.is(got.type.id, typeof want.type === 'number' ? want.type : GGUF_TYPE_BY_NAME.get(want.type as string));
    assert.equal(got.dims, want.dims);
    assert.is(got.offset % 64, 0, `${want.name} offset ${got.offset}`);
    assert.is(hex(got.data), hex(want.data), want.name);
  });
});

const GGUF_TYPE_BY_NAME = new Map([...GGUF_TYPES.values()].map((t) => [t.name as string, t.id]));

io('fixture: writeGguf(readGguf(file)) reproduces the file byte for byte', () => {
  const again = writeGguf(readGguf(FIXTURE));
  assert.is(again.byteLength, FIXTURE.byteLength);
  assert.ok(again.every((b, i) => b === FIXTURE[i]));
});

/** A fetch that serves `bytes` over HTTP range requests, as @huggingface/gguf asks for them. */
function serve(bytes: Uint8Array): typeof fetch {
  return (async (_url: unknown, init?: { headers?: Record<string, string> }) => {
    const m = /bytes=(\d+)-(\d+)/.exec(init?.headers?.Range ?? '');
    if (!m) throw new Error('expected a Range header');
    const start = Math.min(Number(m[1]), bytes.byteLength);
    const end = Math.min(Number(m[2]) + 1, bytes.byteLength);
    return new Response(bytes.slice(start, end), {
      status: 206,
      headers: { 'content-range': `bytes ${start}-${end - 1}/${bytes.byteLength}` },
    });
  }) as typeof fetch;
}

/** A metadata value as @huggingface/gguf returns it: plain JS arrays, nested for arrays of arrays. */
function plainValue(v: GgufValue): unknown {
  return v.type === 'array' ? plainArray(v.value) : v.value;
}

function plainArray(a: GgufArray): unknown[] {
  return a.type === 'array' ? a.items.map(plainArray) : Array.from(a.items as ArrayLike<unknown>);
}

/**
 * @huggingface/gguf decodes strings with TextDecoder's default, which drops a leading U+FEFF; bitsieve
 * keeps it (so strings round-trip). The comparison strips it on our side.
 */
function withoutBom(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^\uFEFF/, '');
  return Array.isArray(value) ? value.map(withoutBom) : value;
}

io('fixture: @huggingface/gguf 0.4.6 agrees on header, metadata (types and values), tensor infos, data offset', async () => {
  const mine = readGguf(FIXTURE);
  const theirs = await hfGguf('https://fixture.invalid/all-types.gguf', { fetch: serve(FIXTURE), typedMetadata: true });
  assert.ok(theirs.littleEndian);
  assert.is(theirs.metadata.version, mine.version);
  assert.is(theirs.metadata.tensor_count, BigInt(mine.tensors.length));
  assert.is(theirs.metadata.kv_count, BigInt(mine.metadata.size));
  assert.is(theirs.tensorDataOffset, BigInt(mine.dataOffset));

  for (const [key, value] of mine.metadata) {
    const typed = theirs.typedMetadata[key];
    assert.ok(typed, `@huggingface/gguf has no key ${key}`);
    assert.is(typed.type as number, GGUF_VALUE_TYPES.indexOf(value.type), `type of ${key}`);
    if (value.type === 'array') assert.is(typed.subType as number, GGUF_VALUE_TYPES.indexOf(value.value.type), `element type of ${key}`);
    assert.equal(typed.value, withoutBom(plainValue(value)), `value of ${key}`);
  }

  assert.is(theirs.tensorInfos.length, mine.tensors.length);
  mine.tensors.forEach((t, i) => {
    const h = theirs.tensorInfos[i];
    assert.is(h.name, t.name);
    assert.is(h.n_dims, t.dims.length);
    assert.equal(h.shape, t.dims.map(BigInt));
    assert.is(h.dtype as number, t.type.id);
    assert.is(h.offset, BigInt(t.offset));
  });
});

// ---- zero copy ----

io('tensor data and matrices are views of the input buffer, at dataOffset + offset, also for a subarray input', () => {
  const host = new Uint8Array(FIXTURE.byteLength + 3);
  host.set(FIXTURE, 3);
  const input = host.subarray(3);
  const file = readGguf(input);
  for (const t of file.tensors) {
    assert.ok(t.data.buffer === host.buffer, `${t.name} copied`);
    assert.is(t.data.byteOffset, 3 + file.dataOffset + t.offset);
  }
  const q4 = file.tensors.find((t) => t.name === 'q4_0.256x3')!;
  const m = ggufTensorMatrix(q4);
  assert.ok(m.data.buffer === host.buffer);
  host[3 + file.dataOffset + q4.offset] ^= 0xff; // a change to the file shows through the view
  assert.is(m.data[0], FIXTURE[file.dataOffset + q4.offset] ^ 0xff);
});

io('reading a 100 MiB file allocates no tensor memory (ArrayBuffer bytes grow by < 1 MiB)', () => {
  const data = new Uint8Array(4096 * 6400 * 4);
  data[0] = 1;
  data[data.byteLength - 1] = 2;
  const file = writeGguf({ tensors: [{ name: 'big', type: 'F32', dims: [4096, 6400], data }] });
  assert.ok(file.byteLength > 100 * 2 ** 20);
  const before = process.memoryUsage().arrayBuffers;
  const parsed = readGguf(file);
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 2 ** 20, `readGguf grew ArrayBuffer memory by ${grown} bytes`);
  const t = parsed.tensors[0];
  assert.ok(t.data.buffer === file.buffer);
  assert.is(t.data.byteLength, data.byteLength);
  assert.is(t.data[0], 1);
  assert.is(t.data[t.data.byteLength - 1], 2);
});

// ---- GgufMatrix bridge ----

io('ggufTensorMatrix / ggufMatrixTensor: [out, in] ⇄ ne = [in, out], same bytes; E_SHAPE for other ranks', () => {
  const data = randomBytes(3 * 2 * 18, 42);
  const m = new GgufMatrix('Q4_0', [3, 64], data);
  const file = readGguf(writeGguf({ tensors: [ggufMatrixTensor('w', m)] }));
  assert.equal(file.tensors[0].dims, [64, 3]);
  const back = ggufTensorMatrix(file.tensors[0]);
  assert.equal(back.shape, [3, 64]);
  assert.is(back.type.name, 'Q4_0');
  assert.is(hex(back.data), hex(data));

  const ranks = readGguf(FIXTURE).tensors.filter((t) => t.dims.length !== 2);
  assert.is(ranks.length, 3);
  for (const t of ranks) assert.is(codeOf(() => ggufTensorMatrix(t)), 'E_SHAPE', t.name);
});

// ---- hostile files, built byte by byte ----

function kv(key: string | Uint8Array, type: number, body: Uint8Array): Uint8Array {
  return concat(gstr(key), u32(type), body);
}

function tensorInfo(name: string, dims: (number | bigint)[], type: number, offset: number | bigint): Uint8Array {
  return concat(gstr(name), u32(dims.length), ...dims.map(u64), u32(type), u64(offset));
}

interface Parts {
  version?: number;
  kvs?: Uint8Array[];
  tensors?: Uint8Array[];
  kvCount?: number | bigint;
  tensorCount?: number | bigint;
  /** Data section (placed at the next multiple of `alignment`). */
  data?: Uint8Array;
  alignment?: number;
}

function ggufFile(p: Parts): Uint8Array {
  const kvs = p.kvs ?? [];
  const tensors = p.tensors ?? [];
  const head = concat(utf8('GGUF'), u32(p.version ?? 3), u64(p.tensorCount ?? tensors.length), u64(p.kvCount ?? kvs.length), ...kvs, ...tensors);
  if (p.data === undefined) return head;
  const a = p.alignment ?? 32;
  return concat(head, new Uint8Array((a - (head.byteLength % a)) % a), p.data);
}

/** The error code of reading `bytes`, checking that ArrayBuffer memory grew by less than 1 MiB meanwhile. */
function readCode(bytes: Uint8Array): string {
  const before = process.memoryUsage().arrayBuffers;
  const code = codeOf(() => readGguf(bytes));
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 2 ** 20, `reading ${bytes.byteLength} bytes grew ArrayBuffer memory by ${grown}`);
  return code;
}

const F32 = 0;
const Q4_0 = 2;

io('hostile counts and lengths: E_CORRUPT before any allocation', () => {
  assert.is(readCode(ggufFile({ tensorCount: 2n ** 63n })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvCount: 2n ** 64n - 1n })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvCount: 1, kvs: [concat(u64(2n ** 63n), utf8('key'))] })), 'E_CORRUPT'); // key length 2^63
  assert.is(readCode(ggufFile({ kvs: [kv('k', 8, concat(u64(4), utf8('abc')))] })), 'E_CORRUPT'); // string 1 byte past EOF
  assert.is(readCode(ggufFile({ kvs: [kv('k', 9, concat(u32(10), u64(2n ** 27n), u64(1)))] })), 'E_CORRUPT'); // 2^27 uint64 in 8 bytes
  assert.is(readCode(ggufFile({ kvs: [kv('k', 9, concat(u32(0), u64(2n ** 62n)))] })), 'E_CORRUPT'); // 2^62 uint8
  assert.is(readCode(ggufFile({ kvs: [kv('k', 9, concat(u32(8), u64(2n ** 40n)))] })), 'E_CORRUPT'); // 2^40 strings
  assert.is(readCode(ggufFile({ kvs: [kv('k', 9, concat(u32(9), u64(2n ** 40n)))] })), 'E_CORRUPT'); // 2^40 arrays
  // Truncation anywhere in the golden file.
  for (let n = 0; n < 128; n++) assert.is(readCode(GOLDEN.subarray(0, n)), 'E_CORRUPT', `truncated to ${n}`);
  // The header is intact up to 128; the tensor's bytes are not.
  for (let n = 128; n < 136; n++) assert.is(readCode(GOLDEN.subarray(0, n)), 'E_CORRUPT', `truncated to ${n}`);
  assert.is(readCode(GOLDEN.subarray(0, 136)), 'no error'); // the data's trailing padding is optional
});

io('array nesting: 8 levels read, 9 levels and a 100,000-level bomb are E_CORRUPT (no stack overflow)', () => {
  const nested = (levels: number): Uint8Array => {
    let body = concat(u32(0), u64(0)); // innermost: an empty uint8 array
    for (let i = 1; i < levels; i++) body = concat(u32(9), u64(1), body);
    return ggufFile({ kvs: [kv('deep', 9, body)] });
  };
  let depth = 0;
  let v: GgufArray = (readGguf(nested(8)).metadata.get('deep') as { value: GgufArray }).value;
  for (; v.type === 'array'; depth++) v = v.items[0];
  assert.is(depth + 1, 8);
  assert.is(readCode(nested(9)), 'E_CORRUPT');
  const bomb = new Uint8Array(100_000 * 12);
  const view = new DataView(bomb.buffer);
  for (let i = 0; i < 100_000; i++) {
    view.setUint32(12 * i, 9, true);
    view.setBigUint64(12 * i + 4, 1n, true);
  }
  assert.is(readCode(ggufFile({ kvs: [kv('bomb', 9, bomb)] })), 'E_CORRUPT');
});

io('malformed values: bool 2, invalid UTF-8, unknown value type, duplicate keys → E_CORRUPT; a BOM is kept', () => {
  assert.is(readCode(ggufFile({ kvs: [kv('b', 7, u8(2))] })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvs: [kv('b', 9, concat(u32(7), u64(2), u8(1), u8(3)))] })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvs: [kv(Uint8Array.of(0x61, 0xff), 4, u32(1))] })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvs: [kv('s', 8, gstr(Uint8Array.of(0xc0, 0x80)))] })), 'E_CORRUPT'); // overlong NUL
  assert.is(readCode(ggufFile({ kvs: [kv('s', 8, gstr(Uint8Array.of(0xed, 0xa0, 0x80)))] })), 'E_CORRUPT'); // a surrogate
  assert.is(readCode(ggufFile({ kvs: [kv('x', 13, u8(0))] })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvs: [kv('x', 9, concat(u32(13), u64(0)))] })), 'E_CORRUPT');
  assert.is(readCode(ggufFile({ kvs: [kv('k', 4, u32(1)), kv('k', 4, u32(2))] })), 'E_CORRUPT');
  const bom = readGguf(ggufFile({ kvs: [kv('\u{feff}k', 8, gstr('\u{feff}v'))] }));
  assert.equal([...bom.metadata], [['\u{feff}k', { type: 'string', value: '\u{feff}v' }]]);
});

io('malformed tensor infos: dims, types, offsets, overlaps, names', () => {
  const f32x4 = new Uint8Array(16);
  const one = (dims: (number | bigint)[], type = F32, offset: number | bigint = 0, data = f32x4) =>
    readCode(ggufFile({ tensors: [tensorInfo('t', dims, type, offset)], data }));
  assert.is(one([4]), 'no error');
  assert.is(one([4, 1, 1, 1, 1]), 'E_CORRUPT'); // 5 dims
  assert.is(one([2n ** 63n]), 'E_CORRUPT'); // negative as int64
  assert.is(one([2n ** 53n + 1n]), 'E_UNSUPPORTED');
  assert.is(one([2n ** 40n, 2n ** 40n]), 'E_CORRUPT'); // 2^80 elements
  assert.is(one([2n ** 52n, 2n ** 52n, 0]), 'no error'); // empty: the product is 0
  assert.is(one([8]), 'E_CORRUPT'); // 32 bytes, the file has 16
  assert.is(one([16], Q4_0), 'E_CORRUPT'); // ne[0] not a multiple of 32
  assert.is(one([32], Q4_0, 0, new Uint8Array(18)), 'no error');
  assert.is(one([32], 4, 0, new Uint8Array(20)), 'E_UNSUPPORTED'); // Q4_2, removed from ggml
  assert.is(one([32], 100), 'E_UNSUPPORTED');
  assert.is(one([4], F32, 16), 'E_CORRUPT'); // not a multiple of 32
  assert.is(one([4], F32, 32), 'E_CORRUPT'); // beyond the end
  assert.is(one([4], F32, 2n ** 64n - 32n), 'E_CORRUPT'); // far beyond the end
  assert.is(one([4], F32, 0, new Uint8Array(0)), 'E_CORRUPT');

  const two = (offsetB: number, dimsB: number[]) =>
    readCode(ggufFile({ tensors: [tensorInfo('a', [16], F32, 0), tensorInfo('b', dimsB, F32, offsetB)], data: new Uint8Array(128) }));
  assert.is(two(64, [16]), 'no error');
  assert.is(two(32, [16]), 'E_CORRUPT'); // a is [0, 64), b starts at 32
  assert.is(two(0, [16]), 'E_CORRUPT');
  assert.is(two(0, [0]), 'no error'); // an empty tensor overlaps nothing
  assert.is(readCode(ggufFile({ tensors: [tensorInfo('a', [4], F32, 0), tensorInfo('a', [4], F32, 32)], data: new Uint8Array(64) })), 'E_CORRUPT');
});

io('alignment: uint32 powers of two only; non-default alignment places the data', () => {
  const withAlignment = (type: number, body: Uint8Array, alignment = 32) =>
    readCode(ggufFile({ kvs: [kv('general.alignment', type, body)], tensors: [tensorInfo('t', [4], F32, 0)], data: new Uint8Array(16), alignment }));
  assert.is(withAlignment(4, u32(16), 16), 'no error');
  assert.is(withAlignment(4, u32(48)), 'E_CORRUPT');
  assert.is(withAlignment(4, u32(0)), 'E_CORRUPT');
  assert.is(withAlignment(10, u64(32)), 'E_CORRUPT'); // uint64, not uint32
  const file = readGguf(ggufFile({ kvs: [kv('general.alignment', 4, u32(16))], tensors: [tensorInfo('t', [4], F32, 0)], data: new Uint8Array(16), alignment: 16 }));
  assert.is(file.alignment, 16);
  assert.is(file.dataOffset % 16, 0);
});

io('versions and magic: v1, big-endian, unknown → E_UNSUPPORTED; bad magic, short → E_CORRUPT; not bytes → E_DTYPE', () => {
  const version = (v: number) => {
    const b = GOLDEN.slice();
    new DataView(b.buffer).setUint32(4, v, true);
    return b;
  };
  assert.is(readCode(version(1)), 'E_UNSUPPORTED');
  assert.is(readCode(version(4)), 'E_UNSUPPORTED');
  assert.is(readCode(version(0)), 'E_UNSUPPORTED');
  try {
    readGguf(version(0x03000000));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, BitsieveError);
    assert.is((e as BitsieveError).code, 'E_UNSUPPORTED');
    assert.match((e as Error).message, /big-endian/);
  }
  const magic = GOLDEN.slice();
  magic[3] = 0x47;
  assert.is(readCode(magic), 'E_CORRUPT');
  assert.is(readCode(new Uint8Array(0)), 'E_CORRUPT');
  assert.is(codeOf(() => readGguf([1, 2, 3] as unknown as Uint8Array)), 'E_DTYPE');
  assert.is(codeOf(() => readGguf(GOLDEN.buffer as unknown as Uint8Array)), 'E_DTYPE');
});

io('a file without tensors needs no data section; bytes after the data are ignored', () => {
  const bare = readGguf(ggufFile({ kvs: [kv('k', 4, u32(5))] }));
  assert.is(bare.tensors.length, 0);
  assert.equal(bare.metadata.get('k'), { type: 'uint32', value: 5 });
  const trailing = readGguf(concat(GOLDEN, utf8('trailing bytes')));
  assert.is(trailing.tensors[0].data.byteLength, 8);
});

// ---- writer validation ----

io('writer: values must fit their declared types', () => {
  const write = (value: unknown) => codeOf(() => writeGguf({ metadata: { k: value as GgufValueInput } }));
  assert.is(write({ type: 'uint8', value: 256 }), 'E_RANGE');
  assert.is(write({ type: 'int8', value: -129 }), 'E_RANGE');
  assert.is(write({ type: 'uint32', value: 1.5 }), 'E_RANGE');
  assert.is(write({ type: 'uint32', value: '1' }), 'E_DTYPE');
  assert.is(write({ type: 'uint64', value: 1 }), 'E_DTYPE');
  assert.is(write({ type: 'uint64', value: -1n }), 'E_RANGE');
  assert.is(write({ type: 'int64', value: 2n ** 63n }), 'E_RANGE');
  assert.is(write({ type: 'bool', value: 1 }), 'E_DTYPE');
  assert.is(write({ type: 'string', value: 'a\ud800' }), 'E_RANGE');
  assert.is(write({ type: 'float16', value: 1 }), 'E_DTYPE');
  assert.is(write(5), 'E_DTYPE');
  assert.is(write({ type: 'array', value: { type: 'uint8', items: [1, 300] } }), 'E_RANGE');
  assert.is(write({ type: 'array', value: { type: 'string', items: 'abc' } }), 'E_DTYPE');
  assert.is(write({ type: 'array', value: { type: 'uint8', items: Uint8Array.of(1) } }), 'no error');
  assert.is(write({ type: 'array', value: { type: 'float32', items: [0.1] } }), 'no error'); // rounded to float32
  let deep: GgufArrayInputLike = { type: 'uint8', items: [] };
  for (let i = 1; i < 9; i++) deep = { type: 'array', items: [deep] };
  assert.is(write({ type: 'array', value: deep }), 'E_RANGE');
  assert.is(codeOf(() => writeGguf({ metadata: { ['\udc00']: { type: 'uint8', value: 1 } } })), 'E_RANGE');
});

type GgufArrayInputLike = { type: string; items: unknown[] };

io('writer: tensors and alignment are validated', () => {
  const t = (over: Partial<GgufTensorInput>): GgufTensorInput => ({ name: 'w', type: 'F32', dims: [4], data: new Uint8Array(16), ...over });
  const write = (tensors: GgufTensorInput[], alignment?: number) => codeOf(() => writeGguf({ tensors, alignment }));
  assert.is(write([t({})]), 'no error');
  assert.is(write([t({ data: new Uint8Array(15) })]), 'E_SHAPE');
  assert.is(write([t({ dims: [4, 1, 1, 1, 1] })]), 'E_SHAPE');
  assert.is(write([t({ dims: [-4] })]), 'E_SHAPE');
  assert.is(write([t({ type: 'Q4_0', dims: [16], data: new Uint8Array(9) })]), 'E_SHAPE');
  assert.is(write([t({ type: 'Q4_2' })]), 'E_UNSUPPORTED');
  assert.is(write([t({}), t({})]), 'E_FORMAT');
  assert.is(write([t({ name: 'x'.repeat(63) })]), 'no error');
  assert.is(write([t({ name: 'x'.repeat(64) })]), 'E_RANGE');
  assert.is(write([t({})], 48), 'E_RANGE');
  assert.is(write([t({})], 4), 'E_RANGE');
  assert.is(write([t({})], 128), 'no error');
  const conflict = codeOf(() => writeGguf({ metadata: { 'general.alignment': { type: 'uint32', value: 64 } }, alignment: 32 }));
  assert.is(conflict, 'E_FORMAT');
  assert.is(codeOf(() => writeGguf({ metadata: { 'general.alignment': { type: 'uint64', value: 64n } } })), 'E_DTYPE');
  // general.alignment alone sets the alignment.
  const file = readGguf(writeGguf({ metadata: { 'general.alignment': { type: 'uint32', value: 256 } }, tensors: [t({}), t({ name: 'v' })] }));
  assert.equal(file.tensors.map((x) => x.offset), [0, 256]);
  assert.is(file.dataOffset % 256, 0);
});

io.run();
