// bitsieve under test: one build per process (the orchestrator starts one worker per variant).
import * as lib from '../dist/index.js';
import { prepareSc } from './bitsieve-sc.mjs';
import { prepareMac } from './bitsieve-mac.mjs';
import { seedOf } from './data.mjs';

/**
 * Case format descriptor → the library's format object, built from the case data: the (already
 * sparse) dense w, or for low-bit formats the bench's quantized weights q (bench/quantized.mjs) as they are.
 */
const FORMATS = {
  dense: (c, { w }) => lib.Dense.from(w, [c.n, c.k]),
  csr: (c, { w }) => lib.Csr.fromDense(w, [c.n, c.k]),
  bsr: (c, { w }) => lib.Bsr.fromDense(w, [c.n, c.k], c.format.block),
  'zero-skip': (c, { w }) => lib.DenseColumns.from(w, [c.n, c.k]),
  nm: (c, { w }) => lib.Nm.fromDense(w, [c.n, c.k], { n: c.format.n, m: c.format.m }),
  darb: (c, { w }) => lib.Darb.fromDense(w, [c.n, c.k], c.format.blockSize),
  lfsr: (c, { w }) => lib.LfsrSparse.fromDense(w, [c.n, c.k], { density: 1 - c.sparsity, seed: seedOf(c) }),
  xnn: (c, { w }) => lib.XnnSpmm.fromDense(w, [c.n, c.k], { blockSize: 'auto' }),
  gguf: (c, { q }) => new lib.GgufMatrix(c.format.type, [c.n, c.k], q.bytes),
  int: (c, { q: { groupwise: g } }) =>
    lib.GroupwiseInt.fromQuantized(
      new lib.QuantizedWeights({ shape: [c.n, c.k], bits: g.bits, groupSize: g.groupSize, mode: 'symmetric', scaleDtype: 'f16', codes: g.codes, scales: g.scales }),
    ),
};

export async function open({ variant }) {
  const bs = await lib.init({ variant });
  // init() falls back silently to a lesser build; a mislabeled variant would poison every ratio.
  if (bs.variant !== variant) throw new Error(`asked for the ${variant} build, got ${bs.variant}`);
  return {
    library: 'bitsieve',
    variant: bs.variant,
    simd: `bitsieve.${bs.variant}.wasm (features ${JSON.stringify(bs.features)})`,
    prepare(c, data) {
      if (c.format.kind === 'sc') return prepareSc(bs, c, data);
      if (c.format.kind === 'mac') return prepareMac(bs, c, data);
      const build = FORMATS[c.format.kind];
      if (!build) throw new Error(`bitsieve adapter: no builder for format ${c.format.kind}`);
      const format = build(c, data);
      if (c.op === 'dequantize') return dequantize(bs, format, c);
      const { x } = data;
      // 'chw' cases are 1×1 convolutions over c.m = H·W pixels (one NCHW image).
      const conv = c.layout === 'chw';
      const layer = conv ? bs.conv1x1(format) : bs.linear(format, c.options);
      const steps = c.m; // batch rows, or pixels
      const xT = bs.tensor(x);
      const yT = bs.tensor(c.m * c.n);
      const out = new Float32Array(c.m * c.n);
      return {
        modes: {
          // Kernel only: x and y already live in wasm memory.
          resident: () => layer.run(xT, yT, steps),
          // What a JS caller pays: copy x in, run, copy y out into a reused array.
          'end-to-end': conv ? () => layer.forward(x, steps, 1, out) : () => layer.forward(x, steps, out),
        },
        outputs() {
          layer.run(xT, yT, steps);
          return { resident: yT.read(), 'end-to-end': layer.forward(x, steps).slice() };
        },
        info: { residentBytes: layer.residentBytes, bitsPerWeight: format.bitsPerWeight, heap: bs.heap },
        dispose() {
          layer.dispose();
          xT.dispose();
          yT.dispose();
        },
      };
    },
  };
}

/** Packed weights → f32 [N, K] into a reused array (copy in, kernel, copy out: end to end only). */
function dequantize(bs, format, c) {
  const out = new Float32Array(c.n * c.k);
  const run = () => bs.dequantize(format, out);
  return {
    modes: { 'end-to-end': run },
    outputs() {
      run();
      return { 'end-to-end': out };
    },
    info: { bitsPerWeight: format.bitsPerWeight, heap: bs.heap },
    dispose() {},
  };
}
