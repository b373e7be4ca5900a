// Bit-level references for the SC layers of sc_encoded_mac.md §3.2–3.5 (convolution feature-extraction blocks) and
// §5 (integral SC), written from the spec with plain loops over cycles: no packing, no im2col, no kernels.
import { apcAt, counterFsm, maxPoolRef, pcAt, type Bits } from './sc-arith.js';

export interface ConvRefSpec {
  /** [outC, inC, kh, kw] */
  kernel: [number, number, number, number];
  /** [inC, H, W] */
  input: [number, number, number];
  stride: number;
  bipolar: boolean;
  innerProduct: 'apc' | 'exact' | 'mux';
  pooling: 'none' | 'average' | 'max';
  activation: boolean;
  states: number;
  after: boolean;
  strict: boolean;
  select?: number[];
  poolSelect?: number[];
  segment?: number;
  initial?: number;
  causal?: boolean;
}

export interface ConvRefOut {
  /** One output stream per NCHW output (only with an activation, or any MUX path). */
  streams?: Bits[];
  sums: number[];
  shape: [number, number, number];
}

const product = (a: number, b: number, bipolar: boolean) => (bipolar ? 1 - (a ^ b) : a & b);

/** One image x (inC·H·W streams, NCHW) through one conv FEB; weights w (outC·inC·kh·kw streams). */
export function convFebRef(x: Bits[], w: Bits[], spec: ConvRefSpec): ConvRefOut {
  const [outC, inC, kh, kw] = spec.kernel;
  const [, H, W] = spec.input;
  const L = x[0].length;
  const oh = Math.floor((H - kh) / spec.stride) + 1;
  const ow = Math.floor((W - kw) / spec.stride) + 1;
  const fan = inC * kh * kw;
  // Per output position and channel: a per-cycle count (counter path) or a stream (MUX path).
  const raw: number[][][] = []; // [c][p][t]
  for (let c = 0; c < outC; c++) {
    raw.push([]);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const products: Bits[] = [];
        for (let ci = 0; ci < inC; ci++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const xs = x[(ci * H + oy * spec.stride + ky) * W + ox * spec.stride + kx];
              const ws = w[c * fan + (ci * kh + ky) * kw + kx];
              products.push(xs.map((v, t) => product(v, ws[t], spec.bipolar)));
            }
          }
        }
        const perCycle = Array.from({ length: L }, (_, t) =>
          spec.innerProduct === 'mux' ? products[spec.select![t]][t] : spec.innerProduct === 'apc' ? apcAt(products, t) : pcAt(products, t),
        );
        raw[c].push(perCycle);
      }
    }
  }
  let lanes: number[][] = [];
  let inputs = spec.innerProduct === 'mux' ? 1 : fan;
  let factor = spec.innerProduct === 'mux' ? fan : 1;
  let shape: [number, number, number] = [outC, oh, ow];
  if (spec.pooling === 'none') {
    lanes = raw.flat();
  } else {
    shape = [outC, oh >> 1, ow >> 1];
    for (let c = 0; c < outC; c++) {
      for (let py = 0; py < oh >> 1; py++) {
        for (let px = 0; px < ow >> 1; px++) {
          const at = (y: number, xx: number) => raw[c][y * ow + xx];
          const win = [at(2 * py, 2 * px), at(2 * py, 2 * px + 1), at(2 * py + 1, 2 * px), at(2 * py + 1, 2 * px + 1)];
          if (spec.pooling === 'max') lanes.push(maxPoolRef(win, Math.min(spec.segment ?? 16, L), spec.initial ?? 0, spec.causal ?? true));
          else if (spec.innerProduct === 'mux') lanes.push(Array.from({ length: L }, (_, t) => win[spec.poolSelect![t]][t]));
          else lanes.push(Array.from({ length: L }, (_, t) => win[0][t] + win[1][t] + win[2][t] + win[3][t]));
        }
      }
    }
    if (spec.pooling === 'average' && spec.innerProduct !== 'mux') {
      inputs = 4 * fan;
      factor = 1 / 4;
    }
  }
  const sums = lanes.map((v) => {
    const total = v.reduce((a, b) => a + b, 0);
    return factor * (spec.bipolar ? (2 * total) / L - inputs : total / L);
  });
  const fsm = { states: spec.states, after: spec.after, strict: spec.strict };
  if (spec.activation) return { streams: lanes.map((v) => counterFsm(v.map((c) => 2 * c - inputs), fsm)), sums, shape };
  return spec.innerProduct === 'mux' ? { streams: lanes, sums, shape } : { sums, shape };
}

/**
 * §5 integral-SC neuron: weight j,i = m planes (per-cycle value Σ_p (2b − 1)), binary input (bipolar ±1 or
 * unipolar 0/1 gating), exact integer sum z_t over the inputs, NStanh with K states on z.
 */
export function integralNeuronRef(x: Bits[], planes: Bits[][], bipolar: boolean, fsm: { states: number; after: boolean; strict: boolean }): { stream: Bits; sum: number } {
  const L = x[0].length;
  const z = Array.from({ length: L }, (_, t) => {
    let sum = 0;
    x.forEach((xi, i) => {
      const s = planes[i].reduce((acc, b) => acc + 2 * b[t] - 1, 0);
      sum += (bipolar ? 2 * xi[t] - 1 : xi[t]) * s;
    });
    return sum;
  });
  return { stream: counterFsm(z, fsm), sum: z.reduce((a, b) => a + b, 0) / L };
}
