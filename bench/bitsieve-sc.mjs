// bitsieve on the SC family's cases (bench/families/sc.mjs). Modes: 'resident' calls the kernel on data already
// in wasm memory (as a pipeline that keeps its streams there would); 'end-to-end' goes through the public API
// (bs.sc.*), copies included. Outputs are exact integers, compared with the plain-JS peer bit for bit.
import { StreamBatch } from '../dist/index.js';
import { strideOf } from './families/sc.mjs';

/** A zeroed block of `words` u32 in wasm memory (a ResidentTensor: 4-byte elements), optionally filled. */
function block(bs, words, data) {
  const t = bs.tensor(Math.max(4, words));
  if (data) new Uint8Array(bs.kernels.memory.buffer, t.ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return t;
}

const i32 = (bs, t, n) => new Int32Array(bs.kernels.memory.buffer, t.ptr, n);

function dot(bs, c, { x, w }) {
  const stride = strideOf(c.length);
  const xb = new StreamBatch(c.k, c.length, x), wb = new StreamBatch(c.n * c.k, c.length, w);
  const [xt, wt, yt] = [block(bs, x.length, x), block(bs, w.length, w), block(bs, c.n)];
  const xnor = c.product === 'xnor' ? 1 : 0;
  const encoding = xnor ? 'bipolar' : 'unipolar';
  return {
    modes: {
      resident: () => bs.kernels.sc_inner_ones(xt.ptr, wt.ptr, yt.ptr, c.k, c.n, stride, c.length, xnor),
      'end-to-end': () => bs.sc.innerProductOnes(xb, wb, encoding),
    },
    outputs() {
      bs.kernels.sc_inner_ones(xt.ptr, wt.ptr, yt.ptr, c.k, c.n, stride, c.length, xnor);
      return { resident: Float64Array.from(i32(bs, yt, c.n)), 'end-to-end': Float64Array.from(bs.sc.innerProductOnes(xb, wb, encoding)) };
    },
    dispose: () => [xt, wt, yt].forEach((t) => t.dispose()),
  };
}

function sng(bs, c, { values, source }) {
  const stride = strideOf(c.length);
  const thresholds = Float64Array.from(values);
  const [tt, st, ot, srct, out] = [block(bs, 2 * c.n, thresholds), block(bs, c.n), block(bs, c.n), block(bs, source.length / 2, source), block(bs, c.n * stride)];
  const run = () => bs.kernels.sc_sng(tt.ptr, st.ptr, ot.ptr, srct.ptr, source.length, 2, c.length, c.n, out.ptr);
  const p = Float64Array.from(values, (v) => v / 65536); // X = round(p·2^16) = v exactly
  const options = { length: c.length, source: { bits: 16, values: Uint32Array.from(source) } };
  const ones = (words) => bs.sc.ones(new StreamBatch(c.n, c.length, words));
  return {
    modes: { resident: run, 'end-to-end': () => bs.sc.encode(p, options) },
    outputs() {
      run();
      const resident = ones(new Uint32Array(bs.kernels.memory.buffer, out.ptr, c.n * stride).slice());
      return { resident: Float64Array.from(resident), 'end-to-end': Float64Array.from(bs.sc.ones(bs.sc.encode(p, options))) };
    },
    dispose: () => [tt, st, ot, srct, out].forEach((t) => t.dispose()),
  };
}

function layer(bs, c, { x, w }) {
  const sc = bs.sc.linear(new StreamBatch(c.n * c.k, c.length, w), c.k, { innerProduct: 'apc', activation: 'btanh' });
  const xb = new StreamBatch(c.k, c.length, x);
  return {
    modes: { 'end-to-end': () => sc.run(xb) },
    outputs: () => ({ 'end-to-end': Float64Array.from(bs.sc.ones(sc.run(xb).streams)) }),
    info: { residentBytes: sc.residentBytes },
    dispose: () => sc.dispose(),
  };
}

const OPS = { 'sc-dot': dot, 'sc-sng': sng, 'sc-layer': layer };

export function prepareSc(bs, c, data) {
  return OPS[c.op](bs, c, data);
}
