// The issue-6 demonstration: the 784-100-10 MLP of the stochastic-computing demo (bench/e2e/mnist-mlp.mjs, trained
// in f32 with bitsieve's dense kernels), run on emulated hardware MACs:
//   - EncodingNet's encoded MAC with the identity encoder (a gate-level 8-bit multiplier: must equal int8 arithmetic)
//     and with 48-bit encoders from bitsieve's own seeded search (searchEncoder: fitted, selected, integer-rounded
//     position weights), started from the 64 partial products or from a random 2-level netlist;
//   - IMC crossbars (128×128 arrays, 8-bit weights in 2-bit cells, 8-bit inputs bit-serial, ideal ADC) with
//     stuck-at faults at 0, 1, 2, 5, 10 % of the cells, two-column vs differential mapping (Yuan et al. 2021),
//     for stuck-on (stuck-at-1) and stuck-off (stuck-at-0) faults, averaged over fault-map seeds;
//   - approximate multipliers (truncated, broken-array, Kulkarni) and a lower-part-OR accumulator as the MAC;
//   - PowerPruning-style weight restriction: each layer's weights limited to the `keep` values with the fewest
//     MAC toggles over the layer's own activation codes (the switching-power proxy of bs.mac.toggleTable).
// Quantization: weights symmetric int8 per tensor, inputs (pixels in [0, 1]) and hidden tanh outputs as signed
// 8-bit codes with scale 1/127; the bias is added in f32 after the integer sum.
//   node --experimental-wasm-relaxed-simd bench/e2e/mnist-mac.mjs [testSamples] [seeds]
import { identityEncoder, init, searchEncoder } from '../../dist/index.js';
import { loadMnist } from './mnist.mjs';
import { accuracy, argmaxAccuracy, trainMlp } from './mnist-mlp.mjs';

export const FAULT_RATES = [0, 0.01, 0.02, 0.05, 0.1];
export const MAPPINGS = ['two-column', 'differential'];
export const FAULT_KINDS = ['stuckAt1', 'stuckAt0'];
/** The crossbar of the issue's target: 128×128 arrays, 8-bit weights in 2-bit cells, 1 input bit per cycle. */
const CROSSBAR = { rows: 128, cols: 128, weightBits: 8, cellBits: 2, inputBits: 8, inputBitsPerCycle: 1, inputEncoding: 'twos-complement', inputScale: 1 / 127, adcBits: 'ideal' };

/** Symmetric int8 codes of a tensor and their scale. */
function quantize(values) {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  return { codes: Int8Array.from(values, (v) => Math.round(v / scale)), scale };
}

const toCodes = (values) => Int8Array.from(values, (v) => Math.max(-127, Math.min(127, Math.round(v * 127))));

/**
 * Accuracy of the MLP whose two layers are `make(weights, shape)` → { forward(x: Float32Array, batch) → Float32Array
 * of W·x in real units }. Hidden = tanh(layer1 + b1); scores = layer2 + b2.
 */
function networkAccuracy(net, test, make) {
  const l1 = make(net.w1, [net.hidden, 784]);
  const l2 = make(net.w2, [10, net.hidden]);
  try {
    const y1 = l1.forward(test.x, test.count);
    const h = new Float32Array(y1.length);
    for (let i = 0; i < h.length; i++) h[i] = Math.tanh(y1[i] + net.b1[i % net.hidden]);
    const z = l2.forward(h, test.count);
    for (let i = 0; i < z.length; i++) z[i] += net.b2[i % 10];
    return argmaxAccuracy(z, test.labels);
  } finally {
    l1.dispose();
    l2.dispose();
  }
}

/** A layer on the encoded MAC: int8 weight codes; inputs quantized to codes·(1/127); integer sums rescaled. */
function encodedLayer(bs, encoder, productScale) {
  return (w, shape) => {
    const q = quantize(w);
    const layer = bs.mac.encodedLinear(q.codes, shape, encoder);
    return {
      forward: (x, batch) => Float32Array.from(layer.forward(toCodes(x), batch), (s) => (s * productScale * q.scale) / 127),
      dispose: () => layer.dispose(),
    };
  };
}

/** The same int8 quantization on an approximate MAC (bs.mac.approxLinear), optionally with restricted weights. */
function approxLayer(bs, options, restrict) {
  return (w, shape) => {
    const q = quantize(w);
    const codes = restrict ? restrict(q.codes) : q.codes;
    const layer = bs.mac.approxLinear(codes, shape, options);
    return {
      forward: (x, batch) => Float32Array.from(layer.forward(toCodes(x), batch), (v) => (v * q.scale) / 127),
      dispose: () => layer.dispose(),
    };
  };
}

export const APPROX = [
  { label: 'truncated, 6 columns', multiplier: { kind: 'truncated', columns: 6 } },
  { label: 'truncated, 8 columns + expected correction', multiplier: { kind: 'truncated', columns: 8, correction: 'expected' } },
  { label: 'broken-array hbl 2, vbl 6', multiplier: { kind: 'bam', hbl: 2, vbl: 6 } },
  { label: 'broken-array hbl 2, vbl 6 + LOA accumulator l = 4', multiplier: { kind: 'bam', hbl: 2, vbl: 6 }, adder: { kind: 'loa', lowerBits: 4 } },
  { label: 'Kulkarni 2×2 blocks, sign-magnitude', multiplier: { kind: 'kulkarni', signedForm: 'sign-magnitude' } },
];
export const KEEP = [256, 64, 32, 16, 8];

/** Toggle counts and accuracy with every layer's weights restricted to its `keep` lowest-toggle values. */
function powerRows(bs, net, test) {
  // Each layer's own activation stream: the input codes, and the hidden codes of the exact int8 network.
  const inputs = toCodes(test.x);
  const h = Float32Array.from(encodedForward(bs, net, test), (v, i) => Math.tanh(v + net.b1[i % net.hidden]));
  const tables = [bs.mac.toggleTable({ activations: inputs }), bs.mac.toggleTable({ activations: toCodes(h) })];
  return KEEP.map((keep) => {
    let layer = 0;
    const toggles = { before: 0, after: 0 };
    const restrict = (codes) => {
      const r = bs.mac.restrictToLowToggle(codes, { table: tables[layer++], keep });
      toggles.before += r.averageTogglesBefore * codes.length;
      toggles.after += r.averageTogglesAfter * codes.length;
      return r.weights;
    };
    const acc = networkAccuracy(net, test, approxLayer(bs, { multiplier: { kind: 'exact' } }, restrict));
    return { keep, accuracy: acc, toggleRatio: toggles.after / toggles.before };
  });
}

/** Layer-1 pre-activations of the exact int8 network (for the hidden layer's activation statistics). */
function encodedForward(bs, net, test) {
  const l1 = encodedLayer(bs, identityEncoder(8), 1)(net.w1, [net.hidden, 784]);
  try {
    return l1.forward(test.x, test.count);
  } finally {
    l1.dispose();
  }
}

const crossbarLayer = (bs, options) => (w, shape) => bs.mac.crossbar(w, shape, { ...CROSSBAR, ...options });

/** The 48-bit encoder searches: from the exact partial-product code, and from a random netlist (150 generations). */
export const SEARCHES = [
  { start: 'partialProducts', generations: 0 },
  { start: 'random', generations: 150 },
];

export async function mnistMac({ testSamples = 1000, seeds = 3 } = {}) {
  const bs = await init();
  const data = loadMnist();
  const net = trainMlp(bs, data.train);
  const test = { x: data.test.x.subarray(0, testSamples * 784), labels: data.test.labels.subarray(0, testSamples), count: testSamples };
  const f32 = accuracy(bs, net, test);

  const identity = networkAccuracy(net, test, encodedLayer(bs, identityEncoder(8), 1));
  const encoded48 = SEARCHES.map((options) => {
    const t0 = performance.now();
    const found = searchEncoder({ operandBits: 8, outputs: 48, seed: 1, ...options });
    const seconds = (performance.now() - t0) / 1e3;
    const gates = found.encoder.netlist.gates.length;
    return { options, seconds, gates, maxRelativeError: found.maxRelativeError, meanAbsError: found.meanAbsError, accuracy: networkAccuracy(net, test, encodedLayer(bs, found.encoder, 1)) };
  });

  const crossbar = [];
  for (const mapping of MAPPINGS) {
    for (const kind of FAULT_KINDS) {
      const row = { mapping, kind, accuracy: [] };
      for (const rate of FAULT_RATES) {
        const runs = rate === 0 ? 1 : seeds;
        let sum = 0;
        for (let seed = 1; seed <= runs; seed++) sum += networkAccuracy(net, test, crossbarLayer(bs, { mapping, faults: { [kind]: rate, seed } }));
        row.accuracy.push(sum / runs);
      }
      crossbar.push(row);
    }
  }
  const approx = APPROX.map((a) => ({ label: a.label, stats: bs.mac.errorStats(bs.mac.approxMultiplier(a.multiplier)), accuracy: networkAccuracy(net, test, approxLayer(bs, a)) }));
  const power = powerRows(bs, net, test);
  return { variant: bs.variant, testSamples, seeds, trainSeconds: net.trainSeconds, f32, identity, encoded48, crossbar, approx, power };
}

const pct = (a) => `${(a * 100).toFixed(1)} %`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await mnistMac({ testSamples: Number(process.argv[2] ?? 1000), seeds: Number(process.argv[3] ?? 3) });
  console.log(`${r.testSamples} test digits, ${r.variant} build; MLP trained in ${r.trainSeconds.toFixed(1)} s`);
  console.log(`| arithmetic | accuracy |\n|---|---:|`);
  console.log(`| f32 | ${pct(r.f32)} |`);
  console.log(`| encoded MAC, identity encoder (int8 × int8, exact) | ${pct(r.identity)} |`);
  for (const e of r.encoded48) {
    console.log(`| encoded MAC, 48-bit encoder, searchEncoder start '${e.options.start}', ${e.options.generations} generations (${e.seconds.toFixed(0)} s; max rel. error ${(e.maxRelativeError * 100).toFixed(2)} %, mean abs error ${e.meanAbsError.toFixed(1)}) | ${pct(e.accuracy)} |`);
  }
  console.log(`\nCrossbars, mean over ${r.seeds} fault-map seeds:\n| mapping | faults | ${FAULT_RATES.map((p) => `${p * 100} %`).join(' | ')} |`);
  console.log(`|---|---|${FAULT_RATES.map(() => '---:').join('|')}|`);
  for (const row of r.crossbar) console.log(`| ${row.mapping} | ${row.kind === 'stuckAt1' ? 'stuck-at-1 (on)' : 'stuck-at-0 (off)'} | ${row.accuracy.map(pct).join(' | ')} |`);
  console.log(`\nApproximate MACs (signed 8-bit; multiplier error statistics exhaustive over all 65 536 operand pairs):\n| MAC | mean rel. error | max abs error | accuracy |\n|---|---:|---:|---:|`);
  for (const a of r.approx) console.log(`| ${a.label} | ${(a.stats.meanRelativeError * 100).toFixed(2)} % | ${a.stats.maxAbsoluteError} | ${pct(a.accuracy)} |`);
  console.log(`\nPowerPruning-style weight restriction (exact MAC):\n| weight values kept | MAC toggles (× unrestricted) | accuracy |\n|---:|---:|---:|`);
  for (const p of r.power) console.log(`| ${p.keep} | ${p.toggleRatio.toFixed(3)} | ${pct(p.accuracy)} |`);
}
