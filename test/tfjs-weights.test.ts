// tfjs weights manifests: hand-built manifests with literal expected values for every stored
// dtype, malformed manifests and byte streams → typed errors (fast-check), and the real face-api
// models from the devDependency.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, readTfjsWeights, type TfjsTensor } from '../src/index.js';
import { codeOf } from './helpers/errors.js';

const SEED = 20261122;
const tfjs = suite('readTfjsWeights');

/** Little-endian bytes written field by field. */
function bytes(write: (view: DataView) => void, length: number): Uint8Array {
  const out = new Uint8Array(length);
  write(new DataView(out.buffer));
  return out;
}

// float16 bit patterns and their exact values (IEEE 754 binary16).
const HALVES: [number, number][] = [
  [0x3c00, 1],
  [0xc000, -2],
  [0x3555, 0.333251953125],
  [0x7bff, 65504],
  [0x0400, 2 ** -14], // smallest normal
  [0x0001, 2 ** -24], // smallest subnormal
  [0x03ff, 1023 * 2 ** -24], // largest subnormal
  [0x8000, -0],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
];

const MANIFEST = [
  {
    paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
    weights: [
      { name: 'dense/kernel', shape: [2, 2], dtype: 'float32' },
      // scale and min are exact binary fractions, so q·scale + min is exact too.
      { name: 'q8', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.25, min: -3 } },
      { name: 'q16', shape: [3], dtype: 'float32', quantization: { dtype: 'uint16', scale: 2 ** -10, min: 1 } },
    ],
  },
  {
    paths: ['group2-shard1of1.bin'],
    weights: [
      { name: 'half', shape: [HALVES.length], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'count', shape: [2], dtype: 'int32' },
      { name: 'flag', shape: [3], dtype: 'bool' },
      { name: 'qint', shape: [3], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'scalar', shape: [], dtype: 'float32' },
      { name: 'empty', shape: [0, 3], dtype: 'float32' },
    ],
  },
];

// group 1 = 16 B float32 + 4 B uint8 + 6 B uint16 = 26 B, split 10 + 16 over its two paths.
const GROUP1 = bytes((v) => {
  [1.5, -2.25, 3e-8, 1e30].forEach((x, i) => v.setFloat32(4 * i, x, true));
  [0, 1, 12, 255].forEach((q, i) => v.setUint8(16 + i, q));
  [0, 1024, 65535].forEach((q, i) => v.setUint16(20 + 2 * i, q, true));
}, 26);
const GROUP2 = bytes((v) => {
  let o = 0;
  for (const [bits] of HALVES) (v.setUint16(o, bits, true), (o += 2));
  for (const n of [-7, 2147483647]) (v.setInt32(o, n, true), (o += 4));
  for (const b of [0, 1, 5]) v.setUint8(o++, b);
  for (const q of [0, 3, 255]) v.setUint8(o++, q);
  v.setFloat32(o, -0.5, true);
}, 2 * HALVES.length + 8 + 3 + 3 + 4);
const FILES: Record<string, Uint8Array> = {
  'group1-shard1of2.bin': GROUP1.subarray(0, 10),
  'group1-shard2of2.bin': GROUP1.subarray(10),
  'group2-shard1of1.bin': GROUP2,
};
const ALL = new Uint8Array([...GROUP1, ...GROUP2]);

function expectDecoded(tensors: Map<string, TfjsTensor>) {
  assert.equal([...tensors.keys()], ['dense/kernel', 'q8', 'q16', 'half', 'count', 'flag', 'qint', 'scalar', 'empty']);
  const get = (name: string) => tensors.get(name)!;
  assert.equal(get('dense/kernel'), { dtype: 'float32', shape: [2, 2], data: Float32Array.of(1.5, -2.25, 3e-8, 1e30) });
  assert.equal(get('q8').data, Float32Array.of(-3, -2.75, 0, 60.75));
  assert.equal(get('q16').data, Float32Array.of(1, 2, 1 + 65535 / 1024));
  assert.equal([...get('half').data], HALVES.map(([, value]) => value));
  assert.ok(Object.is(get('half').data[7], -0));
  assert.equal(get('count'), { dtype: 'int32', shape: [2], data: Int32Array.of(-7, 2147483647) });
  assert.equal(get('flag'), { dtype: 'bool', shape: [3], data: Uint8Array.of(0, 1, 1) });
  // An int32 tensor stored as uint8 codes rounds q·scale + min: -1, 0.5 → 1 (half up), 126.5 → 127.
  assert.equal(get('qint'), { dtype: 'int32', shape: [3], data: Int32Array.of(-1, 1, 127) });
  assert.equal(get('scalar'), { dtype: 'float32', shape: [], data: Float32Array.of(-0.5) });
  assert.equal(get('empty'), { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) });
}

tfjs('decodes float32, uint8, uint16, float16, int32, bool; any way the bytes are handed over', () => {
  expectDecoded(readTfjsWeights(MANIFEST, ALL));
  expectDecoded(readTfjsWeights(MANIFEST, ALL.slice().buffer));
  expectDecoded(readTfjsWeights(MANIFEST, [FILES['group1-shard1of2.bin'], FILES['group1-shard2of2.bin'].slice().buffer, GROUP2]));
  expectDecoded(readTfjsWeights(MANIFEST, (path) => FILES[path]));
  expectDecoded(readTfjsWeights({ modelTopology: {}, weightsManifest: MANIFEST }, ALL));
  // A view into a larger buffer reads only its own bytes.
  const padded = new Uint8Array(ALL.length + 8);
  padded.set(ALL, 5);
  expectDecoded(readTfjsWeights(MANIFEST, padded.subarray(5, 5 + ALL.length)));
});

tfjs('the caller\'s manifest and bytes are not kept or changed', () => {
  const manifest = structuredClone(MANIFEST);
  const data = ALL.slice();
  const tensors = readTfjsWeights(manifest, data);
  (tensors.get('dense/kernel')!.shape as number[])[0] = 99;
  (tensors.get('dense/kernel')!.data as Float32Array)[0] = 99;
  assert.equal(manifest, MANIFEST);
  assert.equal(data, ALL);
});

tfjs('malformed manifests and wrong byte counts → typed errors', () => {
  const edit = (change: (m: any) => void) => {
    const m = structuredClone(MANIFEST) as any;
    change(m);
    return codeOf(() => readTfjsWeights(m, ALL));
  };
  assert.is(codeOf(() => readTfjsWeights({}, ALL)), 'E_FORMAT');
  assert.is(codeOf(() => readTfjsWeights(null, ALL)), 'E_FORMAT');
  assert.is(edit((m) => (m[0].paths = 'x.bin')), 'E_FORMAT');
  assert.is(edit((m) => delete m[0].weights), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].name = 7)), 'E_FORMAT');
  assert.is(edit((m) => (m[1].weights[0].name = 'q8')), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].shape = [2, -2])), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].shape = [2, 1.5])), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].shape = [2 ** 20, 2 ** 20])), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].shape = '2,2')), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].dtype = 'float64')), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[0].dtype = 'string')), 'E_UNSUPPORTED');
  assert.is(edit((m) => (m[0].weights[1].quantization.dtype = 'int4')), 'E_FORMAT');
  assert.is(edit((m) => delete m[0].weights[1].quantization.scale), 'E_FORMAT');
  assert.is(edit((m) => (m[0].weights[1].quantization.min = NaN)), 'E_FORMAT');
  assert.is(edit((m) => (m[1].weights[0].dtype = 'int32')), 'E_FORMAT'); // float16 only for float32
  assert.is(edit((m) => (m[1].weights[2].quantization = { dtype: 'uint8', scale: 1, min: 0 })), 'E_FORMAT'); // bool
  // Sizes that no longer add up to the bytes.
  assert.is(edit((m) => (m[0].weights[0].shape = [2, 3])), 'E_CORRUPT');
  assert.is(edit((m) => m[1].weights.splice(4, 1)), 'E_CORRUPT');
  assert.is(codeOf(() => readTfjsWeights(MANIFEST, ALL.subarray(0, ALL.length - 1))), 'E_CORRUPT');
  assert.is(codeOf(() => readTfjsWeights(MANIFEST, new Uint8Array([...ALL, 0]))), 'E_CORRUPT');
  assert.is(codeOf(() => readTfjsWeights(MANIFEST, (path) => (path === 'group2-shard1of1.bin' ? GROUP2.subarray(1) : FILES[path]))), 'E_CORRUPT');
  assert.is(codeOf(() => readTfjsWeights([], new Uint8Array(1))), 'E_CORRUPT');
  assert.is(codeOf(() => readTfjsWeights(MANIFEST, 'bytes' as never)), 'E_DTYPE');
  assert.is(codeOf(() => readTfjsWeights(MANIFEST, () => undefined as never)), 'E_DTYPE');
});

tfjs('fast-check: mutated manifests and truncated or extended bytes only ever throw BitsieveError', () => {
  const json = fc.jsonValue({ maxDepth: 2 });
  const mutation = fc.record({
    group: fc.nat(1),
    weight: fc.nat(5),
    field: fc.constantFrom('name', 'shape', 'dtype', 'quantization', 'scale', 'min', 'qdtype', 'paths', 'weights', 'entry'),
    value: fc.oneof(json, fc.constantFrom(undefined, 'uint8', 'uint16', 'float16', 'int32', 'bool', [3], [-1], [1e9, 1e9])),
  });
  const bytesEdit = fc.oneof(fc.constant(ALL), fc.nat(ALL.length - 1).map((n) => ALL.subarray(0, n)), fc.uint8Array({ maxLength: 8 }).map((tail) => new Uint8Array([...ALL, ...tail])));
  fc.assert(
    fc.property(fc.array(mutation, { maxLength: 3 }), bytesEdit, (mutations, data) => {
      const m = structuredClone(MANIFEST) as any;
      for (const { group, weight, field, value } of mutations) {
        const g = m[group];
        const list = Array.isArray(g.weights) ? g.weights : [];
        const w = list[weight % Math.max(1, list.length)];
        if (field === 'paths' || field === 'weights') g[field] = value;
        else if (field === 'entry') list[weight % Math.max(1, list.length)] = value;
        else if (field === 'qdtype' || field === 'scale' || field === 'min') {
          if (w && typeof w === 'object') w.quantization = { ...(w.quantization ?? {}), [field === 'qdtype' ? 'dtype' : field]: value };
        } else if (w && typeof w === 'object') w[field] = value;
      }
      try {
        const tensors = readTfjsWeights(m, data);
        // Whatever decodes has exactly the elements its shape promises.
        for (const t of tensors.values()) assert.is(t.data.length, t.shape.reduce((a, b) => a * b, 1));
        if (mutations.length === 0) assert.is(data.length, ALL.length);
      } catch (e) {
        if (!(e instanceof BitsieveError)) throw e;
        if (mutations.length === 0) assert.is(e.code, 'E_CORRUPT');
      }
    }),
    { seed: SEED, numRuns: 400 },
  );
});

const MODELS = 'node_modules/@vladmandic/face-api/model/';

function loadModel(name: string) {
  const manifest = JSON.parse(readFileSync(`${MODELS}${name}-weights_manifest.json`, 'utf8'));
  const file = readFileSync(`${MODELS}${name}.bin`);
  return { manifest, bin: new Uint8Array(file.buffer, file.byteOffset, file.byteLength) };
}

tfjs('real face-api models decode to the tensors their manifests list', () => {
  for (const name of ['face_recognition_model', 'ssd_mobilenetv1_model', 'face_landmark_68_model']) {
    const { manifest, bin } = loadModel(name);
    const tensors = readTfjsWeights(manifest, bin);
    const entries = manifest.flatMap((g: any) => g.weights);
    assert.is(tensors.size, entries.length, name);
    let offset = 0;
    for (const entry of entries) {
      const t = tensors.get(entry.name)!;
      assert.equal(t.shape, entry.shape, entry.name);
      assert.is(t.dtype, entry.dtype);
      const size = entry.shape.reduce((a: number, b: number) => a * b, 1);
      assert.is(t.data.length, size);
      const q = entry.quantization;
      // First element straight from the file: an independent decode of one value per tensor.
      if (size > 0) {
        const first = q ? bin[offset] * q.scale + q.min : new DataView(bin.buffer, bin.byteOffset + offset, 4).getFloat32(0, true);
        assert.is(t.data[0], entry.dtype === 'int32' ? Math.round(first) : Math.fround(first), entry.name);
      }
      offset += size * (q ? 1 : 4); // every quantized face-api tensor is uint8
    }
    assert.is(offset, bin.length, `${name}: the manifest accounts for every byte`);
  }
  const recognition = readTfjsWeights(loadModel('face_recognition_model').manifest, loadModel('face_recognition_model').bin);
  assert.is(recognition.size, 117);
  assert.equal(recognition.get('fc')!.shape, [256, 128]);
  assert.equal(recognition.get('conv256_down_out/conv2/conv/filters')!.shape, [3, 3, 256, 256]);
  const conv64 = recognition.get('conv64_3/conv2/conv/filters')!; // stored float32, not quantized
  assert.equal(conv64.shape, [3, 3, 64, 64]);
  assert.ok(conv64.data.every(Number.isFinite));
});

tfjs.run();
