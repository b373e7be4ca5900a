// XNNPACK's packed sparse 1×1-convolution weights (f32-spmm, NCHW), kept exactly as XNNPACK packs them so
// models pruned for XNNPACK's sparse inference import without conversion:
//   nonzeroValues          f32: per output-channel block its NR biases, then NR interleaved weights
//                          w[oc0][ic], w[oc1][ic], … for every input channel ic where any of the block's
//                          rows is nonzero (a "nonzero block"; its zeros are stored too);
//   inputChannelDiffs      i32: (ic_next − ic) · 4 bytes between successive nonzero blocks, one chain over
//                          the whole matrix; the last entry wraps back to the first (firstInputChannel);
//   outputChannelNonzeros  u32: nonzero blocks per output-channel block.
// Output channels left over when NR does not divide N follow as NR = 1 blocks.
import { BitsieveError, describe } from '../runtime/errors.js';
import { MAX_ELEMENTS, expectFinite, expectInteger, expectShape2 } from '../runtime/validate.js';
import { readFramed, writeFramed } from './bytes.js';
import type { MatrixFormat } from './format.js';

const MAGIC = 'BXSP';
const VERSION = 1;

/** Output channels per block (XNNPACK's NR). */
export type XnnBlockSize = 1 | 2 | 4;

/** The arrays and scalars of an XNNPACK f32-spmm packing (what `xnn_pack_f32_spmm_w` writes). */
export interface XnnSpmmPacking {
  outChannels: number;
  inChannels: number;
  blockSize: XnnBlockSize;
  /** Input channel of the first nonzero block (0 when there is none). */
  firstInputChannel: number;
  /** Byte differences (channels · 4) between successive nonzero blocks; the last one wraps around. */
  inputChannelDiffs: Int32Array;
  /** Nonzero blocks per output-channel block: ⌊N / NR⌋ + N mod NR entries. */
  outputChannelNonzeros: Uint32Array;
  /** Biases and weights, block by block (see the file header). */
  nonzeroValues: Float32Array;
}

export interface XnnSpmmFromDenseOptions {
  /** NR, or 'auto' (default): XNNPACK's choice — 4 when whole 4-row blocks are ≥ 90 % full
   *  (nonzeros·5 ≥ blocks·18), else 2 under the same rule for pairs, else 1. Like XNNPACK, a matrix with
   *  no nonzero 4-block (all zeros, or fewer than 4 rows) passes the first test and gets 4. */
  blockSize?: XnnBlockSize | 'auto';
  /** One value per output channel, packed in front of each block. Default: zeros. */
  bias?: ArrayLike<number>;
}

export class XnnSpmm implements MatrixFormat {
  readonly kind = 'xnn-spmm' as const;
  /** [outChannels, inChannels]. */
  readonly shape: readonly [number, number];
  /** NR: output channels per block (the N mod NR channels left over are blocks of one). */
  readonly blockSize: XnnBlockSize;
  /** Input channel of the first nonzero block (0 when there is none). */
  readonly firstInputChannel: number;
  /** Byte steps (channels · 4) between successive nonzero blocks, last one wrapping to the first. */
  readonly inputChannelDiffs: Int32Array;
  /** Nonzero blocks per output-channel block. */
  readonly outputChannelNonzeros: Uint32Array;
  /** Per block: NR biases, then NR interleaved weights per nonzero block. */
  readonly nonzeroValues: Float32Array;

  private constructor(p: XnnSpmmPacking) {
    const [out, inC] = expectShape2('XnnSpmm shape', [p.outChannels, p.inChannels]);
    this.shape = Object.freeze([out, inC] as const);
    this.blockSize = expectBlockSize(p.blockSize);
    this.firstInputChannel = expectInteger('XnnSpmm firstInputChannel', p.firstInputChannel);
    this.inputChannelDiffs = expectArray('inputChannelDiffs', p.inputChannelDiffs, Int32Array);
    this.outputChannelNonzeros = expectArray('outputChannelNonzeros', p.outputChannelNonzeros, Uint32Array);
    this.nonzeroValues = expectArray('nonzeroValues', p.nonzeroValues, Float32Array);
    this.validate();
  }

  /**
   * Imports weights packed by XNNPACK (or anything that writes its layout). The arrays are copied and
   * every invariant is checked — counts, value length, diffs in whole channels, the diff chain staying
   * inside [0, inChannels) and wrapping back to `firstInputChannel`, ascending channels per block,
   * finite values — so a kernel never sees an inconsistent packing (E_FORMAT / E_DTYPE / E_RANGE).
   */
  static fromXnnpack(packing: XnnSpmmPacking): XnnSpmm {
    if (packing === null || typeof packing !== 'object') {
      throw new BitsieveError('E_DTYPE', `XnnSpmm.fromXnnpack: expected an object of arrays, received ${describe(packing)}`);
    }
    return new XnnSpmm({
      ...packing,
      inputChannelDiffs: expectArray('inputChannelDiffs', packing.inputChannelDiffs, Int32Array).slice(),
      outputChannelNonzeros: expectArray('outputChannelNonzeros', packing.outputChannelNonzeros, Uint32Array).slice(),
      nonzeroValues: expectArray('nonzeroValues', packing.nonzeroValues, Float32Array).slice(),
    });
  }

  /** Packs dense [out, in] weights exactly as XNNPACK's `xnn_pack_f32_spmm_w` does (zero = `== 0`). */
  static fromDense(w: ArrayLike<number>, shape: readonly [number, number], options: XnnSpmmFromDenseOptions = {}): XnnSpmm {
    const [N, K] = expectShape2('XnnSpmm.fromDense shape', shape);
    if (w === null || typeof w !== 'object' || w.length !== N * K) {
      throw new BitsieveError('E_SHAPE', `XnnSpmm.fromDense: shape [${N}, ${K}] needs ${N * K} values, received ${describe(w)}`);
    }
    const bias = options.bias;
    if (bias !== undefined && (bias === null || typeof bias !== 'object' || bias.length !== N)) {
      throw new BitsieveError('E_SHAPE', `XnnSpmm.fromDense bias: expected ${N} values, received ${describe(bias)}`);
    }
    const requested = options.blockSize ?? 'auto';
    const nr = requested === 'auto' ? chooseBlockSize(w, N, K) : expectBlockSize(requested);
    const full = Math.floor(N / nr);
    const blockOf = (b: number) => (b < full ? { oc: b * nr, rows: nr } : { oc: full * nr + (b - full), rows: 1 });
    const numBlocks = full + (N % nr);

    // First pass sizes the arrays, second fills them.
    let nzBlocks = 0;
    let values = N;
    for (let b = 0; b < numBlocks; b++) {
      const { oc, rows } = blockOf(b);
      for (let ic = 0; ic < K; ic++) {
        if (anyNonzero(w, oc, rows, ic, K)) {
          nzBlocks++;
          values += rows;
        }
      }
    }
    const diffs = new Int32Array(nzBlocks);
    const counts = new Uint32Array(numBlocks);
    const nonzeroValues = new Float32Array(values);
    let v = 0;
    let g = 0;
    let first = -1;
    let last = 0;
    for (let b = 0; b < numBlocks; b++) {
      const { oc, rows } = blockOf(b);
      for (let r = 0; r < rows; r++) nonzeroValues[v++] = bias ? bias[oc + r] : 0;
      for (let ic = 0; ic < K; ic++) {
        if (!anyNonzero(w, oc, rows, ic, K)) continue;
        for (let r = 0; r < rows; r++) nonzeroValues[v++] = w[(oc + r) * K + ic];
        if (first < 0) first = ic;
        else diffs[g++] = (ic - last) * 4;
        last = ic;
        counts[b]++;
      }
    }
    if (first >= 0) diffs[g++] = (first - last) * 4; // wrap back to the first nonzero
    return new XnnSpmm({
      outChannels: N,
      inChannels: K,
      blockSize: nr,
      firstInputChannel: Math.max(first, 0),
      inputChannelDiffs: diffs,
      outputChannelNonzeros: counts,
      nonzeroValues,
    });
  }

  static fromBytes(bytes: Uint8Array): XnnSpmm {
    const { header, payload } = readFramed(bytes, MAGIC, VERSION, 6);
    const [out, inC, nr, firstInputChannel, nzBlocks, numValues] = header;
    if (nr !== 1 && nr !== 2 && nr !== 4) throw new BitsieveError('E_CORRUPT', `XnnSpmm.fromBytes: expected block size 1, 2 or 4, received ${nr}`);
    if (out * inC > MAX_ELEMENTS || nzBlocks > MAX_ELEMENTS || numValues > MAX_ELEMENTS) {
      throw new BitsieveError('E_CORRUPT', `XnnSpmm.fromBytes: absurd size [${out}, ${inC}], ${nzBlocks} nonzero blocks, ${numValues} values`);
    }
    const numBlocks = Math.floor(out / nr) + (out % nr);
    const need = 4 * (nzBlocks + numBlocks + numValues);
    if (payload.byteLength !== need) throw new BitsieveError('E_CORRUPT', `XnnSpmm.fromBytes: expected ${need} payload bytes, received ${payload.byteLength}`);
    const copy = payload.slice(); // aligned, owned by the new object
    try {
      return new XnnSpmm({
        outChannels: out,
        inChannels: inC,
        blockSize: nr,
        firstInputChannel,
        inputChannelDiffs: new Int32Array(copy.buffer, 0, nzBlocks),
        outputChannelNonzeros: new Uint32Array(copy.buffer, 4 * nzBlocks, numBlocks),
        nonzeroValues: new Float32Array(copy.buffer, 4 * (nzBlocks + numBlocks), numValues),
      });
    } catch (err) {
      if (err instanceof BitsieveError && (err.code === 'E_FORMAT' || err.code === 'E_SHAPE')) throw new BitsieveError('E_CORRUPT', `XnnSpmm.fromBytes: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Output-channel blocks: ⌊N / NR⌋ of NR rows, then N mod NR of one row. */
  get numBlocks(): number {
    return this.outputChannelNonzeros.length;
  }

  /** Nonzero blocks over the whole matrix (= diffs = increments the kernel reads). */
  get numNonzeroBlocks(): number {
    return this.inputChannelDiffs.length;
  }

  /** Stored weights, zeros inside nonzero blocks included (biases excluded). */
  get storedWeights(): number {
    return this.nonzeroValues.length - this.shape[0];
  }

  /** The packed biases, one per output channel. */
  get bias(): Float32Array {
    const bias = new Float32Array(this.shape[0]);
    this.walk((oc, rows, v) => bias.set(this.nonzeroValues.subarray(v, v + rows), oc));
    return bias;
  }

  /** Stored weights (32 bits) + a 32-bit channel step per nonzero block + a 32-bit count per output-channel
   *  block, over rows·cols weights. Biases are not counted (a dense layer stores them too). */
  get bitsPerWeight(): number {
    const [rows, cols] = this.shape;
    if (rows * cols === 0) return 0;
    return (32 * (this.storedWeights + this.numNonzeroBlocks + this.numBlocks)) / (rows * cols);
  }

  validate(): this {
    const [N, K] = this.shape;
    const nr = this.blockSize;
    const { inputChannelDiffs: diffs, outputChannelNonzeros: counts, nonzeroValues: values } = this;
    const full = Math.floor(N / nr);
    const numBlocks = full + (N % nr);
    if (counts.length !== numBlocks) {
      throw new BitsieveError('E_FORMAT', `XnnSpmm outputChannelNonzeros: expected ⌊${N}/${nr}⌋ + ${N} mod ${nr} = ${numBlocks} entries, received ${counts.length}`);
    }
    let nzBlocks = 0;
    let expectValues = N;
    for (let b = 0; b < numBlocks; b++) {
      if (counts[b] > K) throw new BitsieveError('E_FORMAT', `XnnSpmm outputChannelNonzeros[${b}]: expected at most inChannels = ${K}, received ${counts[b]}`);
      nzBlocks += counts[b];
      expectValues += counts[b] * (b < full ? nr : 1);
    }
    if (nzBlocks !== diffs.length) {
      throw new BitsieveError('E_FORMAT', `XnnSpmm: the counts sum to ${nzBlocks} nonzero blocks, but inputChannelDiffs has ${diffs.length} entries`);
    }
    if (values.length !== expectValues) {
      throw new BitsieveError('E_FORMAT', `XnnSpmm nonzeroValues: expected N + Σ NR·count = ${expectValues} values, received ${values.length}`);
    }
    const first = this.firstInputChannel;
    if (nzBlocks === 0 ? first !== 0 : first >= K) {
      throw new BitsieveError('E_FORMAT', `XnnSpmm firstInputChannel: expected ${nzBlocks === 0 ? '0 (no nonzeros)' : `< ${K}`}, received ${first}`);
    }
    // Walk the chain: every position inside [0, K), ascending within a block, the last step back home.
    let ic = first;
    let g = 0;
    for (let b = 0; b < numBlocks; b++) {
      let prev = -1;
      for (let j = 0; j < counts[b]; j++, g++) {
        if (ic <= prev) throw new BitsieveError('E_FORMAT', `XnnSpmm block ${b}: expected ascending input channels, received ${prev} then ${ic}`);
        prev = ic;
        const d = diffs[g];
        if (d % 4 !== 0) throw new BitsieveError('E_FORMAT', `XnnSpmm inputChannelDiffs[${g}]: expected a multiple of 4 bytes (f32 channels), received ${d}`);
        ic += d / 4;
        if (g === nzBlocks - 1) {
          if (ic !== first) throw new BitsieveError('E_FORMAT', `XnnSpmm inputChannelDiffs[${g}]: the last entry must wrap back to channel ${first}, it lands on ${ic}`);
        } else if (ic < 0 || ic >= K) {
          throw new BitsieveError('E_FORMAT', `XnnSpmm inputChannelDiffs[${g}]: leads to input channel ${ic}, outside [0, ${K})`);
        }
      }
    }
    expectFinite('XnnSpmm nonzeroValues', values);
    return this;
  }

  /** Dense [out, in] weights (biases excluded: see `bias`). */
  toDense(): Float32Array {
    const K = this.shape[1];
    const w = new Float32Array(this.shape[0] * K);
    const values = this.nonzeroValues;
    const diffs = this.inputChannelDiffs;
    let ic = this.firstInputChannel;
    let g = 0;
    this.walk((oc, rows, v, count) => {
      v += rows; // past the biases
      for (let j = 0; j < count; j++, g++) {
        for (let r = 0; r < rows; r++) w[(oc + r) * K + ic] = values[v++];
        ic += diffs[g] / 4;
      }
    });
    return w;
  }

  /** The packing in XNNPACK's terms (copies), e.g. to hand back to XNNPACK-shaped tooling. */
  toXnnpack(): XnnSpmmPacking {
    return {
      outChannels: this.shape[0],
      inChannels: this.shape[1],
      blockSize: this.blockSize,
      firstInputChannel: this.firstInputChannel,
      inputChannelDiffs: this.inputChannelDiffs.slice(),
      outputChannelNonzeros: this.outputChannelNonzeros.slice(),
      nonzeroValues: this.nonzeroValues.slice(),
    };
  }

  toBytes(): Uint8Array {
    const parts = [this.inputChannelDiffs, this.outputChannelNonzeros, this.nonzeroValues];
    const payload = new Uint8Array(parts.reduce((n, a) => n + a.byteLength, 0));
    let at = 0;
    for (const a of parts) {
      payload.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += a.byteLength;
    }
    const [out, inC] = this.shape;
    return writeFramed(MAGIC, VERSION, [out, inC, this.blockSize, this.firstInputChannel, this.numNonzeroBlocks, this.nonzeroValues.length], payload);
  }

  /** Visits output-channel blocks in pack order: first channel, rows, offset of its biases in values, count. */
  private walk(visit: (oc: number, rows: number, valueOffset: number, count: number) => void): void {
    const nr = this.blockSize;
    const full = Math.floor(this.shape[0] / nr);
    let v = 0;
    for (let b = 0; b < this.numBlocks; b++) {
      const rows = b < full ? nr : 1;
      const oc = b < full ? b * nr : full * nr + (b - full);
      const count = this.outputChannelNonzeros[b];
      visit(oc, rows, v, count);
      v += rows * (count + 1);
    }
  }
}

function anyNonzero(w: ArrayLike<number>, oc: number, rows: number, ic: number, K: number): boolean {
  for (let r = 0; r < rows; r++) if (w[(oc + r) * K + ic] !== 0) return true;
  return false;
}

/** XNNPACK's `xnn_analyze_f32_spmm_w` + block-size rule: count nonzeros and nonzero blocks over whole
 *  4-row and 2-row groups; prefer 4, then 2, when such blocks are ≥ 90 % full (nonzeros·5 ≥ blocks·18 / ·9). */
function chooseBlockSize(w: ArrayLike<number>, N: number, K: number): XnnBlockSize {
  const nz = (oc: number, ic: number) => (w[oc * K + ic] !== 0 ? 1 : 0);
  let nonzeros4 = 0;
  let blocks4 = 0;
  let nonzeros2 = 0;
  let blocks2 = 0;
  const n4 = N - (N % 4);
  const n2 = N - (N % 2);
  for (let oc = 0; oc < n2; oc += 2) {
    for (let ic = 0; ic < K; ic++) {
      const a = nz(oc, ic);
      const b = nz(oc + 1, ic);
      nonzeros2 += a + b;
      blocks2 += a | b;
      if (oc < n4 && oc % 4 === 0) {
        const c = nz(oc + 2, ic);
        const d = nz(oc + 3, ic);
        nonzeros4 += a + b + c + d;
        blocks4 += a | b | c | d;
      }
    }
  }
  if (nonzeros4 * 5 >= blocks4 * 18) return 4;
  if (nonzeros2 * 5 >= blocks2 * 9) return 2;
  return 1;
}

function expectBlockSize(nr: unknown): XnnBlockSize {
  if (nr === 1 || nr === 2 || nr === 4) return nr;
  throw new BitsieveError('E_RANGE', `XnnSpmm blockSize: expected 1, 2 or 4, received ${describe(nr)}`);
}

function expectArray<T>(name: string, a: unknown, type: abstract new (...args: never[]) => T): T {
  if (!(a instanceof type)) throw new BitsieveError('E_DTYPE', `XnnSpmm ${name}: expected a ${type.name}, received ${describe(a)}`);
  return a;
}
