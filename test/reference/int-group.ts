// Independent float64 model of GroupwiseInt (src/formats/groupwise-int.ts) read from its documented
// layout, plus a generator of random valid instances for the tests.
import { GroupwiseInt, type GroupwiseIntData } from '../../src/index.js';
import { floatToHalf } from '../../src/formats/half.js';
import { packCodes } from '../../src/formats/int-planes.js';

/** The documented plane widths of each code size, lowest code bits first. */
const PLANES: Record<number, number[]> = { 1: [1], 2: [2], 3: [2, 1], 4: [4], 5: [4, 1], 6: [4, 2], 7: [4, 2, 1], 8: [8] };

/** Code of input position j (stored order) of row r, read bit by bit from the documented layout. */
export function referenceCode(codes: Uint8Array, cols: number, bits: number, r: number, j: number): number {
  const chunkBytes = 4 * bits;
  const base = r * Math.ceil(cols / 32) * chunkBytes + Math.floor(j / 32) * chunkBytes;
  const e = j % 32;
  let code = 0;
  let planeStart = 0;
  let low = 0;
  for (const p of PLANES[bits]) {
    const byte = codes[base + planeStart + (e % (4 * p))];
    const field = Math.floor(byte / 2 ** (p * Math.floor(e / (4 * p)))) % 2 ** p;
    code += field * 2 ** low;
    low += p;
    planeStart += 4 * p;
  }
  return code;
}

/** binary16 bits → value, from the IEEE definition. */
export function halfValue(h: number): number {
  const sign = h >= 0x8000 ? -1 : 1;
  const e = Math.floor(h / 1024) % 32;
  const m = h % 1024;
  if (e === 0) return sign * 2 ** -14 * (m / 1024);
  return sign * 2 ** (e - 15) * (1 + m / 1024);
}

/** Stored column j → input column, sorting inputs by (group, index). */
export function referenceOrder(f: GroupwiseInt): number[] {
  const cols = f.shape[1];
  const ks = Array.from({ length: cols }, (_, k) => k);
  return f.gIdx ? ks.sort((a, b) => f.gIdx![a] - f.gIdx![b] || a - b) : ks;
}

export interface ReferenceWeights {
  /** f32-rounded weights [out, in], input order. */
  w: Float64Array;
  /** |s|·(q + z) (or |s·codebook[q]|) per weight: the magnitudes the fused GEMV adds up. */
  mag: Float64Array;
}

/** Element-wise: w = f32(s·(q − z)) or f32(s·codebook[q]), in float64 then rounded once. */
export function referenceWeights(f: GroupwiseInt): ReferenceWeights {
  const [rows, cols] = f.shape;
  const groups = Math.ceil(cols / f.groupSize);
  const order = referenceOrder(f);
  const w = new Float64Array(rows * cols);
  const mag = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const cell = r * groups + Math.floor(j / f.groupSize);
      const s = f.scales instanceof Uint16Array ? halfValue(f.scales[cell]) : f.scales[cell];
      const q = referenceCode(f.codes, cols, f.bits, r, j);
      const z = f.zeros ? f.zeros[cell] : 2 ** (f.bits - 1);
      const i = r * cols + order[j];
      w[i] = Math.fround(f.codebook ? s * f.codebook[q] : s * (q - z));
      mag[i] = f.codebook ? Math.abs(w[i]) : Math.abs(s) * (q + z);
    }
  }
  return { w, mag };
}

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type RandomMode = 'symmetric' | 'asymmetric' | 'hybrid' | 'codebook';

export interface RandomSpec {
  rows: number;
  cols: number;
  bits: number;
  groupSize: number;
  mode: RandomMode;
  f16: boolean;
  actOrder?: boolean;
}

/** A random valid instance: random codes, scales of both signs over many binades, zeros, codebook, g_idx. */
export function randomGroupwise(spec: RandomSpec, seed: number): GroupwiseInt {
  const { rows, cols, bits, groupSize, mode, f16 } = spec;
  const rand = rng(seed);
  const groups = Math.ceil(cols / groupSize);
  const cells = rows * groups;
  const maxq = 2 ** bits - 1;
  const codes = Uint8Array.from({ length: rows * cols }, () => Math.floor(rand() * (maxq + 1)));
  const scale = () => (rand() < 0.2 ? -1 : 1) * Math.fround(2 ** (rand() * 12 - 8) * (1 + rand()));
  const data: { -readonly [K in keyof GroupwiseIntData]: GroupwiseIntData[K] } = {
    shape: [rows, cols],
    bits,
    groupSize,
    codes: packCodes(codes, rows, cols, bits),
    scales: f16 ? Uint16Array.from({ length: cells }, () => (rand() < 0.05 ? 1 + Math.floor(rand() * 1023) : floatToHalf(scale()))) : Float32Array.from({ length: cells }, scale),
  };
  if (mode === 'asymmetric' || mode === 'hybrid') data.zeros = Uint8Array.from({ length: cells }, () => Math.floor(rand() * (maxq + 1)));
  if (mode === 'hybrid') {
    const flags = new Uint8Array(Math.ceil(cells / 8));
    for (let i = 0; i < cells; i++) {
      if (rand() < 0.5) {
        flags[i >> 3] |= 1 << (i & 7);
        data.zeros![i] = 2 ** (bits - 1);
      }
    }
    data.symmetric = flags;
  }
  if (mode === 'codebook') data.codebook = Float32Array.from({ length: maxq + 1 }, () => Math.fround(rand() * 2 - 1));
  if (spec.actOrder) {
    // Inputs shuffled, then the i-th input of the shuffle joins group ⌊i / groupSize⌋ (GPTQ's act-order).
    const perm = Array.from({ length: cols }, (_, k) => k);
    for (let i = cols - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const gIdx = new Int32Array(cols);
    perm.forEach((k, i) => (gIdx[k] = Math.floor(i / groupSize)));
    data.gIdx = gIdx;
  }
  return new GroupwiseInt(data);
}

/** Float64 y = act(x·Wᵀ + b) and the per-output error scale Σ|x|·mag + |b|. */
export function referenceLinear(ref: ReferenceWeights, rows: number, cols: number, x: Float32Array, batch: number, bias: Float32Array | undefined, relu: boolean) {
  const y = new Float64Array(batch * rows);
  const scale = new Float64Array(batch * rows);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      let s = bias ? bias[r] : 0;
      let m = bias ? Math.abs(bias[r]) : 0;
      for (let k = 0; k < cols; k++) {
        s += x[b * cols + k] * ref.w[r * cols + k];
        m += Math.abs(x[b * cols + k]) * ref.mag[r * cols + k];
      }
      y[b * rows + r] = relu ? Math.max(s, 0) : s;
      scale[b * rows + r] = m;
    }
  }
  return { y, scale };
}

/**
 * The 'q8' activation path of the group-wise GEMV, emulated with one Math.fround per float operation:
 * xq = Q8_0 blocks of x in stored column order, zero-padded to whole 32-element chunks; per row
 * sum = Σ_chunks f32(Σ q·xq − z·Σ xq) · f32(s·dy) (each step rounded), y = act(f32(sum + bias)).
 */
export function referenceQ8Gemv(f: GroupwiseInt, xq: Uint8Array, bias: Float32Array | undefined, relu: boolean): Float32Array {
  const [rows, cols] = f.shape;
  const f32 = Math.fround;
  const groups = Math.ceil(cols / f.groupSize);
  const chunks = Math.ceil(cols / 32);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < chunks; c++) {
      const cell = r * groups + Math.floor((32 * c) / f.groupSize);
      const s = f.scales instanceof Uint16Array ? halfValue(f.scales[cell]) : f.scales[cell];
      const z = f.zeros ? f.zeros[cell] : 2 ** (f.bits - 1);
      const dy = halfValue(xq[34 * c] + 256 * xq[34 * c + 1]);
      let dot = 0;
      let sx = 0;
      for (let e = 0; e < 32; e++) {
        const v = xq[34 * c + 2 + e] >= 128 ? xq[34 * c + 2 + e] - 256 : xq[34 * c + 2 + e];
        if (32 * c + e < cols) dot += referenceCode(f.codes, cols, f.bits, r, 32 * c + e) * v;
        sx += v;
      }
      sum = f32(sum + f32(f32(dot - z * sx) * f32(s * dy)));
    }
    const v = f32(sum + (bias ? bias[r] : 0));
    y[r] = relu ? Math.max(v, 0) : v;
  }
  return y;
}
