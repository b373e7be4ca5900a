// GroupwiseInt: the packed code layout (hand-derived golden chunks), toDense against an independent
// element-wise float64 model, conversions from and to the quantizers' QuantizedWeights, byte round
// trips, typed errors; and the int-group kernels on every build: dequantization bit-identical to
// toDense, GEMV / GEMM within the float32 summation bound of the float64 reference, batched GEMM equal
// to the dense GEMM over the dequantized weights.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Dense, GroupwiseInt, QuantizedWeights, quantizeGptq, quantizeRtn, type QuantMode } from '../src/index.js';
import { packCodes } from '../src/formats/int-planes.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { randomFloats } from './reference/linear.js';
import { halfValue, randomGroupwise, referenceCode, referenceLinear, referenceOrder, referenceQ8Gemv, referenceWeights, type RandomMode, type RandomSpec } from './reference/int-group.js';
import { ggufCodec } from '../src/formats/gguf/matrix.js';

const SEED = 20261201;
const MODES: RandomMode[] = ['symmetric', 'asymmetric', 'hybrid', 'codebook'];
const U32 = 2 ** -24;

const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const sameBits = (a: Float32Array, b: ArrayLike<number>) => {
  const want = bitsOf(Float32Array.from(b));
  const got = bitsOf(a);
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) return `element ${i}: ${a[i]} (0x${got[i].toString(16)}) vs ${b[i]} (0x${want[i].toString(16)})`;
  return a.length === want.length ? undefined : `length ${a.length} vs ${want.length}`;
};

/** Shapes × group sizes covering one group per row, groups on chunk boundaries, odd groups and short last groups. */
function specs(): RandomSpec[] {
  const out: RandomSpec[] = [];
  let i = 0;
  for (const bits of [1, 2, 3, 4, 5, 6, 7, 8]) {
    for (const mode of MODES) {
      for (const [rows, cols, groupSize] of [[5, 96, 32], [7, 100, 32], [3, 13, 13], [9, 70, 64], [4, 45, 7], [6, 64, 1000]] as const) {
        const f16 = i++ % 2 === 0;
        out.push({ rows, cols, bits, groupSize, mode, f16, actOrder: i % 5 === 0 });
      }
    }
  }
  return out;
}

const layout = suite('GroupwiseInt layout');

layout('golden chunks: 4-bit j / j+16 nibbles, 8-bit bytes, 2-bit quarters, 1-bit, 5-bit nibbles + fifth bits', () => {
  const ramp = (n: number, mod: number) => Array.from({ length: n }, (_, e) => e % mod);
  // 4 bits, code e mod 16: byte j = element j (low nibble) | element j+16 (high nibble) = j·0x11.
  assert.equal([...packCodes(ramp(32, 16), 1, 32, 4)], Array.from({ length: 16 }, (_, j) => j * 0x11));
  assert.equal([...packCodes(ramp(32, 256), 1, 32, 8)], ramp(32, 256));
  // 2 bits, code e mod 4: byte j holds elements j, j+8, j+16, j+24, all ≡ j mod 4 → (j mod 4)·0x55.
  assert.equal([...packCodes(ramp(32, 4), 1, 32, 2)], [0x00, 0x55, 0xaa, 0xff, 0x00, 0x55, 0xaa, 0xff]);
  // 1 bit, only element 5 set: byte 5 mod 4 = 1, bit ⌊5/4⌋ = 1.
  assert.equal([...packCodes(ramp(32, 32).map((e) => +(e === 5)), 1, 32, 1)], [0, 2, 0, 0]);
  // 5 bits, code e: nibbles as 4-bit (j | (j+16)&15 << 4 = j·0x11), fifth bit set for e ≥ 16 → bits 4…7 of bytes 0…3.
  assert.equal([...packCodes(ramp(32, 32), 1, 32, 5)], [...Array.from({ length: 16 }, (_, j) => j * 0x11), 0xf0, 0xf0, 0xf0, 0xf0]);
  // 3 bits, code e mod 8 = 2-bit plane (8 bytes: low bits, (j mod 4)·0x55) then 1-bit plane (4 bytes):
  // bit 2 is set for e mod 8 ≥ 4, i.e. e/4 odd → bits 1, 3, 5, 7 of every byte = 0xaa. A 40-column row
  // pads its second chunk (elements 0…7 = codes 0…7) with 0: bit 2 of elements 4…7 → bit 1 of bytes 0…3.
  const three = packCodes(ramp(40, 8), 1, 40, 3);
  assert.is(three.length, 24);
  assert.equal([...three.subarray(0, 12)], [0x00, 0x55, 0xaa, 0xff, 0x00, 0x55, 0xaa, 0xff, 0xaa, 0xaa, 0xaa, 0xaa]);
  assert.equal([...three.subarray(12)], [0x00, 0x01, 0x02, 0x03, 0x00, 0x01, 0x02, 0x03, 0x02, 0x02, 0x02, 0x02]);
});

layout('packed codes read back through the documented rule, every bits value and ragged rows', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 100 }), fc.integer(), (bits, rows, cols, seed) => {
      const codes = Uint8Array.from(randomFloats(rows * cols, seed), (v) => Math.floor(((v + 1) / 2) * 2 ** bits) % 2 ** bits);
      const packed = packCodes(codes, rows, cols, bits);
      assert.is(packed.length, rows * Math.ceil(cols / 32) * 4 * bits);
      for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) assert.is(referenceCode(packed, cols, bits, r, k), codes[r * cols + k]);
    }),
    { seed: SEED, numRuns: 60 },
  );
});

const format = suite('GroupwiseInt format');

format('toDense equals the element-wise float64 formula (every bits, mode, scale dtype, act-order, odd shape)', () => {
  specs().forEach((spec, i) => {
    const f = randomGroupwise(spec, SEED + i);
    const err = sameBits(f.toDense(), referenceWeights(f).w);
    assert.is(err, undefined, `${JSON.stringify(spec)}: ${err}`);
  });
});

format('signed zeros: q = z gives the sign of s; codebook −0 kept; f16 subnormal scales widened exactly', () => {
  const f = new GroupwiseInt({ shape: [2, 2], bits: 4, groupSize: 2, codes: packCodes([8, 9, 8, 7], 2, 2, 4), scales: Uint16Array.of(0xbc00, 0x0001) });
  const w = f.toDense();
  assert.ok(Object.is(w[0], -0)); // (8 − 8)·(−1)
  assert.is(w[1], -1);
  assert.ok(Object.is(w[2], 0));
  assert.is(w[3], -(2 ** -24)); // smallest f16 subnormal × (7 − 8)
  const book = new GroupwiseInt({ shape: [1, 1], bits: 1, groupSize: 1, codes: packCodes([1], 1, 1, 1), scales: Float32Array.of(3), codebook: Float32Array.of(1, -0) });
  assert.ok(Object.is(book.toDense()[0], -0));
});

format('fromQuantized keeps every value (RTN every mode/dtype, GPTQ with act-order); toQuantized gives the same arrays back', () => {
  const rows = 6;
  const cols = 64;
  const w = randomFloats(rows * cols, SEED);
  for (const mode of ['symmetric', 'asymmetric', 'hybrid'] as QuantMode[]) {
    for (const scaleDtype of ['f32', 'f16'] as const) {
      for (const [bits, groupSize] of [[4, 32], [3, 16], [8, 64], [2, 8]] as const) {
        const q = quantizeRtn(w, [rows, cols], { bits, groupSize, mode, scaleDtype }).format;
        const f = GroupwiseInt.fromQuantized(q);
        assert.is(f.mode, mode);
        assert.is(sameBits(f.toDense(), q.dequantize()), undefined);
        assertSameQuantized(f.toQuantized(), q);
      }
    }
  }
  const x = randomFloats(40 * cols, SEED + 1);
  const g = quantizeGptq(w, [rows, cols], { calibration: x, bits: 4, groupSize: 16, actOrder: true, mode: "asymmetric" }).format;
  assert.ok(g.gIdx, 'act-order GPTQ has g_idx');
  const f = GroupwiseInt.fromQuantized(g);
  assert.is(sameBits(f.toDense(), g.dequantize()), undefined);
  assertSameQuantized(f.toQuantized(), g);
  assert.is(sameBits(GroupwiseInt.fromBytes(f.toBytes()).toDense(), g.dequantize()), undefined);
});

function assertSameQuantized(a: QuantizedWeights, b: QuantizedWeights): void {
  assert.equal([a.shape, a.bits, a.groupSize, a.mode, a.scaleDtype], [b.shape, b.bits, b.groupSize, b.mode, b.scaleDtype]);
  assert.equal([...a.codes], [...b.codes]);
  assert.equal([...a.scales], [...b.scales]);
  assert.equal(a.zeros && [...a.zeros], b.zeros && [...b.zeros]);
  assert.equal(a.symmetric && [...a.symmetric], b.symmetric && [...b.symmetric]);
  assert.equal(a.gIdx && [...a.gIdx], b.gIdx && [...b.gIdx]);
}

format('bytes round trip is exact; bitsPerWeight counts codes and overhead', () => {
  specs().forEach((spec, i) => {
    const f = randomGroupwise(spec, SEED + i);
    const back = GroupwiseInt.fromBytes(f.toBytes());
    assert.equal([back.shape, back.bits, back.groupSize, back.mode, back.scaleDtype], [f.shape, f.bits, f.groupSize, f.mode, f.scaleDtype]);
    assert.equal([...back.codes], [...f.codes]);
    assert.equal([...back.scales], [...f.scales]);
    assert.equal(back.zeros && [...back.zeros], f.zeros && [...f.zeros]);
    assert.equal(back.symmetric && [...back.symmetric], f.symmetric && [...f.symmetric]);
    assert.equal(back.codebook && [...back.codebook], f.codebook && [...f.codebook]);
    assert.equal(back.gIdx && [...back.gIdx], f.gIdx && [...f.gIdx]);
  });
  // int4, group 32, f16 scales, u8 zeros: 4 + 16/32 + 8/32 = 4.75 bits per weight.
  const f = randomGroupwise({ rows: 8, cols: 256, bits: 4, groupSize: 32, mode: 'asymmetric', f16: true }, SEED);
  assert.is(f.bitsPerWeight, 4.75);
});

format('bad input → BitsieveError (E_FORMAT for inconsistent data, E_CORRUPT for damaged bytes)', () => {
  const good = randomGroupwise({ rows: 3, cols: 40, bits: 4, groupSize: 16, mode: 'hybrid', f16: false, actOrder: true }, SEED);
  const base = { shape: good.shape, bits: good.bits, groupSize: good.groupSize, codes: good.codes, scales: good.scales, zeros: good.zeros, symmetric: good.symmetric, gIdx: good.gIdx };
  const tweak = (change: object) => codeOf(() => new GroupwiseInt({ ...base, ...change }));
  assert.is(tweak({}), 'no error');
  assert.is(tweak({ bits: 9 }), 'E_FORMAT');
  assert.is(tweak({ bits: 2.5 }), 'E_FORMAT');
  assert.is(tweak({ groupSize: 0 }), 'E_FORMAT');
  assert.is(tweak({ codes: good.codes.slice(1) }), 'E_FORMAT');
  const padded = good.codes.slice();
  padded[16 + 8] |= 0x80; // row 0, second chunk, element 24 of the chunk = column 56 ≥ 40: padding
  assert.is(tweak({ codes: padded }), 'E_FORMAT');
  assert.is(tweak({ scales: Float32Array.from(good.scales, (s, i) => (i === 2 ? NaN : s)) }), 'E_FORMAT');
  assert.is(tweak({ scales: Float64Array.from(good.scales) }), 'E_FORMAT');
  // binary16 scales: ±Inf (0x7c00, 0xfc00) and NaN (0x7e01) rejected; the largest finite (0x7bff) and −0 accepted.
  const halves = (h: number) => Uint16Array.from(good.scales, (_, i) => (i === 4 ? h : 0x3c00));
  for (const h of [0x7c00, 0xfc00, 0x7e01]) assert.is(tweak({ scales: halves(h) }), 'E_FORMAT', `0x${h.toString(16)}`);
  for (const h of [0x7bff, 0xfbff, 0x8000]) assert.is(tweak({ scales: halves(h) }), 'no error', `0x${h.toString(16)}`);
  assert.is(tweak({ zeros: Uint8Array.from(good.zeros!, (z, i) => (i === 0 ? 16 : z)) }), 'E_FORMAT');
  assert.is(tweak({ zeros: undefined }), 'E_FORMAT'); // flags without zeros
  assert.is(tweak({ symmetric: Uint8Array.of(0xff, 0xff) }), 'E_FORMAT'); // symmetric groups need z = 8
  assert.is(tweak({ codebook: new Float32Array(16) }), 'E_FORMAT'); // codebook with zeros
  assert.is(tweak({ gIdx: Int32Array.from(good.gIdx!, () => 0) }), 'E_FORMAT');
  assert.is(tweak({ gIdx: Int32Array.from(good.gIdx!, (g, k) => (k === 0 ? 7 : g)) }), 'E_FORMAT');
  assert.is(tweak({ shape: [3, -1] }), 'E_RANGE');
  assert.is(codeOf(() => GroupwiseInt.fromQuantized({} as QuantizedWeights)), 'E_DTYPE');
  const book = randomGroupwise({ rows: 2, cols: 8, bits: 2, groupSize: 8, mode: 'codebook', f16: true }, SEED);
  assert.is(codeOf(() => book.toQuantized()), 'E_UNSUPPORTED');
  assert.is(codeOf(() => randomGroupwise({ rows: 2, cols: 9, bits: 2, groupSize: 4, mode: 'symmetric', f16: true }, SEED).toQuantized()), 'E_UNSUPPORTED');
  // Damaged bytes: every truncation, and random byte flips, fail with E_CORRUPT or parse to a valid object.
  const bytes = good.toBytes();
  for (const n of [0, 3, 8, 27, bytes.length - 1]) assert.ok(['E_CORRUPT', 'E_DTYPE'].includes(codeOf(() => GroupwiseInt.fromBytes(bytes.subarray(0, n)))), `truncated to ${n}`);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const bad = bytes.slice();
      bad[at] ^= flip;
      const code = codeOf(() => GroupwiseInt.fromBytes(bad).validate());
      assert.ok(['no error', 'E_CORRUPT', 'E_UNSUPPORTED'].includes(code), `byte ${at} ^ ${flip}: ${code}`);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

layout.run();
format.run();

eachVariant('int-group kernels', (test) => {
  test('int_dequant_group is bit-identical to toDense (every bits, mode, scale dtype, act-order, odd shape)', ({ bs }) => {
    specs().forEach((spec, i) => {
      const f = randomGroupwise(spec, SEED + i);
      using layer = bs.linear(f);
      const err = sameBits(layer.dequantize(), f.toDense());
      assert.is(err, undefined, `${JSON.stringify(spec)}: ${err}`);
      const out = new Float32Array(f.shape[0] * f.shape[1]);
      assert.is(bs.dequantize(f, out), out);
      assert.is(sameBits(out, f.toDense()), undefined, `bs.dequantize ${JSON.stringify(spec)}`);
    });
  });

  test('every finite binary16 scale is widened exactly (dequant and GEMV, fast grid: group 32)', ({ bs }) => {
    const halves = Array.from({ length: 0x10000 }, (_, h) => h).filter((h) => (h & 0x7c00) !== 0x7c00);
    const rows = halves.length / 32; // 1984 rows × 32 groups of 32
    const cols = 1024;
    // Symmetric 8-bit, every code 129: w = s·(129 − 128) = s.
    const f = new GroupwiseInt({ shape: [rows, cols], bits: 8, groupSize: 32, codes: new Uint8Array(rows * cols).fill(129), scales: Uint16Array.from(halves) });
    using layer = bs.linear(f);
    const w = layer.dequantize();
    // bs.dequantize streams bands of rows (2M weights here: more than one band) through the same kernel.
    assert.is(sameBits(bs.dequantize(f), w), undefined);
    for (let i = 0; i < halves.length; i++) {
      const want = halfValue(halves[i]);
      for (const k of [0, 31]) assert.ok(Object.is(w[i * 32 + k], want), `half 0x${halves[i].toString(16)}: ${w[i * 32 + k]} vs ${want}`);
    }
    // GEMV with x = 1 on the first input of every group: y[r] = Σ_g s[r, g].
    const x = Float32Array.from({ length: cols }, (_, k) => (k % 32 === 0 ? 1 : 0));
    const y = layer.forward(x);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      let mag = 0;
      for (let g = 0; g < 32; g++) {
        sum += halfValue(halves[r * 32 + g]);
        mag += Math.abs(halfValue(halves[r * 32 + g])) * 257; // |s|·(q + z)
      }
      assert.ok(Math.abs(y[r] - sum) <= (cols + 40) * U32 * mag, `row ${r}: ${y[r]} vs ${sum}`);
    }
  });

  test('GEMV and GEMM within the float32 summation bound of the float64 reference; bias, relu', ({ bs }) => {
    specs().forEach((spec, i) => {
      const f = randomGroupwise(spec, SEED + i);
      const ref = referenceWeights(f);
      const [rows, cols] = f.shape;
      const groups = Math.ceil(cols / f.groupSize);
      const relu = i % 3 === 0;
      const bias = i % 2 === 0 ? randomFloats(rows, i) : undefined;
      using layer = bs.linear(f, { bias, activation: relu ? 'relu' : 'none' });
      for (const batch of [1, 2, 5, 9]) {
        const x = randomFloats(batch * cols, SEED + 7 * i + batch);
        const y = layer.forward(x, batch);
        const want = referenceLinear(ref, rows, cols, x, batch, bias, relu);
        for (let o = 0; o < y.length; o++) {
          const tol = (cols + groups + 8) * U32 * want.scale[o] + 1e-30;
          assert.ok(Math.abs(y[o] - want.y[o]) <= tol, `${JSON.stringify(spec)} batch ${batch}: y[${o}] = ${y[o]}, reference ${want.y[o]}, tolerance ${tol}`);
        }
      }
    });
  });

  test("'q8' activations: exactly the emulated integer path over reference-quantized x, close to float64", ({ bs }) => {
    const q8 = ggufCodec('Q8_0');
    const shapes = [[5, 96, 32], [7, 100, 32], [9, 70, 64], [6, 64, 1000], [19, 200, 96], [11, 33, 32]] as const;
    let i = 0;
    for (const bits of [1, 2, 3, 4, 5, 6, 7, 8]) {
      for (const mode of ['symmetric', 'asymmetric', 'hybrid'] as RandomMode[]) {
        for (const [rows, cols, groupSize] of shapes) {
          i++;
          const f = randomGroupwise({ rows, cols, bits, groupSize, mode, f16: i % 2 === 0, actOrder: i % 5 === 0 }, SEED + i);
          const bias = i % 3 === 0 ? randomFloats(rows, i) : undefined;
          const relu = i % 4 === 0;
          using layer = bs.linear(f, { bias, activation: relu ? 'relu' : 'none', activations: 'q8' });
          const x = randomFloats(cols, SEED + 3 * i);
          const y = layer.forward(x);
          // Stored column order, zero-padded to whole chunks, quantized by the reference Q8_0 quantizer.
          const chunks = Math.ceil(cols / 32);
          const stored = new Float32Array(32 * chunks);
          referenceOrder(f).forEach((input, j) => (stored[j] = x[input]));
          const xq = new Uint8Array(34 * chunks);
          q8.quantize!(stored, 0, xq, 0, chunks);
          const want = referenceQ8Gemv(f, xq, bias, relu);
          const where = `${bits}-bit ${mode} [${rows}, ${cols}] g${groupSize}`;
          for (let r = 0; r < rows; r++) assert.ok(Object.is(y[r], want[r]), `${where} row ${r}: ${y[r]} vs ${want[r]}`);
          // Against float64 over the dequantized activations (input order): the float steps' rounding only.
          const xd = new Float32Array(32 * chunks);
          q8.dequantize(xq, 0, xd, 0, chunks);
          const xin = new Float32Array(cols);
          referenceOrder(f).forEach((input, j) => (xin[input] = xd[j]));
          const ref = referenceLinear(referenceWeights(f), rows, cols, xin, 1, bias, relu);
          for (let r = 0; r < rows; r++) {
            const tol = (2 * chunks + 8) * U32 * ref.scale[r] * 1.01 + 1e-30;
            assert.ok(Math.abs(y[r] - ref.y[r]) <= tol, `${where} row ${r}: ${y[r]} vs float64 ${ref.y[r]} (tolerance ${tol})`);
          }
        }
      }
    }
  });

  test("'q8' activations: typed errors for grids without integer codes, bad option values and non-finite inputs", ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const book = randomGroupwise({ rows: 3, cols: 64, bits: 3, groupSize: 32, mode: 'codebook', f16: false }, SEED);
    assert.is(codeOf(() => bs.linear(book, { activations: 'q8' })), 'E_UNSUPPORTED');
    const odd = randomGroupwise({ rows: 3, cols: 64, bits: 4, groupSize: 16, mode: 'symmetric', f16: true }, SEED);
    assert.is(codeOf(() => bs.linear(odd, { activations: 'q8' })), 'E_UNSUPPORTED');
    assert.is(codeOf(() => bs.linear(odd, { activations: 'int8' as 'q8' })), 'E_RANGE');
    using layer = bs.linear(randomGroupwise({ rows: 3, cols: 40, bits: 4, groupSize: 40, mode: 'asymmetric', f16: true }, SEED), { activations: 'q8' });
    const x = new Float32Array(40);
    x[7] = Number.NaN;
    assert.is(codeOf(() => layer.forward(x)), 'E_RANGE');
    x[7] = 1;
    assert.is(layer.forward(x).length, 3);
    layer.dispose();
    assert.is(bs.heap.inUseBytes, before);
  });

  test('batched GEMM equals the dense GEMM over the dequantized weights bit for bit', ({ bs }) => {
    for (const spec of [{ rows: 19, cols: 100, bits: 4, groupSize: 32, mode: 'asymmetric', f16: true }, { rows: 8, cols: 64, bits: 3, groupSize: 7, mode: 'codebook', f16: false, actOrder: false }] as RandomSpec[]) {
      const f = randomGroupwise(spec, SEED);
      const bias = randomFloats(spec.rows, SEED);
      using layer = bs.linear(f, { bias });
      using dense = bs.linear(Dense.from(f.toDense(), f.shape), { bias });
      for (const batch of [2, 7]) {
        const x = randomFloats(batch * spec.cols, batch);
        assert.is(sameBits(layer.forward(x), dense.forward(x)), undefined);
      }
    }
  });

  test('batched GEMM equals the dense GEMM bit for bit on fast grids: bits 1–8, zeros, f16, partial panels, k tails, several panel blocks', ({ bs }) => {
    // 37 rows: four whole 8-row panels (two 4-row quads each) and one of 5 rows (a quad, one lone row,
    // three zero rows); 4100 inputs: 129 chunks per panel row, so the 512 KiB blocks hold 3 panels.
    const shapes = [[37, 100, 32], [16, 64, 64], [37, 4100, 32], [12, 40, 1000]] as const;
    let i = 0;
    for (const bits of [1, 2, 3, 4, 5, 6, 7, 8]) {
      for (const mode of ['symmetric', 'asymmetric', 'hybrid'] as RandomMode[]) {
        for (const [rows, cols, groupSize] of shapes) {
          if (cols > 1000 && bits !== 4 && bits !== 3) continue; // the long rows once per code-width family (4: specialised, 3: generic)
          const spec: RandomSpec = { rows, cols, bits, groupSize, mode, f16: i++ % 2 === 0 };
          const f = randomGroupwise(spec, SEED + i);
          const bias = randomFloats(rows, SEED + i);
          using layer = bs.linear(f, { bias, activation: i % 3 === 0 ? 'relu' : 'none' });
          using dense = bs.linear(Dense.from(f.toDense(), f.shape), { bias, activation: i % 3 === 0 ? 'relu' : 'none' });
          for (const batch of [2, 7]) {
            const x = randomFloats(batch * cols, SEED + batch + i);
            const err = sameBits(layer.forward(x, batch), dense.forward(x, batch));
            assert.is(err, undefined, `${JSON.stringify(spec)} batch ${batch}: ${err}`);
          }
        }
      }
    }
  });

  test('large int4 g32: GEMV within tolerance; resident bytes ≤ 1.05 × packed bytes', ({ bs }) => {
    const f = randomGroupwise({ rows: 256, cols: 1024, bits: 4, groupSize: 32, mode: 'asymmetric', f16: true }, SEED);
    using layer = bs.linear(f);
    const packed = f.codes.byteLength + f.scales.byteLength + f.zeros!.byteLength;
    assert.ok(layer.residentBytes <= 1.05 * packed, `${layer.residentBytes} > 1.05 × ${packed}`);
    const x = randomFloats(1024, SEED);
    const y = layer.forward(x);
    const want = referenceLinear(referenceWeights(f), 256, 1024, x, 1, undefined, false);
    for (let o = 0; o < 256; o++) assert.ok(Math.abs(y[o] - want.y[o]) <= (1024 + 32 + 8) * U32 * want.scale[o], `y[${o}]`);
  });

  test('empty shapes: in = 0 gives the bias, out = 0 gives nothing', ({ bs }) => {
    for (const mode of MODES) {
      using none = bs.linear(randomGroupwise({ rows: 3, cols: 0, bits: 4, groupSize: 32, mode, f16: true }, SEED), { bias: [1, -2, 3], activation: 'relu' });
      assert.equal([...none.forward(new Float32Array(0), 1)], [1, 0, 3]);
      assert.equal([...none.forward(new Float32Array(0), 2)], [1, 0, 3, 1, 0, 3]);
      using empty = bs.linear(randomGroupwise({ rows: 0, cols: 5, bits: 3, groupSize: 2, mode, f16: false }, SEED));
      assert.is(empty.forward(new Float32Array(10), 2).length, 0);
    }
  });

  test('forward on bad activations → typed errors, nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const layer = bs.linear(randomGroupwise({ rows: 3, cols: 40, bits: 5, groupSize: 8, mode: 'hybrid', f16: true, actOrder: true }, SEED));
    assert.is(codeOf(() => layer.forward(new Float32Array(41))), 'E_SHAPE');
    assert.is(codeOf(() => layer.forward([1, 2] as unknown as Float32Array)), 'E_DTYPE');
    layer.dispose();
    assert.is(codeOf(() => layer.forward(new Float32Array(40))), 'E_DISPOSED');
    assert.is(bs.heap.inUseBytes, before);
  });
});
