// Importers vs the independent element-wise references (test/reference/hf-quant.ts), bit for bit
// (Object.is: signed zeros count), and export(import(x)) == x byte for byte, on random raw tensors
// (fast-check, fixed seed): every word value, every finite f16 scale bit pattern (negatives, ±0,
// subnormals), act-order g_idx, odd element counts, nested bitsandbytes absmax.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bnb4RowGroups, bnb4ToGroupwiseInt, exportAwq, exportBnb4, exportMatMulBnb4, importMatMulBnb4, exportGptq, exportMatMulNBits, importAwq, importBnb4, importGptq, importMatMulNBits, NF4_CODEBOOK, FP4_CODEBOOK } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { awqReference, bnb4Reference, f16Bits, gptqReference, matmulNBitsReference } from './reference/hf-quant.js';

const test = suite('HF/ONNX import round trips');
const SEED = 20261201;
const RUNS = 150;

const bytesOf = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function assertSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.is(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) assert.unreachable(`${what}[${i}]: ${actual[i]} ≠ ${expected[i]}`);
}

/** A finite f16 bit pattern: anything but exponent 31. */
const finiteHalf = fc.integer({ min: 0, max: 0xffff }).filter((h) => (h & 0x7c00) !== 0x7c00);
const halves = (n: number) => fc.array(finiteHalf, { minLength: n, maxLength: n }).map((a) => Uint16Array.from(a));
const words = (n: number) => fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n }).map((a) => Int32Array.from(a));
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const floats = (n: number) => fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));

/** g_idx of act-order GPTQ: a permutation of the inputs, cut into groups of g in that order. */
const actOrder = (K: number, g: number) =>
  fc.array(fc.nat(), { minLength: K, maxLength: K }).map((keys) => {
    const perm = Array.from({ length: K }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    const gIdx = new Int32Array(K);
    perm.forEach((k, i) => (gIdx[k] = Math.floor(i / g)));
    return gIdx;
  });

test('GPTQ 2/3/4/8-bit, v1 and v2, with and without act-order: reference values and byte-identical export', () => {
  const gptqCase = fc
    .record({ bits: fc.constantFrom(2, 3, 4, 8), outWords: fc.integer({ min: 1, max: 2 }), inWords: fc.integer({ min: 1, max: 2 }), groupsPerIn: fc.constantFrom(1, 2, 4), v2: fc.boolean(), act: fc.boolean() })
    .chain((c) => {
      const unit = 32 / (c.bits === 3 ? 1 : c.bits); // out and in multiples that fill whole words
      const N = c.outWords * unit;
      const K = c.inWords * unit;
      const g = K / c.groupsPerIn;
      const G = c.groupsPerIn;
      return fc.record({
        c: fc.constant({ ...c, N, K, g, G }),
        qweight: words(((K * c.bits) / 32) * N),
        qzeros: words((G * N * c.bits) / 32),
        scales: halves(G * N),
        g_idx: c.act ? actOrder(K, g) : fc.constant(Int32Array.from({ length: K }, (_, k) => Math.floor(k / g))),
      });
    });
  fc.assert(
    fc.property(gptqCase, ({ c, ...t }) => {
      const config = { bits: c.bits, group_size: c.g, checkpoint_format: c.v2 ? ('gptq_v2' as const) : ('gptq' as const) };
      const w = importGptq(t, config, [c.N, c.K]);
      assertSameBits(w.dequantize(), gptqReference(t, c.bits, c.g, c.N, c.K, c.v2), `gptq ${JSON.stringify(c)}`);
      const back = exportGptq(w, config);
      assert.equal(back.qweight.shape, [(c.K * c.bits) / 32, c.N]);
      assert.equal(back.qzeros.shape, [c.G, (c.N * c.bits) / 32]);
      assert.equal(back.scales.shape, [c.G, c.N]);
      for (const name of ['qweight', 'qzeros', 'scales', 'g_idx'] as const) assert.equal(bytesOf(back[name].data), bytesOf(t[name]), name);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('AWQ: reference values and byte-identical export', () => {
  const awqCase = fc.record({ outWords: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: 1, max: 12 }), groups: fc.constantFrom(1, 2, 3) }).chain(({ outWords, K: k0, groups }) => {
    const N = outWords * 8;
    const K = k0 * groups;
    return fc.record({ c: fc.constant({ N, K, g: K / groups, G: groups }), qweight: words(K * outWords), qzeros: words(groups * outWords), scales: halves(groups * N) });
  });
  fc.assert(
    fc.property(awqCase, ({ c, ...t }) => {
      const w = importAwq(t, { bits: 4, group_size: c.g, version: 'GEMM' }, [c.N, c.K]);
      assertSameBits(w.dequantize(), awqReference(t, c.g, c.N, c.K), `awq ${JSON.stringify(c)}`);
      const back = exportAwq(w);
      for (const name of ['qweight', 'qzeros', 'scales'] as const) assert.equal(bytesOf(back[name].data), bytesOf(t[name]), name);
      assert.equal(back.qweight.shape, [c.K, c.N / 8]);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('MatMulNBits 4/8-bit, f32 or f16 scales, with or without zero_points: reference values and identical export', () => {
  const ortCase = fc
    .record({ bits: fc.constantFrom(4 as const, 8 as const), N: fc.integer({ min: 1, max: 3 }), blocks: fc.integer({ min: 1, max: 5 }), blockSize: fc.constantFrom(16, 32, 64), half: fc.boolean(), zp: fc.boolean() })
    .chain((c) => {
      const zpRow = Math.ceil((c.blocks * c.bits) / 8);
      const padded = (c.blocks * c.bits) % 8 !== 0; // 4-bit, odd block count: the row's last high nibble is padding
      return fc.record({
        c: fc.constant({ ...c, K: c.blocks * c.blockSize }),
        B: bytes((c.N * c.blocks * c.blockSize * c.bits) / 8),
        scales: c.half ? halves(c.N * c.blocks) : floats(c.N * c.blocks),
        zero_points: c.zp ? bytes(c.N * zpRow).map((z) => (padded ? z.map((v, i) => (i % zpRow === zpRow - 1 ? v & 0x0f : v)) : z)) : fc.constant(undefined),
      });
    });
  fc.assert(
    fc.property(ortCase, ({ c, B, scales, zero_points }) => {
      const t = { B, scales, ...(zero_points && { zero_points }) };
      const w = importMatMulNBits(t, { K: c.K, N: c.N, bits: c.bits, block_size: c.blockSize });
      assertSameBits(w.dequantize(), matmulNBitsReference(t, c.blockSize, c.N, c.K, c.bits), `ort ${JSON.stringify(c)}`);
      const back = exportMatMulNBits(w);
      assert.equal(bytesOf(back.B.data), bytesOf(B));
      assert.equal(back.B.dims, [c.N, c.blocks, (c.blockSize * c.bits) / 8]);
      assert.equal(bytesOf(back.scales.data), bytesOf(scales));
      assert.is(back.scales.data.constructor, scales.constructor);
      assert.equal(back.zero_points && bytesOf(back.zero_points.data), zero_points && bytesOf(zero_points));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('bitsandbytes NF4/FP4, plain and nested absmax, odd element counts: reference values and identical export', () => {
  const bnbCase = fc
    .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 70 }), blockSize: fc.constantFrom(32, 64), type: fc.constantFrom('nf4' as const, 'fp4' as const), nested: fc.boolean(), nestedBlockSize: fc.integer({ min: 1, max: 4 }), offset: fc.float({ min: -1, max: 1, noNaN: true }) })
    .chain((c) => {
      const n = c.rows * c.cols;
      const blocks = Math.ceil(n / c.blockSize);
      return fc.record({
        c: fc.constant({ ...c, n, blocks }),
        weight: bytes(Math.ceil(n / 2)).map((w) => (n % 2 === 1 ? w.map((v, i) => (i === w.length - 1 ? v & 0xf0 : v)) : w)),
        absmax: c.nested ? bytes(blocks) : floats(blocks),
        nested_absmax: floats(Math.ceil(blocks / c.nestedBlockSize)),
        nested_quant_map: floats(256),
      });
    });
  fc.assert(
    fc.property(bnbCase, ({ c, weight, absmax, nested_absmax, nested_quant_map }) => {
      const quant_map = c.type === 'nf4' ? NF4_CODEBOOK : FP4_CODEBOOK;
      // Python's json.dumps spelling (", " and ": "), which importBnb4 must keep verbatim.
      const state = `{"quant_type": "${c.type}", "blocksize": ${c.blockSize}, "dtype": "float16", "shape": [${c.rows}, ${c.cols}]${c.nested ? `, "nested_blocksize": ${c.nestedBlockSize}, "nested_dtype": "float32", "nested_offset": ${c.offset}` : ''}}`;
      const t = { weight, absmax, quant_map, quant_state: new TextEncoder().encode(state), ...(c.nested && { nested_absmax, nested_quant_map }) };
      const w = importBnb4(t);
      assert.equal(w.shape, [c.rows, c.cols]);
      const expected = bnb4Reference(t, c.n, c.blockSize, c.nested ? { blockSize: c.nestedBlockSize, offset: c.offset } : undefined);
      assertSameBits(w.dequantize(), expected, `bnb ${JSON.stringify(c)}`);
      const back = exportBnb4(w);
      assert.equal(Object.keys(back).sort(), ['weight', 'weight.absmax', 'weight.quant_map', `weight.quant_state.bitsandbytes__${c.type}`, ...(c.nested ? ['weight.nested_absmax', 'weight.nested_quant_map'] : [])].sort());
      assert.equal(bytesOf(back.weight.data), bytesOf(weight));
      assert.equal(back.weight.shape, [weight.length, 1]);
      assert.equal(bytesOf(back['weight.absmax'].data), bytesOf(absmax));
      assert.equal(bytesOf(back['weight.quant_map'].data), bytesOf(quant_map));
      assert.equal(bytesOf(back[`weight.quant_state.bitsandbytes__${c.type}`].data), bytesOf(t.quant_state));
      if (c.nested) {
        assert.equal(bytesOf(back['weight.nested_absmax'].data), bytesOf(nested_absmax));
        assert.equal(bytesOf(back['weight.nested_quant_map'].data), bytesOf(nested_quant_map));
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('ORT MatMulBnb4 NF4/FP4, f32 or f16 absmax: reference values and identical export', () => {
  const ortBnbCase = fc
    .record({ N: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 40 }), blockSize: fc.constantFrom(16, 32, 64), quantType: fc.constantFrom(0, 1), half: fc.boolean() })
    .chain((c) => {
      const n = c.N * c.K;
      return fc.record({
        c: fc.constant(c),
        B: bytes(Math.ceil(n / 2)).map((w) => (n % 2 === 1 ? w.map((v, i) => (i === w.length - 1 ? v & 0xf0 : v)) : w)),
        absmax: c.half ? halves(Math.ceil(n / c.blockSize)) : floats(Math.ceil(n / c.blockSize)),
      });
    });
  fc.assert(
    fc.property(ortBnbCase, ({ c, B, absmax }) => {
      const w = importMatMulBnb4({ B, absmax }, { K: c.K, N: c.N, block_size: c.blockSize, quant_type: c.quantType });
      assert.equal(w.shape, [c.N, c.K]);
      const values = absmax instanceof Uint16Array ? Float32Array.from(absmax, f16Bits) : absmax;
      const expected = bnb4Reference({ weight: B, absmax: values, quant_map: c.quantType === 1 ? NF4_CODEBOOK : FP4_CODEBOOK }, c.N * c.K, c.blockSize);
      assertSameBits(w.dequantize(), expected, `MatMulBnb4 ${JSON.stringify(c)}`);
      const back = exportMatMulBnb4(w, { absmaxDtype: c.half ? 'f16' : 'f32' });
      assert.equal(bytesOf(back.B.data), bytesOf(B));
      assert.equal(bytesOf(back.absmax.data), bytesOf(absmax));
      assert.equal(back.attributes, { K: c.K, N: c.N, block_size: c.blockSize, quant_type: c.quantType });
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('bnb4RowGroups: scale·codebook[q] per row group equals dequantize() when in is a multiple of blocksize', () => {
  const rowCase = fc.record({ rows: fc.integer({ min: 1, max: 4 }), blocksPerRow: fc.integer({ min: 1, max: 3 }), blockSize: fc.constantFrom(32, 64) }).chain((c) =>
    fc.record({ c: fc.constant(c), weight: bytes((c.rows * c.blocksPerRow * c.blockSize) / 2), absmax: floats(c.rows * c.blocksPerRow) }),
  );
  fc.assert(
    fc.property(rowCase, ({ c, weight, absmax }) => {
      const K = c.blocksPerRow * c.blockSize;
      const w = importBnb4({ weight, absmax, quant_map: NF4_CODEBOOK, quant_state: new TextEncoder().encode(`{"quant_type": "nf4", "blocksize": ${c.blockSize}, "dtype": "float16", "shape": [${c.rows}, ${K}]}`) });
      const g = bnb4RowGroups(w);
      assert.equal(g.shape, [c.rows, K]);
      const rowWise = Float32Array.from({ length: c.rows * K }, (_, i) => Math.fround(g.scales[Math.floor(i / K) * c.blocksPerRow + Math.floor((i % K) / g.groupSize)] * g.codebook[g.codes[i]]));
      assertSameBits(rowWise, w.dequantize(), 'row groups');
      assertSameBits(bnb4ToGroupwiseInt(w).toDense(), w.dequantize(), 'GroupwiseInt with the codebook');
    }),
    { seed: SEED, numRuns: 50 },
  );
  const straddling = importBnb4({ weight: new Uint8Array(48), absmax: new Float32Array(2), quant_map: NF4_CODEBOOK, quant_state: new TextEncoder().encode('{"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [3, 32]}') });
  assert.is(codeOf(() => bnb4RowGroups(straddling)), 'E_UNSUPPORTED');
});

test.run();
