// Element-wise dequantizers for the HF / ONNX 4-bit layouts, written from the lowbit.md §(a)
// "HF / ONNX / MLX 4-bit" table (and §2.2 for GPTQ's other widths), not from src/io/hf-quant:
// each weight is located in the raw packed tensors by its own index formula and evaluated in
// float64, rounded to f32 once (s·(q − z) of an f32 s and a small integer is one f32 product).
// They return [out, in] = [N][K] row-major, the orientation of QuantizedWeights.dequantize().

/** IEEE binary16 bits → value, from the definition (sign, 5-bit exponent bias 15, 10-bit fraction). */
export function f16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  if (e === 31) return m ? NaN : sign * Infinity;
  return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
}

const scaleValue = (scales: Uint16Array | Float32Array, i: number) => (scales instanceof Uint16Array ? f16Bits(scales[i]) : scales[i]);

/**
 * GPTQ: column n's codes are the bit string qweight[0, n] ‖ qweight[1, n] ‖ … (word r at bit 32r),
 * code k at bits [b·k, b·(k+1)); zeros likewise along N within a qzeros row. v1: z = (z' + 1) & (2^b − 1).
 */
export function gptqReference(t: { qweight: Int32Array; qzeros: Int32Array; scales: Uint16Array | Float32Array; g_idx?: Int32Array }, bits: number, groupSize: number, N: number, K: number, v2: boolean): Float32Array {
  const maxq = 2n ** BigInt(bits) - 1n;
  const stream = (words: number[]) => words.reduce((acc, w, r) => acc | (BigInt(w >>> 0) << BigInt(32 * r)), 0n);
  const codeAt = (s: bigint, i: number) => Number((s >> BigInt(bits * i)) & maxq);
  const rows = (K * bits) / 32;
  const zw = (N * bits) / 32;
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    const col = stream(Array.from({ length: rows }, (_, r) => t.qweight[r * N + n]));
    for (let k = 0; k < K; k++) {
      const g = t.g_idx ? t.g_idx[k] : Math.floor(k / groupSize);
      const zs = stream(Array.from(t.qzeros.subarray(g * zw, (g + 1) * zw)));
      const stored = codeAt(zs, n);
      const z = v2 ? stored : (stored + 1) % 2 ** bits;
      out[n * K + k] = Math.fround(scaleValue(t.scales, g * N + n) * (codeAt(col, k) - z));
    }
  }
  return out;
}

const AWQ_REV = [0, 4, 1, 5, 2, 6, 3, 7];

/** AWQ: word [k, n/8], nibble slot REV[n%8]; zeros the same in qzeros [k/g, n/8]; (q − z)·s. */
export function awqReference(t: { qweight: Int32Array; qzeros: Int32Array; scales: Uint16Array | Float32Array }, groupSize: number, N: number, K: number): Float32Array {
  const nibble = (word: number, slot: number) => Math.floor((word >>> 0) / 16 ** slot) % 16;
  const out = new Float32Array(N * K);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      const g = Math.floor(k / groupSize);
      const q = nibble(t.qweight[k * (N / 8) + Math.floor(n / 8)], AWQ_REV[n % 8]);
      const z = nibble(t.qzeros[g * (N / 8) + Math.floor(n / 8)], AWQ_REV[n % 8]);
      out[n * K + k] = Math.fround((q - z) * scaleValue(t.scales, g * N + n));
    }
  }
  return out;
}

/**
 * MatMulNBits, 4-bit: byte [n, k/bs, (k%bs)/2], low nibble for even k; zp byte [n, b/2], low nibble
 * for even b; default zp 8. 8-bit: byte [n, k/bs, k%bs]; zp byte [n, b]; default 128.
 */
export function matmulNBitsReference(t: { B: Uint8Array; scales: Uint16Array | Float32Array; zero_points?: Uint8Array }, blockSize: number, N: number, K: number, bits: 4 | 8 = 4): Float32Array {
  const kb = K / blockSize;
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      let q: number;
      let zp: number;
      if (bits === 8) {
        q = t.B[n * K + b * blockSize + (k % blockSize)];
        zp = t.zero_points ? t.zero_points[n * kb + b] : 128;
      } else {
        const byte = t.B[n * kb * (blockSize / 2) + b * (blockSize / 2) + Math.floor((k % blockSize) / 2)];
        q = k % 2 === 0 ? byte % 16 : Math.floor(byte / 16);
        zp = 8;
        if (t.zero_points) {
          const zbyte = t.zero_points[n * Math.ceil(kb / 2) + Math.floor(b / 2)];
          zp = b % 2 === 0 ? zbyte % 16 : Math.floor(zbyte / 16);
        }
      }
      out[n * K + k] = Math.fround((q - zp) * scaleValue(t.scales, n * kb + b));
    }
  }
  return out;
}

/**
 * bitsandbytes: flat f, byte f/2, HIGH nibble when f is even; code[q]·absmax[f/bs]; a nested absmax
 * is f32(f32(nestedMap[a_i]·nestedAbsmax[i/nbs]) + offset).
 */
export function bnb4Reference(
  t: { weight: Uint8Array; absmax: Float32Array | Uint8Array; quant_map: Float32Array; nested_absmax?: Float32Array; nested_quant_map?: Float32Array },
  n: number,
  blockSize: number,
  nested?: { blockSize: number; offset: number },
): Float32Array {
  const absmaxAt = (i: number) =>
    nested ? Math.fround(Math.fround(t.nested_quant_map![t.absmax[i]] * t.nested_absmax![Math.floor(i / nested.blockSize)]) + Math.fround(nested.offset)) : t.absmax[i];
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) {
    const byte = t.weight[Math.floor(f / 2)];
    const q = f % 2 === 0 ? Math.floor(byte / 16) : byte % 16;
    out[f] = Math.fround(t.quant_map[q] * absmaxAt(Math.floor(f / blockSize)));
  }
  return out;
}
