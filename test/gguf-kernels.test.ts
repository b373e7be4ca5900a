// GGUF block kernels (assembly/quant): every gguf_dequant_* against the TypeScript codecs bit for bit (random
// blocks, every byte value in every code position, every fp16 scale), the Q8_0/Q8_1 activation quantizers
// against the codecs' reference quantizers byte for byte, and identical bits in every build.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ggufCodec } from '../src/formats/gguf/matrix.js';
import { ggufType } from '../src/formats/gguf/types.js';
import type { Bitsieve, KernelExports } from '../src/index.js';
import { eachVariant, initVariant, runnableVariants } from './helpers/variants.js';
import { runBlockKernel, wasmBytes } from './helpers/wasm-bytes.js';
import { randomFloats } from './reference/linear.js';

const SEED = 20261201;
const DEQUANT_TYPES = ['F16', 'BF16', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'IQ4_NL', 'MXFP4'] as const;
type DequantType = (typeof DEQUANT_TYPES)[number];

const kernelName = (type: DequantType) => `gguf_dequant_${type.toLowerCase()}` as keyof KernelExports;

function randomBytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) & 0xff;
  });
}

const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const isNaNBits = (u: number) => (u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0;

function tsDequant(type: DequantType, src: Uint8Array, blocks: number): Float32Array {
  const info = ggufType(type);
  const out = new Float32Array(blocks * info.blockElems);
  ggufCodec(type).dequantize(src, 0, out, 0, blocks);
  return out;
}

function wasmDequant(bs: Bitsieve, type: DequantType, src: Uint8Array, blocks: number): Float32Array {
  const run = bs.kernels[kernelName(type)] as unknown as (s: number, d: number, n: number) => void;
  return runBlockKernel(bs, run, src, blocks, blocks * ggufType(type).blockElems);
}

/**
 * The guarantee we test: every non-NaN element has exactly the codec's bits (so −0.0 where ggml gives −0.0);
 * F16/BF16 NaNs have exactly the codec's bits too (integer path, payload kept). For block types a NaN scale
 * gives NaN elements wherever the codec has NaN (their payload is the engine's choice; across our builds it
 * is checked separately to be identical).
 */
function expectSameBits(type: DequantType, got: Float32Array, want: Float32Array, what: string): void {
  const g = bitsOf(got);
  const w = bitsOf(want);
  assert.is(g.length, w.length, `${what}: length`);
  const exactNaN = type === 'F16' || type === 'BF16';
  for (let i = 0; i < w.length; i++) {
    if (g[i] === w[i]) continue;
    if (!exactNaN && isNaNBits(g[i]) && isNaNBits(w[i])) continue;
    assert.unreachable(`${what}: element ${i} is 0x${g[i].toString(16)} (${got[i]}), the codec gives 0x${w[i].toString(16)} (${want[i]})`);
  }
}

/** Blocks of `type` whose byte `pos` runs through 0..255 (others from `base`), for every position in `positions`. */
function byteSweep(base: Uint8Array, positions: number[]): Uint8Array {
  const bytes = base.length;
  const out = new Uint8Array(positions.length * 256 * bytes);
  let at = 0;
  for (const p of positions) {
    for (let v = 0; v < 256; v++, at += bytes) {
      out.set(base, at);
      out[at + p] = v;
    }
  }
  return out;
}

/** Blocks whose 16-bit field at `pos` runs through all 65536 patterns. */
function halfSweep(base: Uint8Array, pos: number): Uint8Array {
  const bytes = base.length;
  const out = new Uint8Array(65536 * bytes);
  for (let h = 0; h < 65536; h++) {
    out.set(base, h * bytes);
    out[h * bytes + pos] = h & 0xff;
    out[h * bytes + pos + 1] = h >> 8;
  }
  return out;
}

/** Byte offsets of each type's scale fields and of its code bytes. */
const LAYOUT: Record<Exclude<DequantType, 'F16' | 'BF16'>, { halves: number[]; codes: number[] }> = {
  Q4_0: { halves: [0], codes: range(2, 18) },
  Q4_1: { halves: [0, 2], codes: range(4, 20) },
  Q5_0: { halves: [0], codes: range(2, 22) },
  Q5_1: { halves: [0, 2], codes: range(4, 24) },
  Q8_0: { halves: [0], codes: range(2, 34) },
  IQ4_NL: { halves: [0], codes: range(2, 18) },
  MXFP4: { halves: [], codes: range(0, 17) }, // byte 0 (E8M0) swept like a code byte: all 256 scales
};

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

eachVariant('gguf_dequant_* vs the TypeScript codecs', (test) => {
  test('random blocks (random scales include subnormals, ±0, ±inf and NaN)', ({ bs }) => {
    DEQUANT_TYPES.forEach((type, t) => {
      for (const blocks of [1, 3, 8, 61]) {
        const src = randomBytes(blocks * ggufType(type).blockBytes, SEED + 97 * t + blocks);
        expectSameBits(type, wasmDequant(bs, type, src, blocks), tsDequant(type, src, blocks), `${type} × ${blocks}`);
      }
    });
  });

  test('every byte value in every byte position of a block (fixed negative and positive scales)', ({ bs }) => {
    for (const [type, layout] of Object.entries(LAYOUT) as [Exclude<DequantType, 'F16' | 'BF16'>, (typeof LAYOUT)['Q4_0']][]) {
      for (const scale of [0xb940, 0x3c01]) {
        const base = randomBytes(ggufType(type).blockBytes, SEED + scale);
        for (const h of layout.halves) {
          base[h] = scale & 0xff;
          base[h + 1] = scale >> 8;
        }
        if (type === 'MXFP4') base[0] = 120;
        const src = byteSweep(base, layout.codes);
        const blocks = src.length / base.length;
        expectSameBits(type, wasmDequant(bs, type, src, blocks), tsDequant(type, src, blocks), `${type} byte sweep, scale 0x${scale.toString(16)}`);
      }
    }
  });

  test('every fp16 scale pattern (d and, for Q4_1/Q5_1, m)', ({ bs }) => {
    for (const [type, layout] of Object.entries(LAYOUT) as [Exclude<DequantType, 'F16' | 'BF16'>, (typeof LAYOUT)['Q4_0']][]) {
      for (const pos of layout.halves) {
        const base = randomBytes(ggufType(type).blockBytes, SEED + pos + 7);
        const codes = layout.codes;
        base[codes[0]] = 0x08; // element 0: code 8 (Q4_0: value 0, so −0.0 for negative d)
        base[codes[1]] = 0x80;
        const src = halfSweep(base, pos);
        expectSameBits(type, wasmDequant(bs, type, src, 65536), tsDequant(type, src, 65536), `${type} half sweep at byte ${pos}`);
      }
    }
  });

  test('F16 and BF16: all 65536 patterns, bits kept exactly (NaN payloads too); tails of 1..7 elements', ({ bs }) => {
    const all = new Uint8Array(2 * 65536);
    for (let h = 0; h < 65536; h++) {
      all[2 * h] = h & 0xff;
      all[2 * h + 1] = h >> 8;
    }
    for (const type of ['F16', 'BF16'] as const) {
      expectSameBits(type, wasmDequant(bs, type, all, 65536), tsDequant(type, all, 65536), `${type} all patterns`);
      for (let n = 1; n < 24; n++) {
        const src = all.subarray(2 * (0x7c00 - 5), 2 * (0x7c00 - 5 + n)).slice();
        expectSameBits(type, wasmDequant(bs, type, src, n), tsDequant(type, src, n), `${type} × ${n}`);
      }
    }
  });

  test('anchor blocks from lowbit.md §(b)3 (literal hex): Q4_0 with three −0.0, Q8_0, Q4_1', ({ bs }) => {
    const q40 = Uint8Array.from(Buffer.from('40b96c5b5b5b4a4a3a393928282817170606', 'hex'));
    const y = wasmDequant(bs, 'Q4_0', q40, 1);
    assert.equal([...y.subarray(0, 12)], [-2.625, -1.96875, -1.96875, -1.96875, -1.3125, -1.3125, -1.3125, -0.65625, -0.65625, -0, -0, -0]);
    for (const j of [9, 10, 11]) assert.ok(Object.is(y[j], -0), `element ${j} is −0.0`);
    assert.equal([...y.subarray(28)], [4.59375, 4.59375, 5.25, 5.25]);
    const q80 = Uint8Array.from(Buffer.from('4b29c4cad0d6dce2e8eef4fa00060c12181e242a30363c43494f555b61676d73797f', 'hex'));
    assert.equal([...wasmDequant(bs, 'Q8_0', q80, 1).subarray(0, 4)], [-2.4810791015625, -2.23297119140625, -1.98486328125, -1.73675537109375]);
    const q41 = Uint8Array.from(Buffer.from('223800c180809191a2a2b3b3c4c4d5d5e6e6f7f7', 'hex'));
    assert.equal([...wasmDequant(bs, 'Q4_1', q41, 1).subarray(0, 4)], [-2.5, -2.5, -1.9833984375, -1.9833984375]);
  });

  test('zero blocks write nothing; a kernel writes exactly blocks·elems floats', ({ bs }) => {
    for (const type of DEQUANT_TYPES) {
      const info = ggufType(type);
      const src = randomBytes(3 * info.blockBytes, SEED + 5);
      const d = wasmBytes(bs, (3 * info.blockElems + 4) * 4);
      const s = wasmBytes(bs, src.length, src);
      const run = bs.kernels[kernelName(type)] as unknown as (a: number, b: number, n: number) => void;
      d.f32(3 * info.blockElems + 4).fill(7);
      run(s.ptr, d.ptr, 0);
      assert.ok(d.f32(3 * info.blockElems + 4).every((v) => v === 7), `${type}: 0 blocks`);
      run(s.ptr, d.ptr, 3);
      assert.equal([...d.f32(3 * info.blockElems + 4).subarray(3 * info.blockElems)], [7, 7, 7, 7], `${type}: no write past the end`);
      s.dispose();
      d.dispose();
    }
  });
});

/** Activation blocks: random floats, exact ties (x·id = n + 0.5), zeros, tiny (subnormal f16 d) and huge (inf d). */
function activationCases(): Float32Array[] {
  const ties = Float32Array.from({ length: 64 }, (_, j) => (j < 32 ? (j === 0 ? 127 : j - 16.5) : j === 32 ? -127 : 40.5 - j));
  const tiny = randomFloats(32, SEED + 3).map((v) => v * 1e-5);
  const huge = randomFloats(32, SEED + 4).map((v) => v * 3e7);
  const mixed = randomFloats(32 * 37, SEED + 6).map((v, i) => (i % 97 === 0 ? 0 : v * 2 ** ((i % 23) - 11)));
  return [randomFloats(32 * 5, SEED + 1), ties, new Float32Array(64), Float32Array.from(tiny), Float32Array.from(huge), Float32Array.from(mixed)];
}

eachVariant('gguf_quantize_q8_0 / q8_1 vs the reference quantizers', (test) => {
  test('byte-identical blocks (roundf ties away from zero, d = 0, subnormal and overflowing f16 scales)', ({ bs }) => {
    for (const type of ['Q8_0', 'Q8_1'] as const) {
      const info = ggufType(type);
      const run = bs.kernels[type === 'Q8_0' ? 'gguf_quantize_q8_0' : 'gguf_quantize_q8_1'];
      activationCases().forEach((x, c) => {
        const blocks = x.length / 32;
        const want = new Uint8Array(blocks * info.blockBytes);
        ggufCodec(type).quantize!(x, 0, want, 0, blocks);
        const xs = wasmBytes(bs, x.byteLength, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
        const d = wasmBytes(bs, want.length + 4);
        run(xs.ptr, d.ptr, blocks);
        assert.equal(Buffer.from(d.bytes().subarray(0, want.length)).toString('hex'), Buffer.from(want).toString('hex'), `${type} case ${c}`);
        assert.equal([...d.bytes().subarray(want.length)], [0, 0, 0, 0], `${type} case ${c}: no write past the end`);
        xs.dispose();
        d.dispose();
      });
    }
  });
});

const across = suite('GGUF kernels: identical bits in every build');

across('dequantization (random blocks incl. NaN/inf scales, compared as u32) and activation quantization', async () => {
  const variants = runnableVariants();
  const results = new Map<string, string[]>();
  for (const variant of variants) {
    const bs = await initVariant(variant);
    const out: string[] = [];
    DEQUANT_TYPES.forEach((type, t) => {
      const src = randomBytes(173 * ggufType(type).blockBytes, SEED + 1000 + t);
      out.push(Buffer.from(wasmDequant(bs, type, src, 173).buffer).toString('hex'));
    });
    for (const type of ['Q8_0', 'Q8_1'] as const) {
      for (const x of activationCases()) {
        const xs = wasmBytes(bs, x.byteLength, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
        const n = (x.length / 32) * ggufType(type).blockBytes;
        const d = wasmBytes(bs, n);
        bs.kernels[type === 'Q8_0' ? 'gguf_quantize_q8_0' : 'gguf_quantize_q8_1'](xs.ptr, d.ptr, x.length / 32);
        out.push(Buffer.from(d.bytes()).toString('hex'));
        xs.dispose();
        d.dispose();
      }
    }
    results.set(variant, out);
  }
  const [first, ...rest] = variants;
  for (const v of rest) {
    results.get(first)!.forEach((hex, i) => assert.ok(hex === results.get(v)![i], `${first} vs ${v}: output ${i} differs`));
  }
});

across.run();
