// Encoders, netlist synthesis, position-weight fitting and the encoder search (pure TypeScript, no wasm):
// products checked exhaustively against a·w and against the scalar gate model of test/reference/mac-encoded.ts;
// the paper's 2-bit example rows (sc_encoded_mac.md §8.2) as literals; the A.11 ridge numbers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkNetlist, encoderError, encodingNetExample2Bit, fitPositionWeights, identityEncoder, netlistFromCodeTable, productTable,
  randomNetlist, searchEncoder, selectOutputs, type Netlist,
} from '../src/index.js';
import { codeOf } from './helpers/errors.js';
import { rng } from './reference/int-group.js';
import { encodeRef } from './reference/mac-encoded.js';
import { signedOf } from './reference/mac-table.js';

test('identity encoder: every product of w = 2 … 8 exact; the outputs are the two\'s-complement product bits', () => {
  for (let w = 2; w <= 8; w++) {
    const enc = identityEncoder(w);
    assert.is(enc.netlist.outputs.length, 2 * w);
    assert.equal(Array.from(enc.weights), Array.from({ length: 2 * w }, (_, i) => (i === 0 ? -(2 ** (2 * w - 1)) : 2 ** (2 * w - 1 - i))));
    const table = productTable(enc);
    assert.ok(table instanceof Int32Array);
    const dim = 2 ** w;
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) if (table[a * dim + b] !== signedOf(a, w) * signedOf(b, w)) assert.unreachable(`w ${w}: ${a}·${b}`);
    // The scalar gate model gives the product's bits (MSB first) on sampled pairs.
    const next = rng(w);
    for (let t = 0; t < 200; t++) {
      const a = Math.floor(next() * dim) - dim / 2;
      const b = Math.floor(next() * dim) - dim / 2;
      const p = (a * b + 2 ** (2 * w)) % 2 ** (2 * w);
      assert.equal(encodeRef(enc.netlist, a, b), Array.from({ length: 2 * w }, (_, i) => Math.floor(p / 2 ** (2 * w - 1 - i)) % 2), `${a}·${b}`);
    }
    assert.is(encoderError(enc).maxRelativeError, 0);
  }
});

test("paper's 2-bit example: the published rows exactly, and all 16 products exact", () => {
  const enc = encodingNetExample2Bit();
  assert.equal(Array.from(enc.weights), [-4, 2, 2, -1, 1]);
  // (activation, weight) → b4 … b0, from arXiv 2402.18595 v1 Fig. 2 as quoted in sc_encoded_mac.md §8.2.
  const published: [number, number, string][] = [
    [-2, 1, '10111'], [-1, -2, '01011'], [-1, -1, '00001'], [-1, 1, '10101'], [1, -2, '11011'], [1, -1, '11001'], [1, 1, '11101'],
  ];
  for (const [a, w, code] of published) assert.is(encodeRef(enc.netlist, a, w).join(''), code, `(${a}, ${w})`);
  for (let a = -2; a < 2; a++) {
    for (let w = -2; w < 2; w++) {
      const bits = encodeRef(enc.netlist, a, w);
      if (a * w === 0) assert.is(bits.join(''), '11111', `zero product (${a}, ${w})`);
      assert.is(bits.reduce((s, b, i) => s + b * enc.weights[i], 0), a * w, `(${a}, ${w})`);
    }
  }
  for (const g of enc.netlist.gates) assert.ok(g.b === undefined || ['and', 'or', 'xor', 'nand', 'nor', 'xnor'].includes(g.op));
});

test('netlistFromCodeTable reproduces random code tables (w = 2, 3) gate for gate', () => {
  const next = rng(77);
  for (const [w, m] of [[2, 5], [3, 7], [3, 1]]) {
    const codes = Array.from({ length: 4 ** w }, () => Math.floor(next() * 2 ** m));
    const netlist = netlistFromCodeTable({ operandBits: w, outputs: m, codes });
    checkNetlist('synth', netlist);
    for (let p = 0; p < 4 ** w; p++) {
      const bits = encodeRef(netlist, signedOf(p >> w, w), signedOf(p % 2 ** w, w));
      assert.is(parseInt(bits.join(''), 2), codes[p], `w ${w} pair ${p}`);
    }
  }
  assert.is(codeOf(() => netlistFromCodeTable({ operandBits: 2, outputs: 2, codes: [4, ...new Array(15).fill(0)] })), 'E_RANGE');
  assert.is(codeOf(() => netlistFromCodeTable({ operandBits: 2, outputs: 2, codes: [0] })), 'E_SHAPE');
});

test('randomNetlist: seeded, layered (level 1 reads only operand bits), outputs = first gates of the last level', () => {
  const options = { operandBits: 8, levels: 2, gatesPerLevel: 64, outputs: 64, seed: 1 };
  const a = randomNetlist(options);
  assert.equal(randomNetlist(options), a);
  assert.not.equal(randomNetlist({ ...options, seed: 2 }), a);
  assert.is(a.gates.length, 128);
  assert.equal(a.outputs, Array.from({ length: 64 }, (_, i) => 16 + 64 + i));
  assert.is(a.constant, true);
  a.gates.forEach((g, i) => {
    const limit = i < 64 ? 16 : 80;
    assert.ok(g.a < limit && (g.b === undefined || g.b < limit), `gate ${i}`);
  });
  checkNetlist('random', a);
  assert.is(codeOf(() => randomNetlist({ operandBits: 8, gatesPerLevel: 4, outputs: 5 })), 'E_RANGE');
});

test('fitPositionWeights: α = 0 recovers the identity weights exactly, also with collinear extra bits', () => {
  const enc = identityEncoder(8);
  for (const constant of [false, true]) {
    const fit = fitPositionWeights(enc.netlist, { constant });
    assert.is(fit.weights.length, 16 + (constant ? 1 : 0));
    enc.weights.forEach((s, i) => assert.ok(Math.abs(fit.weights[i] - s) < 1e-6, `s${15 - i}: ${fit.weights[i]}`));
    if (constant) assert.ok(Math.abs(fit.weights[16]) < 1e-6);
    assert.ok(fit.maxRelativeError < 1e-9 && fit.meanAbsError < 1e-9);
  }
  // Duplicated bits make C·Cᵀ singular; the fit must still be exact.
  const dup: Netlist = { ...enc.netlist, outputs: [...enc.netlist.outputs, enc.netlist.outputs[0], enc.netlist.outputs[15], enc.netlist.outputs[7]] };
  assert.ok(fitPositionWeights(dup).maxRelativeError < 1e-9);
  assert.is(codeOf(() => fitPositionWeights(enc.netlist, { alpha: -1 })), 'E_RANGE');
  assert.is(codeOf(() => fitPositionWeights(enc.netlist, { target: 3 as never })), 'E_DTYPE');
});

test('A.11 ridge check: α = 0.1 on the 16-bit product code (with the constant row) → s15 ≈ −28670.9, s14 ≈ 12287.4, max rel. error ≈ 0.25', () => {
  const net = identityEncoder(8).netlist;
  const fit = fitPositionWeights(net, { alpha: 0.1, constant: true });
  assert.ok(Math.abs(fit.weights[0] + 28670.9) < 0.05, `s15 ${fit.weights[0]}`);
  assert.ok(Math.abs(fit.weights[1] - 12287.4) < 0.05, `s14 ${fit.weights[1]}`);
  assert.ok(Math.abs(fit.maxRelativeError - 0.25) < 0.001, `${fit.maxRelativeError}`);
  // Without the constant row the published s15 is not reproduced (−28671.55): the spec's numbers include it.
  const bare = fitPositionWeights(net, { alpha: 0.1, constant: false });
  assert.ok(Math.abs(bare.weights[0] + 28671.55) < 0.05, `s15 ${bare.weights[0]}`);
});

test('selectOutputs keeps the largest |s| in position order and refits; custom targets', () => {
  const net = identityEncoder(4).netlist;
  const weights = [5, -1, 9, 0.5, -7, 2, 3, -8];
  const kept = selectOutputs({ netlist: net, weights }, 4);
  assert.equal(kept.netlist.outputs, [0, 2, 4, 7].map((i) => net.outputs[i]));
  assert.is(kept.netlist.constant, false); // follows the given netlist
  assert.equal(Array.from(kept.weights), Array.from(fitPositionWeights(kept.netlist, { constant: false }).weights));
  // Keeping all product bits of the identity code stays exact; a target a·w + 3 is met through the constant.
  const shifted = fitPositionWeights(net, { target: (a, w) => a * w + 3 });
  assert.ok(shifted.maxRelativeError < 1e-9 && Math.abs(shifted.weights[8] - 3) < 1e-9);
  assert.is(codeOf(() => selectOutputs({ netlist: net, weights }, 9)), 'E_RANGE');
  assert.is(codeOf(() => selectOutputs({ netlist: net, weights: [1] }, 2)), 'E_SHAPE');
});

test('searchEncoder: deterministic per seed, never gets worse, reports the error of the encoder it returns', () => {
  const options = { operandBits: 3, outputs: 6, candidates: 16, generations: 6, seed: 3 };
  const a = searchEncoder(options);
  const b = searchEncoder(options);
  assert.equal(a.history, b.history);
  assert.equal(a.encoder, b.encoder);
  for (let i = 1; i < a.history.length; i++) assert.ok(a.history[i] <= a.history[i - 1]);
  assert.is(a.encoder.netlist.outputs.length, 6);
  assert.ok(a.encoder.weights instanceof Int32Array);
  assert.is(encoderError(a.encoder).maxRelativeError, a.maxRelativeError);
  assert.is(a.evaluations, 1 + 6 * 4);
});

test.run();
