// Plain typed-array JS versions of the SC family's operations (bench/families/sc.mjs), written the way a
// user would without a library: a SWAR popcount over the u32 words, a comparator loop packing bits, and for
// the layer a straightforward per-cycle loop over the inputs.
import { strideOf } from '../families/sc.mjs';

export function popcount32(v) {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** y[j] = Σ_i popcount(x_i ∘ w_ji) over the valid cycles (XNOR turns pad bits into ones: masked). */
function dot({ n, k, length, product }, { x, w }, y) {
  const stride = strideOf(length);
  const words = Math.ceil(length / 32);
  const lastMask = length % 32 === 0 ? 0xffffffff : 2 ** (length % 32) - 1;
  const xnor = product === 'xnor';
  return () => {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let i = 0; i < k; i++) {
        const xo = i * stride, wo = (j * k + i) * stride;
        for (let t = 0; t < words; t++) {
          let v = xnor ? ~(x[xo + t] ^ w[wo + t]) : x[xo + t] & w[wo + t];
          if (t === words - 1) v &= lastMask;
          total += popcount32(v);
        }
      }
      y[j] = total;
    }
    return y;
  };
}

/** Streams with bit t = X_i > R_t, packed LSB-first; y[i] = ones of stream i (the probe). */
function sng({ n, length }, { values, source }, y) {
  const stride = strideOf(length);
  const out = new Uint32Array(n * stride);
  return () => {
    for (let i = 0; i < n; i++) {
      const X = values[i];
      let ones = 0;
      for (let t = 0; t < length; t += 32) {
        let word = 0;
        const end = Math.min(32, length - t);
        for (let b = 0; b < end; b++) if (X > source[t + b]) word |= 1 << b;
        out[i * stride + (t >> 5)] = word;
        ones += popcount32(word);
      }
      y[i] = ones;
    }
    return y;
  };
}

/** Per neuron: each cycle the APC count of the XNOR products, then the Btanh counter; y[j] = output ones. */
function layer({ n, k, length }, { x, w }, y) {
  const stride = strideOf(length);
  const r = 2 * k; // Kim's state count for weight scaling s = 1
  return () => {
    for (let j = 0; j < n; j++) {
      let state = r / 2;
      let ones = 0;
      for (let t = 0; t < length; t++) {
        const word = t >>> 5, bit = t & 31;
        let gates = 0;
        for (let p = 0; p + 1 < k; p += 2) {
          const a = ~((x[p * stride + word] ^ w[(j * k + p) * stride + word]) >>> bit) & 1;
          const b = ~((x[(p + 1) * stride + word] ^ w[(j * k + p + 1) * stride + word]) >>> bit) & 1;
          gates += (p >> 1) % 2 === 0 ? a | b : a & b;
        }
        let count = 2 * gates;
        if (k % 2 === 1) count += ~((x[(k - 1) * stride + word] ^ w[(j * k + k - 1) * stride + word]) >>> bit) & 1;
        state = Math.min(r - 1, Math.max(0, state + 2 * count - k));
        if (state >= r / 2) ones++;
      }
      y[j] = ones;
    }
    return y;
  };
}

const KERNELS = { 'sc-dot': dot, 'sc-sng': sng, 'sc-layer': layer };

/** One call of the plain-JS implementation: the exact outputs (the bench's reference). */
export function scReference(c, data) {
  return KERNELS[c.op](c, data, new Float64Array(c.n))();
}

/** The peer: `prepare` for an SC case (called by bench/peers/plain-js.mjs). */
export function prepareSc(c, data) {
  const run = KERNELS[c.op](c, data, new Float64Array(c.n));
  return { modes: { resident: run }, outputs: () => ({ resident: run().slice() }), dispose() {} };
}
