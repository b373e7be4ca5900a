// bs.mac.encodedLinear (EncodingNet's encoded MAC, sc_encoded_mac.md §8) against the scalar model of
// test/reference/mac-encoded.ts (gates evaluated one product at a time from the node-id definition):
// identity encoder = exact integer dot product for w = 2 … 8; random netlists exact for integer weights in
// netlist mode (hoisted and not) and LUT mode; float weights bit-identical to the position-order f64 sum, and LUT
// within the stated bound; the A.11 golden data (regenerated with test/reference/numpy-pcg64.ts); every build;
// typed errors and no leaks.
import * as assert from 'uvu/assert';
import { identityEncoder, productTable, randomNetlist, type Encoder, type Netlist } from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { eachVariant } from './helpers/variants.js';
import { rng } from './reference/int-group.js';
import { encodedGemmRef } from './reference/mac-encoded.js';
import { randomOperands } from './reference/mac-table.js';
import { numpyIntegers } from './reference/numpy-pcg64.js';

const SEED = 20261207;
const MODES = [{ mode: 'netlist' as const }, { mode: 'netlist' as const, hoist: false }, { mode: 'lut' as const }];

function randomEncoder(w: number, seed: number, float: boolean, levels = 2): Encoder {
  const netlist = randomNetlist({ operandBits: w, levels, gatesPerLevel: 12, outputs: 10, seed });
  const next = rng(seed);
  const n = netlist.outputs.length + 1;
  const weights = float ? Float32Array.from({ length: n }, () => (next() - 0.5) * 300) : Int32Array.from({ length: n }, () => Math.floor((next() - 0.5) * 2000));
  return { netlist, weights };
}

eachVariant('mac.encodedLinear', (test) => {
  test('identity encoder = exact integer dot product, w = 2 … 8, every mode, tails and batch > 1', ({ bs }) => {
    const next = rng(SEED);
    const before = bs.heap.inUseBytes;
    for (let w = 2; w <= 8; w++) {
      const enc = identityEncoder(w);
      for (const [out, k, batch] of [[3, 1, 1], [5, 127, 2], [2, 513, 3], [6, 1100, 1]] as const) {
        const weights = randomOperands(out * k, w, next);
        const x = randomOperands(batch * k, w, next);
        // Exercise the extremes too: the most negative value everywhere in the first row / sample.
        weights.fill(-(2 ** (w - 1)), 0, Math.min(k, 40));
        x.fill(-(2 ** (w - 1)), 0, Math.min(k, 40));
        for (const options of MODES) {
          using layer = bs.mac.encodedLinear(weights, [out, k], enc, options);
          const y = layer.forward(x, batch);
          for (let b = 0; b < batch; b++) {
            for (let o = 0; o < out; o++) {
              let dot = 0;
              for (let i = 0; i < k; i++) dot += x[b * k + i] * weights[o * k + i];
              assert.is(y[b * out + o], dot, `w ${w} ${JSON.stringify(options)} ${out}×${k} b ${b} o ${o}`);
            }
          }
        }
      }
    }
    assert.is(bs.heap.inUseBytes, before);
  });

  test('random netlists, integer weights: netlist (hoisted / not) = LUT = the scalar model, exactly', ({ bs }) => {
    const next = rng(SEED + 1);
    let cases = 0;
    for (let w = 2; w <= 8; w++) {
      for (const levels of [1, 2, 3]) {
        const enc = randomEncoder(w, SEED + 10 * w + levels, false, levels);
        const [out, k, batch] = [5, [1, 129, 700][levels - 1], 2];
        const weights = randomOperands(out * k, w, next);
        const x = randomOperands(batch * k, w, next);
        const want = encodedGemmRef(enc.netlist, enc.weights, x, weights, batch, out, k).y;
        for (const options of MODES) {
          using layer = bs.mac.encodedLinear(weights, [out, k], enc, options);
          assert.is(layer.exact, true);
          assert.equal(Array.from(layer.forward(x, batch)), Array.from(want), `w ${w} levels ${levels} ${JSON.stringify(options)}`);
          cases++;
        }
      }
    }
    assert.is(cases, 7 * 3 * 3);
  });

  test('float weights: netlist mode = Σ s_i·count_i in position order (bit-identical); LUT within the stated bound', ({ bs }) => {
    const next = rng(SEED + 2);
    for (const w of [3, 6, 8]) {
      const enc = randomEncoder(w, SEED + 100 + w, true);
      const [out, k, batch] = [4, 1000, 2];
      const weights = randomOperands(out * k, w, next);
      const x = randomOperands(batch * k, w, next);
      const want = encodedGemmRef(enc.netlist, enc.weights, x, weights, batch, out, k).y;
      using net = bs.mac.encodedLinear(weights, [out, k], enc);
      using lut = bs.mac.encodedLinear(weights, [out, k], enc, { mode: 'lut' });
      assert.is(net.exact, false);
      const yNet = net.forward(x, batch);
      const yLut = lut.forward(x, batch);
      assert.equal(Array.from(yNet), Array.from(want), `w ${w}`);
      const m = enc.netlist.outputs.length;
      const sumAbs = Array.from(enc.weights).reduce((s, v) => s + Math.abs(v), 0);
      const bound = (m + k + 2) * 2 ** -52 * k * sumAbs;
      for (let i = 0; i < yNet.length; i++) assert.ok(Math.abs(yLut[i] - yNet[i]) <= bound, `w ${w}: |${yLut[i]} − ${yNet[i]}| > ${bound}`);
    }
  });

  test('A.11 golden: K = 64 pairs of numpy default_rng(1).integers(-128, 128) → −85340 and the per-position counts', ({ bs }) => {
    // x = the first 64 draws, w = the next 64 (regenerated bit-exactly by test/reference/numpy-pcg64.ts; the
    // published dot and counts below are the spec's literals, not computed here).
    const draws = numpyIntegers(1, -128, 128, 128);
    const x = Int8Array.from(draws.slice(0, 64));
    const w = Int8Array.from(draws.slice(64));
    const counts = [36, 36, 32, 28, 32, 32, 27, 29, 28, 40, 26, 45, 27, 29, 29, 14];
    const enc = identityEncoder(8);
    for (const options of MODES) {
      using layer = bs.mac.encodedLinear(w, [1, 64], enc, options);
      assert.is(layer.forward(x)[0], -85340, JSON.stringify(options));
    }
    // One-hot position weights read each position's count through the kernel.
    counts.forEach((count, pos) => {
      const weights = new Int32Array(16);
      weights[pos] = 1;
      using layer = bs.mac.encodedLinear(w, [1, 64], { netlist: enc.netlist, weights });
      assert.is(layer.forward(x)[0], count, `position ${pos}`);
    });
  });

  test('constant bit: K · s_const added; outputs on raw input bits and duplicated outputs', ({ bs }) => {
    const netlist: Netlist = {
      operandBits: 3,
      gates: [{ op: 'and', a: 0, b: 3 }, { op: 'id', a: 6 }, { op: 'not', a: 7 }, { op: 'xor', a: 1, b: 2 }],
      outputs: [6, 7, 8, 2, 5, 9, 6, 1],
      constant: true,
    };
    const enc: Encoder = { netlist, weights: Int32Array.of(3, -5, 7, 11, -13, 17, 19, -23, 1000) };
    const next = rng(SEED + 3);
    const [out, k, batch] = [3, 77, 2];
    const weights = randomOperands(out * k, 3, next);
    const x = randomOperands(batch * k, 3, next);
    const want = encodedGemmRef(netlist, enc.weights, x, weights, batch, out, k).y;
    for (const options of MODES) {
      using layer = bs.mac.encodedLinear(weights, [out, k], enc, options);
      assert.equal(Array.from(layer.forward(x, batch)), Array.from(want), JSON.stringify(options));
    }
  });

  test('bad netlists, encoders, shapes, operands → BitsieveError; nothing leaks', ({ bs }) => {
    const before = bs.heap.inUseBytes;
    const enc = identityEncoder(4);
    const w = new Int8Array(8);
    const make = (e: unknown, options: object = {}, weights: unknown = w, shape: unknown = [2, 4]) => () => bs.mac.encodedLinear(weights as Int8Array, shape as [number, number], e as Encoder, options);
    const withNet = (patch: Partial<Netlist>, weights: Int32Array | Float32Array = Int32Array.of(1, 2)) => ({ netlist: { operandBits: 2, gates: [{ op: 'and', a: 0, b: 2 }], outputs: [4], ...patch }, weights });
    assert.is(codeOf(() => make(withNet({}, Int32Array.of(1)))().dispose()), 'no error');
    assert.is(codeOf(make(withNet({ gates: [{ op: 'and', a: 5, b: 2 }, { op: 'or', a: 4, b: 1 }] }))), 'E_FORMAT'); // cycle 4 ↔ 5
    assert.is(codeOf(make(withNet({ gates: [{ op: 'and', a: 4, b: 2 }] }))), 'E_FORMAT'); // self loop
    assert.is(codeOf(make(withNet({ gates: [{ op: 'and', a: 0, b: 9 }] }))), 'E_FORMAT'); // id out of range
    assert.is(codeOf(make(withNet({ gates: [{ op: 'and', a: 0 }] }))), 'E_FORMAT'); // missing b
    assert.is(codeOf(make(withNet({ gates: [{ op: 'not', a: 0, b: 1 }] }))), 'E_FORMAT'); // extra b
    assert.is(codeOf(make(withNet({ gates: [{ op: 'mux' as never, a: 0, b: 1 }] }))), 'E_FORMAT');
    assert.is(codeOf(make(withNet({ gates: [{ op: 'and', a: 0.5, b: 1 }] }))), 'E_FORMAT');
    assert.is(codeOf(make(withNet({ outputs: [] }))), 'E_FORMAT');
    assert.is(codeOf(make(withNet({ outputs: [5] }))), 'E_FORMAT');
    assert.is(codeOf(make(withNet({ operandBits: 1 }))), 'E_RANGE');
    assert.is(codeOf(make(withNet({ operandBits: 9 }))), 'E_RANGE');
    assert.is(codeOf(make(withNet({}, Int32Array.of(1, 2, 3)))), 'E_SHAPE');
    assert.is(codeOf(make({ netlist: enc.netlist, weights: Array.from(enc.weights) }, {}, new Int8Array(8))), 'E_DTYPE');
    assert.is(codeOf(make({ netlist: enc.netlist, weights: Float32Array.from(enc.weights, (v, i) => (i ? v : NaN)) })), 'E_RANGE');
    assert.is(codeOf(make(enc, { mode: 'fast' })), 'E_RANGE');
    assert.is(codeOf(make(enc, {}, new Int8Array(8).fill(8))), 'E_RANGE');
    assert.is(codeOf(make(enc, {}, new Int8Array(7))), 'E_SHAPE');
    assert.is(codeOf(make(enc, {}, new Uint8Array(8))), 'E_DTYPE');
    // Integer results that could leave the exact f64 range.
    const huge: Encoder = { netlist: enc.netlist, weights: new Int32Array(8).fill(2 ** 30) };
    assert.is(codeOf(make(huge, {}, new Int8Array(2 ** 21), [1, 2 ** 21])), 'E_RANGE');
    assert.is(codeOf(() => productTable({ netlist: enc.netlist, weights: new Int32Array(8).fill(2 ** 29) })), 'E_RANGE');
    for (const options of MODES) {
      const layer = bs.mac.encodedLinear(w, [2, 4], enc, options);
      assert.is(codeOf(() => layer.forward(new Int8Array(3))), 'E_SHAPE');
      assert.is(codeOf(() => layer.forward(new Int8Array(4).fill(-9))), 'E_RANGE');
      assert.is(codeOf(() => layer.forward(new Int8Array(4), 0)), 'E_RANGE');
      layer.dispose();
      assert.is(codeOf(() => layer.forward(new Int8Array(4))), 'E_DISPOSED');
    }
    assert.is(bs.heap.inUseBytes, before);
  });
});
