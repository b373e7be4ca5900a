// safetensors: golden files from the reference implementation's own tests, every dtype round-tripped,
// zero-copy views and typed accessors, hostile headers built by hand, writer validation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readSafetensors, SAFETENSORS_DTYPES, SafetensorsTensor, writeSafetensors, type SafetensorsDtype, type SafetensorsTensorInput } from '../src/index.js';
import { concat, f32, hex, randomBytes, u64, utf8 } from './helpers/bytes.js';
import { codeOf } from './helpers/errors.js';

const st = suite('safetensors io');

/** A file from its header text (padded as given) and data. */
function file(header: string | Uint8Array, data: Uint8Array = new Uint8Array(0), headerLength?: number | bigint): Uint8Array {
  const h = typeof header === 'string' ? utf8(header) : header;
  return concat(u64(headerLength ?? h.byteLength), h, data);
}

const floats = (...xs: number[]) => concat(...xs.map(f32));

// Golden files: the byte arrays asserted by the Rust safetensors crate's tests (test_serialization,
// test_empty, test_serialization_forced_alignement): compact JSON, "__metadata__" first, header
// space-padded to a multiple of 8.
const GOLDEN: [string, Record<string, SafetensorsTensorInput>, Record<string, string> | undefined, Uint8Array][] = [
  [
    'one F32 [1, 2, 3] tensor',
    { 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) } },
    undefined,
    file('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', floats(0, 1, 2, 3, 4, 5)),
  ],
  ['no tensors', {}, undefined, file('{}      ')],
  ['metadata only', {}, { framework: 'pt' }, file('{"__metadata__":{"framework":"pt"}}     ')],
  [
    'padding before the data',
    { attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) } },
    undefined,
    file('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ', floats(0, 1, 2, 3, 4, 5)),
  ],
];

st('golden files: written byte for byte, read back', () => {
  for (const [what, tensors, metadata, bytes] of GOLDEN) {
    assert.is(hex(writeSafetensors(tensors, metadata)), hex(bytes), what);
    const read = readSafetensors(bytes);
    assert.equal(Object.fromEntries(read.metadata), metadata ?? {}, what);
    assert.equal([...read.tensors.keys()], Object.keys(tensors), what);
    for (const [name, t] of read.tensors) {
      assert.is(t.dtype, tensors[name].dtype);
      assert.equal(t.shape, tensors[name].shape);
      assert.equal(t.toFloat32(), tensors[name].data);
    }
  }
});

// ---- every dtype ----

const SHAPES: Record<SafetensorsDtype, number[]> = {
  BOOL: [5],
  F4: [2, 3], // 6 × 4 bits = 3 bytes
  F6_E2M3: [4], // 4 × 6 bits = 3 bytes
  F6_E3M2: [2, 2, 2],
  U8: [3, 1],
  I8: [7],
  F8_E5M2: [2],
  F8_E4M3: [3],
  F8_E8M0: [1],
  I16: [3],
  U16: [2, 2],
  F16: [5],
  BF16: [1, 3],
  I32: [3],
  U32: [],
  F32: [2, 3],
  C64: [2],
  F64: [3],
  I64: [2],
  U64: [0, 4],
};

const DTYPES = Object.keys(SAFETENSORS_DTYPES) as SafetensorsDtype[];

function allDtypes(): Map<string, SafetensorsTensorInput> {
  const out = new Map<string, SafetensorsTensorInput>();
  DTYPES.forEach((dtype, i) => {
    const bits = SHAPES[dtype].reduce((a, b) => a * b, 1) * SAFETENSORS_DTYPES[dtype];
    out.set(`t.${dtype.toLowerCase()}`, { dtype, shape: SHAPES[dtype], data: randomBytes(bits / 8, i + 1) });
  });
  out.set('t.名前', { dtype: 'F32', shape: [1], data: Float32Array.of(0.5) });
  return out;
}

const ALL = allDtypes();
const META = new Map([
  ['format', 'pt'],
  ['clé 🔑', 'välue\n"quoted"'],
]);
const ALL_FILE = writeSafetensors(ALL, META);

st('every dtype: written, read back with the same dtype, shape and bytes; metadata strings exact', () => {
  const read = readSafetensors(ALL_FILE);
  assert.equal([...read.metadata], [...META]);
  assert.is(read.tensors.size, ALL.size);
  for (const [name, want] of ALL) {
    const got = read.tensors.get(name)!;
    assert.ok(got, name);
    assert.is(got.name, name);
    assert.is(got.dtype, want.dtype);
    assert.equal(got.shape, want.shape);
    assert.is(hex(got.data), hex(new Uint8Array(want.data.buffer, want.data.byteOffset, want.data.byteLength)), name);
  }
});

st('the writer orders tensors widest dtype first (then by name), so every tensor starts at a multiple of its element size', () => {
  const read = readSafetensors(ALL_FILE);
  assert.is(read.dataOffset % 8, 0);
  let previous = Infinity;
  for (const t of [...read.tensors.values()].sort((a, b) => a.data.byteOffset - b.data.byteOffset)) {
    const width = Math.max(1, SAFETENSORS_DTYPES[t.dtype] / 8);
    const alignment = t.dtype === 'C64' ? 4 : width; // C64 is read as float32 pairs
    assert.is(t.data.byteOffset % alignment, 0, `${t.name} at ${t.data.byteOffset}`);
    assert.ok(DTYPES.indexOf(t.dtype) <= previous, `${t.name} out of order`);
    previous = DTYPES.indexOf(t.dtype);
  }
  assert.is(hex(writeSafetensors(read.tensors, read.metadata)), hex(ALL_FILE)); // read → write is the identity
});

st('tensor data are views of the input; array() views when aligned, copies when not', () => {
  const read = readSafetensors(ALL_FILE);
  for (const t of read.tensors.values()) assert.ok(t.data.buffer === ALL_FILE.buffer, t.name);
  const f32t = read.tensors.get('t.f32')!;
  const values = f32t.array();
  assert.instance(values, Float32Array);
  assert.ok(values.buffer === ALL_FILE.buffer);
  assert.equal([...values], [...new Float32Array(ALL.get('t.f32')!.data.buffer.slice(0))]);

  const host = new Uint8Array(ALL_FILE.byteLength + 1);
  host.set(ALL_FILE, 1);
  const shifted = readSafetensors(host.subarray(1)).tensors.get('t.f32')!;
  assert.ok(shifted.data.buffer === host.buffer);
  const copied = shifted.array();
  assert.ok(copied.buffer !== host.buffer, 'a misaligned float32 view cannot exist; expected a copy');
  assert.equal([...copied], [...values]);

  assert.instance(read.tensors.get('t.i64')!.array(), BigInt64Array);
  assert.instance(read.tensors.get('t.u64')!.array(), BigUint64Array);
  assert.is(read.tensors.get('t.c64')!.array().length, 4); // 2 complex numbers
  assert.instance(read.tensors.get('t.f4')!.array(), Uint8Array);
  assert.is(read.tensors.get('t.u32')!.size, 1); // a scalar
  assert.is(read.tensors.get('t.u64')!.size, 0);
});

st('toFloat32: exact for halves, bf16, small integers and bools; rounded for f64 and 64-bit integers', () => {
  const read = readSafetensors(
    writeSafetensors({
      h: { dtype: 'F16', shape: [4], data: Uint16Array.of(0x3c00, 0xc000, 0x7c00, 0x0001) },
      b: { dtype: 'BF16', shape: [2], data: Uint16Array.of(0x3f80, 0xc040) },
      d: { dtype: 'F64', shape: [2], data: Float64Array.of(0.1, -1e300) },
      i: { dtype: 'I8', shape: [2], data: Int8Array.of(-128, 127) },
      u: { dtype: 'U64', shape: [1], data: BigUint64Array.of(2n ** 64n - 1n) },
      q: { dtype: 'BOOL', shape: [3], data: Uint8Array.of(0, 1, 2) },
      e: { dtype: 'F8_E4M3', shape: [1], data: Uint8Array.of(0x38) },
    }),
  );
  const get = (name: string) => [...read.tensors.get(name)!.toFloat32()];
  assert.equal(get('h'), [1, -2, Infinity, 2 ** -24]);
  assert.equal(get('b'), [1, -3]);
  assert.equal(get('d'), [Math.fround(0.1), -Infinity]);
  assert.equal(get('i'), [-128, 127]);
  assert.equal(get('u'), [2 ** 64]);
  assert.equal(get('q'), [0, 1, 1]);
  assert.is(codeOf(() => read.tensors.get('e')!.toFloat32()), 'E_UNSUPPORTED');
});

// ---- hostile files ----

const entry = (dtype: string, shape: unknown, offsets: unknown) => `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;
const readCode = (bytes: Uint8Array) => codeOf(() => readSafetensors(bytes));

st('header framing: length beyond the file, missing "{", invalid UTF-8, a header above 100 MB', () => {
  const ok = file('{"a":' + entry('U8', [2], [0, 2]) + '}', Uint8Array.of(1, 2));
  assert.is(readCode(ok), 'no error');
  assert.is(readCode(new Uint8Array(7)), 'E_CORRUPT');
  assert.is(readCode(file('{}', undefined, 3)), 'E_CORRUPT');
  assert.is(readCode(file('{}', undefined, 2n ** 64n - 1n)), 'E_CORRUPT');
  for (let n = 0; n < ok.byteLength; n++) assert.is(readCode(ok.subarray(0, n)), 'E_CORRUPT', `truncated to ${n}`);
  assert.is(readCode(file(' {}')), 'E_CORRUPT'); // the header must start with "{"
  assert.is(readCode(file('\u{feff}{}')), 'E_CORRUPT'); // a BOM is not "{"
  assert.is(readCode(file('[]')), 'E_CORRUPT');
  assert.is(readCode(file(concat(utf8('{"a'), Uint8Array.of(0xff), utf8('":1}')))), 'E_CORRUPT');
  assert.is(readCode(file('{}\n\t ')), 'no error'); // trailing whitespace is padding
  const huge = new Uint8Array(8 + 100_000_008);
  new DataView(huge.buffer).setBigUint64(0, 100_000_008n, true);
  huge.fill(0x20, 8);
  huge[8] = 0x7b;
  huge[9] = 0x7d;
  assert.is(readCode(huge), 'E_UNSUPPORTED');
  assert.is(codeOf(() => readSafetensors('{}' as unknown as Uint8Array)), 'E_DTYPE');
});

st('JSON: malformed, duplicate keys (tensors or metadata), deep nesting, non-integers → E_CORRUPT', () => {
  const e = entry('U8', [1], [0, 1]);
  const one = Uint8Array.of(9);
  assert.is(readCode(file(`{"a":${e}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":${e},}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":${e},"a":${e}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"__metadata__":{"k":"1","k":"2"},"a":${e}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":${e},"x":${'['.repeat(100_000)}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":${entry('U8', [1.0], [0, 1])}}`, one)), 'no error'); // JSON.stringify writes 1.0 as 1
  assert.is(readCode(file(`{"a":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1e0]}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":{"dtype":"U8","shape":[9007199254740993],"data_offsets":[0,1]}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}`, one)), 'E_CORRUPT');
  assert.is(readCode(file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":{"x":[null]}}}`, one)), 'no error');
});

st('entries: wrong types, unknown dtype, size mismatches, gaps, overlaps, uncovered bytes', () => {
  const f = (entries: Record<string, string>, data: Uint8Array, metadata?: string) =>
    readCode(file(`{${metadata !== undefined ? `"__metadata__":${metadata},` : ''}${Object.entries(entries).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`, data));
  const d8 = new Uint8Array(8);
  assert.is(f({ a: entry('F32', [2], [0, 8]) }, d8), 'no error');
  assert.is(f({ a: entry('F32', [2], [0, 8]) }, d8, '{"k":1}'), 'E_CORRUPT');
  assert.is(f({ a: entry('F32', [2], [0, 8]) }, d8, 'null'), 'no error'); // as the reference reader: no metadata
  assert.is(f({ a: entry('F32', [2], [0, 8]) }, d8, '["k"]'), 'E_CORRUPT');
  assert.is(f({ a: '[1]' }, d8), 'E_CORRUPT');
  assert.is(f({ a: '{"shape":[2],"data_offsets":[0,8]}' }, d8), 'E_CORRUPT');
  assert.is(f({ a: '{"dtype":4,"shape":[2],"data_offsets":[0,8]}' }, d8), 'E_CORRUPT');
  assert.is(f({ a: entry('F128', [2], [0, 8]) }, d8), 'E_UNSUPPORTED');
  assert.is(f({ a: entry('F32', 2, [0, 8]) }, d8), 'E_CORRUPT');
  assert.is(f({ a: entry('F32', [2], [0]) }, d8), 'E_CORRUPT');
  assert.is(f({ a: entry('F32', [2], [8, 0]) }, d8), 'E_CORRUPT');
  assert.is(f({ a: entry('F32', [3], [0, 8]) }, d8), 'E_CORRUPT'); // 12 bytes in an 8-byte span
  assert.is(f({ a: entry('F4', [3], [0, 1]) }, d8.subarray(0, 1)), 'E_CORRUPT'); // 12 bits
  assert.is(f({ a: entry('F32', [1], [0, 4]) }, d8), 'E_CORRUPT'); // 4 bytes left uncovered
  assert.is(f({ a: entry('F32', [2], [0, 8]) }, d8.subarray(0, 4)), 'E_CORRUPT'); // beyond the end
  assert.is(f({ a: entry('F32', [1], [4, 8]) }, d8), 'E_CORRUPT'); // a gap at the start
  assert.is(f({ a: entry('F32', [1], [0, 4]), b: entry('F32', [1], [4, 8]) }, d8), 'no error');
  assert.is(f({ b: entry('F32', [1], [4, 8]), a: entry('F32', [1], [0, 4]) }, d8), 'no error'); // any header order
  assert.is(f({ a: entry('F32', [2], [0, 8]), b: entry('F32', [1], [4, 8]) }, d8), 'E_CORRUPT'); // overlap
  assert.is(f({ a: entry('F32', [1], [0, 4]), b: entry('F32', [1], [0, 4]) }, d8), 'E_CORRUPT'); // same bytes twice
  assert.is(f({ a: entry('F32', [2], [0, 8]), z: entry('F32', [0], [8, 8]), y: entry('U8', [3, 0], [0, 0]) }, d8), 'no error');
  assert.is(f({ a: entry('F32', [2], [0, 8]), z: entry('F32', [0], [9, 9]) }, d8), 'E_CORRUPT');
  assert.is(f({ a: entry('U8', [2 ** 26, 2 ** 26, 2 ** 2], [0, 8]) }, d8), 'E_CORRUPT'); // 2^54 bytes, no overflow
});

// ---- writer validation ----

st('writer: dtype, shape and data checked; reserved and ill-formed names refused', () => {
  const w = (tensors: Record<string, unknown>, metadata?: Record<string, unknown>) =>
    codeOf(() => writeSafetensors(tensors as Record<string, SafetensorsTensorInput>, metadata as Record<string, string>));
  const ok = { dtype: 'F32', shape: [2], data: new Float32Array(2) };
  assert.is(w({ a: ok }), 'no error');
  assert.is(w({ a: { ...ok, dtype: 'float32' } }), 'E_DTYPE');
  assert.is(w({ a: { ...ok, shape: [3] } }), 'E_SHAPE');
  assert.is(w({ a: { ...ok, shape: [-2] } }), 'E_SHAPE');
  assert.is(w({ a: { ...ok, data: [0, 0] } }), 'E_DTYPE');
  assert.is(w({ a: { dtype: 'F4', shape: [3], data: new Uint8Array(2) } }), 'E_SHAPE');
  assert.is(w({ a: { dtype: 'F4', shape: [4], data: new Uint8Array(2) } }), 'no error');
  assert.is(w({ __metadata__: ok }), 'E_FORMAT');
  assert.is(w({ ['a\ud800']: ok }), 'E_RANGE');
  assert.is(w({ a: ok }, { k: 1 }), 'E_DTYPE');
  assert.is(w({ a: ok }, { k: 'v\udfff' }), 'E_RANGE');
  assert.is(w(null as unknown as Record<string, unknown>), 'E_DTYPE');
});

st('SafetensorsTensor checks what it wraps', () => {
  const make = (dtype: string, shape: unknown, data: unknown) =>
    codeOf(() => new SafetensorsTensor('t', dtype as SafetensorsDtype, shape as number[], data as Uint8Array));
  assert.is(make('F16', [2], new Uint8Array(4)), 'no error');
  assert.is(make('F16', [3], new Uint8Array(4)), 'E_SHAPE');
  assert.is(make('F17', [2], new Uint8Array(4)), 'E_DTYPE');
  assert.is(make('F16', [2], new Uint16Array(2)), 'E_DTYPE');
  assert.is(make('F16', [2.5], new Uint8Array(5)), 'E_SHAPE');
});

st.run();
