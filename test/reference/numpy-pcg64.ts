// numpy's default_rng(seed) (SeedSequence → PCG64 XSL-RR 128/64) and Generator.integers(low, high) for ranges
// < 2^32 (Lemire's bounded method on next_uint32, low half of each 64-bit output first), written from numpy's
// documented algorithms (bit_generator.pyx SeedSequence, pcg64.h, distributions.c) to regenerate the golden data
// of sc_encoded_mac.md A.11 without numpy.
const M32 = 0xffffffffn;
const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;
const MULT = 0x2360ed051fc65da44385df649fccf645n;

const mul32 = (a: number, b: number) => Math.imul(a, b) >>> 0;

function seedSequenceState(seed: number, words: number): number[] {
  const INIT_A = 0x43b0d7e5, MULT_A = 0x931e8875, INIT_B = 0x8b51f9dd, MULT_B = 0x58f38ded;
  const MIX_L = 0xca01f9dd, MIX_R = 0x4973f715;
  let hashA = INIT_A;
  const hashmix = (value: number) => {
    value = (value ^ hashA) >>> 0;
    hashA = mul32(hashA, MULT_A);
    value = mul32(value, hashA);
    return (value ^ (value >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number) => {
    const r = (mul32(MIX_L, x) - mul32(MIX_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  const entropy = [seed >>> 0];
  const pool = [0, 0, 0, 0].map((_, i) => hashmix(i < entropy.length ? entropy[i] : 0));
  for (let s = 0; s < 4; s++) for (let d = 0; d < 4; d++) if (s !== d) pool[d] = mix(pool[d], hashmix(pool[s]));
  let hashB = INIT_B;
  const out: number[] = [];
  for (let i = 0; i < words; i++) {
    let v = (pool[i % 4] ^ hashB) >>> 0;
    hashB = mul32(hashB, MULT_B);
    v = mul32(v, hashB);
    out.push((v ^ (v >>> 16)) >>> 0);
  }
  return out;
}

/** default_rng(seed).integers(low, high, size) for high − low ≤ 2^32 − 1 (int64 dtype). */
export function numpyIntegers(seed: number, low: number, high: number, size: number): number[] {
  const w = seedSequenceState(seed, 8);
  const u64 = (i: number) => (BigInt(w[2 * i + 1]) << 32n) | BigInt(w[2 * i]); // uint32 pairs viewed as little-endian uint64
  const initState = (u64(0) << 64n) | u64(1);
  const initSeq = (u64(2) << 64n) | u64(3);
  let state = 0n;
  const inc = ((initSeq << 1n) | 1n) & M128;
  const step = () => (state = (state * MULT + inc) & M128);
  step();
  state = (state + initState) & M128;
  step();
  let half: number | undefined;
  const next32 = (): number => {
    if (half !== undefined) {
      const h = half;
      half = undefined;
      return h;
    }
    step();
    const x = ((state >> 64n) ^ state) & M64;
    const rot = Number(state >> 122n);
    const out = ((x >> BigInt(rot)) | (x << BigInt((64 - rot) & 63))) & M64;
    half = Number(out >> 32n);
    return Number(out & M32);
  };
  const rng = high - low - 1;
  const excl = rng + 1;
  const threshold = Number((0xffffffffn - BigInt(rng)) % BigInt(excl));
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    let m = BigInt(next32()) * BigInt(excl);
    let leftover = Number(m & M32);
    if (leftover < excl) {
      while (leftover < threshold) {
        m = BigInt(next32()) * BigInt(excl);
        leftover = Number(m & M32);
      }
    }
    values.push(low + Number(m >> 32n));
  }
  return values;
}
