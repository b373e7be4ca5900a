// Comparator SNG encoding (sc_encoded_mac.md §1.1, §2.1, §5, §10): values → bit-packed streams on the
// `sc_sng` kernel. Each output stream compares a threshold X with a source sequence:
//   X = q(p·2^w)                      p = the unipolar value, or (x + 1)/2 for a bipolar x ('before-quantization')
//   X = q(x·2^(w−1)) + 2^(w−1)        bipolar with 'after-quantization' (quantize x itself, then offset)
//   bit_t = X > R_t   (comparator '>', default)   or   X >= R_t   ('>=')
// Integral streams (range m > 1, Ardakani et al.): a value v ∈ [0, m] (unipolar) or [−m, m] (bipolar) is m
// binary planes, each encoding v/m with its own source (see `select`); the per-cycle value is the sum of the
// planes' bits (unipolar) or of their ±1 (bipolar), whose mean is v.
import { BitsieveError, describe } from '../runtime/errors.js';
import type { Runtime } from '../runtime/runtime.js';
import { quantizer, type ScQuantization } from './quantize.js';
import { checkSource, type ScSource } from './sources/source.js';
import { StreamBatch, type ScEncoding } from './stream.js';

export type ScComparator = '>' | '>=';

export interface EncodeOptions {
  /** Stream length L in cycles (≥ 1). */
  length: number;
  /** Source sequence(s) (lfsr, sobol, vanDerCorput, ramp, uniform, or your own { bits, values }); all of one
   *  width w. A stream reads R_t = values[t mod values.length]. */
  source: ScSource | readonly ScSource[];
  /** Which source each output stream (plane) uses: one index per output stream, in output order (values × planes).
   *  Default: output stream k uses source k mod sources.length. */
  select?: ArrayLike<number>;
  /** Phase of each output stream in its source (integers ≥ 0, one per output stream): stream k reads
   *  R_t = values[(t + offset_k) mod n] — e.g. one LFSR period shared by many streams at different phases
   *  (§10: a seed is a phase of one table). Default 0 for every stream. */
  offsets?: ArrayLike<number>;
  /** 'unipolar' (default; p ∈ [0, 1]) or 'bipolar' (x ∈ [−1, 1]). */
  encoding?: ScEncoding;
  /** 'before-quantization' (default: X = q((x+1)/2·2^w)) or 'after-quantization' (X = q(x·2^(w−1)) + 2^(w−1)). */
  bipolarMapping?: 'before-quantization' | 'after-quantization';
  /** Comparator: '>' (default, bit = X > R) or '>=' (bit = X ≥ R). */
  comparator?: ScComparator;
  /** Quantization rule of X. Default 'round-half-even'. */
  quantization?: ScQuantization;
  /** Integral range m ≥ 1: each value becomes m planes (stream count = values.length · m). Default 1. */
  range?: number;
}

/** Comparator thresholds per output stream, in the kernel's form bit = R < threshold. Exported for tests. */
export function encodeThresholds(values: ArrayLike<number>, bits: number, options: Omit<EncodeOptions, 'length' | 'source'>): Float64Array {
  const encoding = options.encoding ?? 'unipolar';
  if (encoding !== 'unipolar' && encoding !== 'bipolar') throw new BitsieveError('E_RANGE', `encode encoding: expected 'unipolar' or 'bipolar', received ${describe(encoding)}`);
  const mapping = options.bipolarMapping ?? 'before-quantization';
  if (mapping !== 'before-quantization' && mapping !== 'after-quantization') throw new BitsieveError('E_RANGE', `encode bipolarMapping: expected 'before-quantization' or 'after-quantization', received ${describe(mapping)}`);
  const comparator = options.comparator ?? '>';
  if (comparator !== '>' && comparator !== '>=') throw new BitsieveError('E_RANGE', `encode comparator: expected '>' or '>=', received ${describe(comparator)}`);
  const q = quantizer(options.quantization ?? 'round-half-even');
  const m = options.range ?? 1;
  if (!Number.isInteger(m) || m < 1 || m > 2 ** 16) throw new BitsieveError('E_RANGE', `encode range: expected an integer in [1, 65536], received ${describe(m)}`);
  const scale = 2 ** bits;
  const lo = encoding === 'bipolar' ? -m : 0;
  const out = new Float64Array(values.length * m);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= lo && v <= m)) {
      throw new BitsieveError('E_RANGE', `encode values[${i}]: expected a ${encoding} value in [${lo}, ${m}], received ${describe(v)}`);
    }
    const plane = v / m;
    let x: number;
    if (encoding === 'unipolar') x = q(plane * scale);
    else if (mapping === 'before-quantization') x = q(((plane + 1) / 2) * scale);
    else x = q(plane * (scale / 2)) + scale / 2;
    const threshold = comparator === '>' ? x : x + 1;
    out.fill(threshold, i * m, (i + 1) * m);
  }
  return out;
}

/**
 * Encodes values as stochastic streams with the comparator SNG (`X > R_t` by default).
 *
 * @example
 * ```ts
 * const bs = await init();
 * const source = lfsr({ width: 8, insertZero: true });           // 256 values, a permutation of 0..255
 * const batch = bs.sc.encode([0.25, 0.5], { length: 256, source }); // 2 streams, 64 and 128 ones
 * bs.sc.decode(batch);                                              // Float64Array [0.25, 0.5]
 * ```
 */
export function encode(runtime: Runtime, values: ArrayLike<number>, options: EncodeOptions): StreamBatch {
  if (options === null || typeof options !== 'object') throw new BitsieveError('E_DTYPE', `encode options: expected an object, received ${describe(options)}`);
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new BitsieveError('E_DTYPE', `encode values: expected an array of numbers, received ${describe(values)}`);
  }
  const length = options.length;
  if (!Number.isInteger(length) || length < 1 || length > 2 ** 28) throw new BitsieveError('E_RANGE', `encode length: expected an integer in [1, 2^28] (cycles), received ${describe(length)}`);
  const sources = (Array.isArray(options.source) ? options.source : [options.source]) as readonly ScSource[];
  if (sources.length === 0) throw new BitsieveError('E_RANGE', 'encode source: expected at least one source');
  sources.forEach((s, k) => checkSource(`encode source[${k}]`, s));
  const bits = sources[0].bits;
  for (const s of sources) if (s.bits !== bits) throw new BitsieveError('E_RANGE', `encode source: every source must have the same width, received ${bits} and ${s.bits} bits`);

  const thresholds = encodeThresholds(values, bits, options);
  const count = thresholds.length;
  const select = perStream('select', options.select, count, sources.length, (k) => k % sources.length);
  const offsets = perStream('offsets', options.offsets, count, 2 ** 31, () => 0);
  let maxOffset = 0;
  for (let k = 0; k < count; k++) {
    offsets[k] %= sources[select[k]].values.length;
    maxOffset = Math.max(maxOffset, offsets[k]);
  }

  const batch = new StreamBatch(count, length);
  if (count === 0) return batch;
  const laneBytes = bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
  const sourceElems = batch.stride * 32 + maxOffset;
  const heap = runtime.heap;
  const ptrs: number[] = [];
  try {
    const pThresholds = alloc(count * 8);
    const pSelect = alloc(count * 4);
    const pOffsets = alloc(count * 4);
    const pSources = alloc(sources.length * sourceElems * laneBytes);
    const pOut = alloc(count * batch.stride * 4);
    // Views after every allocation (an allocation can grow memory and detach earlier views).
    const buffer = heap.u8(0, 0).buffer as ArrayBuffer;
    new Float64Array(buffer, pThresholds, count).set(thresholds);
    new Int32Array(buffer, pSelect, count).set(select);
    new Int32Array(buffer, pOffsets, count).set(offsets);
    const Lane = laneBytes === 1 ? Uint8Array : laneBytes === 2 ? Uint16Array : Uint32Array;
    sources.forEach((s, k) => {
      // values[t mod n] for t < sourceElems, so every stream reads offset + t without wrapping.
      const dst = new Lane(buffer, pSources + k * sourceElems * laneBytes, sourceElems);
      const n = s.values.length;
      for (let t = 0; t < sourceElems; t += n) dst.set(s.values.subarray(0, Math.min(n, sourceElems - t)), t);
    });
    runtime.kernels.sc_sng(pThresholds, pSelect, pOffsets, pSources, sourceElems, laneBytes, length, count, pOut);
    batch.words.set(new Uint32Array(heap.u8(0, 0).buffer as ArrayBuffer, pOut, count * batch.stride));
  } finally {
    for (const p of ptrs) heap.release(p);
  }
  return batch;

  function alloc(bytes: number): number {
    const p = heap.alloc(bytes);
    ptrs.push(p);
    return p;
  }
}

/** One integer in [0, bound) per output stream (validated), or `fallback(k)` for each when not given. */
function perStream(name: string, given: ArrayLike<number> | undefined, count: number, bound: number, fallback: (k: number) => number): Int32Array {
  const out = new Int32Array(count);
  if (given === undefined) {
    for (let k = 0; k < count; k++) out[k] = fallback(k);
    return out;
  }
  if (given === null || typeof given !== 'object' || given.length !== count) {
    throw new BitsieveError('E_SHAPE', `encode ${name}: expected ${count} integers (one per output stream: values × range), received ${describe(given)}`);
  }
  for (let k = 0; k < count; k++) {
    const v = given[k];
    if (!Number.isInteger(v) || v < 0 || v >= bound) throw new BitsieveError('E_RANGE', `encode ${name}[${k}]: expected an integer in [0, ${bound}), received ${describe(v)}`);
    out[k] = v;
  }
  return out;
}
