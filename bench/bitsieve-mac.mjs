// bitsieve on the MAC family's cases (bench/families/mac.mjs), end to end through the public API (bs.mac.*):
// operand codes copied in, exact integer outputs copied out. The netlist mode runs twice: as the library does by
// default (gates that read only one operand's bits computed once per weight row / activation row) and with
// `hoist: false` ('all-gates': every gate for every product, the plain-JS peer's work); identical results.
import { NETLIST } from './families/mac.mjs';

function encoded(bs, c, { x, w, netlist, weights }) {
  const encoder = { netlist, weights };
  const layers =
    c.mode === 'lut'
      ? { 'end-to-end': bs.mac.encodedLinear(w, [c.n, c.k], encoder, { mode: 'lut' }) }
      : { 'end-to-end': bs.mac.encodedLinear(w, [c.n, c.k], encoder), 'all-gates': bs.mac.encodedLinear(w, [c.n, c.k], encoder, { hoist: false }) };
  const modes = Object.fromEntries(Object.entries(layers).map(([mode, layer]) => [mode, () => layer.forward(x, c.m)]));
  return {
    modes,
    outputs: () => Object.fromEntries(Object.entries(modes).map(([mode, run]) => [mode, run()])),
    info: { residentBytes: Object.values(layers).reduce((s, l) => s + (l.residentBytes ?? 0), 0), netlist: NETLIST },
    dispose: () => Object.values(layers).forEach((l) => l.dispose()),
  };
}

/** The crossbar from weight codes (scale 1), run on input codes: exact integer sums (ADC effects included). */
function crossbar(bs, c, { x, w }) {
  const { rows, cols, weightBits, cellBits, inputBits, adcBits, mapping } = c;
  const layer = bs.mac.crossbar(w, [c.n, c.k], { rows, cols, weightBits, cellBits, inputBits, adcBits, mapping, inputEncoding: 'twos-complement' });
  const run = () => layer.forwardCodes(x, c.m);
  return {
    modes: { 'end-to-end': run },
    outputs: () => ({ 'end-to-end': run() }),
    info: { residentBytes: layer.residentBytes, arrays: layer.arrays },
    dispose: () => layer.dispose(),
  };
}

/** Approximate MAC: BAM products accumulated by a lower-part-OR adder in a 32-bit register. */
function approx(bs, c, { x, w }) {
  const layer = bs.mac.approxLinear(w, [c.n, c.k], { multiplier: { kind: 'bam', hbl: c.hbl, vbl: c.vbl }, adder: { kind: 'loa', lowerBits: c.lowerBits }, accumulatorBits: 32 });
  const run = () => layer.forward(x, c.m);
  return { modes: { 'end-to-end': run }, outputs: () => ({ 'end-to-end': run() }), info: { residentBytes: layer.residentBytes }, dispose: () => layer.dispose() };
}

const OPS = { encoded, crossbar, approx };

export function prepareMac(bs, c, data) {
  return OPS[c.op](bs, c, data);
}
