// Plain typed-array JS versions of the MAC family's arithmetic (bench/families/mac.mjs), written the way a
// user would without a library, but not naively: the netlist is evaluated bit-parallel over u32 words
// (32 products per word, one gate applied to a whole row's words at a time, weight planes packed once),
// with a SWAR popcount per output position; the product table is a plain gather loop.
import { popcount32 } from './plain-js-sc.mjs';

const GATES = {
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  nand: (a, b) => ~(a & b),
  nor: (a, b) => ~(a | b),
  xnor: (a, b) => ~(a ^ b),
  not: (a) => ~a,
  id: (a) => a,
};

/** Gate order in which every gate's inputs come first (the netlists here are already topological). */
function topological(netlist) {
  const inputs = 2 * netlist.operandBits;
  netlist.gates.forEach((g, i) => {
    if (g.a >= inputs + i || (g.b ?? 0) >= inputs + i) throw new Error('plain-js-mac: netlist not in topological order');
  });
  return netlist.gates;
}

/** Applies every gate to whole planes of `words` u32 (node j's plane at v[j·words …]). */
function evaluateGates(gates, bits, words, v, fns = gates.map((g) => GATES[g.op])) {
  for (let g = 0; g < gates.length; g++) {
    const f = fns[g], a = gates[g].a * words, c = (gates[g].b ?? 0) * words, d = (2 * bits + g) * words;
    for (let t = 0; t < words; t++) v[d + t] = f(v[a + t], v[c + t]);
  }
}

/** Bit planes of w-bit codes: plane p (MSB first, as the netlist's node ids) = K-bit mask of bit w−1−p, 32 per word. */
export function planesOf(codes, rows, k, bits) {
  const words = Math.ceil(k / 32);
  const planes = new Int32Array(rows * bits * words);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      const v = codes[r * k + i];
      for (let p = 0; p < bits; p++) if ((v >> (bits - 1 - p)) & 1) planes[(r * bits + p) * words + (i >> 5)] |= 1 << (i & 31);
    }
  }
  return planes;
}

/**
 * y[b][o] = Σ_i s_i·popcount(e_i over the K products) (+ K·s_const): the EncodingNet MAC of weight row o and
 * activation row b. Node planes live in one Int32Array (node × words); padding bits of the last word masked.
 */
export function encodedNetlist({ m, n, k }, { netlist, weights, x, w }, y) {
  const bits = netlist.operandBits;
  const words = Math.ceil(k / 32);
  const gates = topological(netlist);
  const fns = gates.map((g) => GATES[g.op]);
  const nodes = 2 * bits + gates.length;
  const xPlanes = planesOf(x, m, k, bits);
  const wPlanes = planesOf(w, n, k, bits); // resident: packed once, as a user would
  const v = new Int32Array(nodes * words);
  const lastMask = k % 32 === 0 ? -1 : (1 << k % 32) - 1;
  const constant = netlist.constant ? weights[netlist.outputs.length] * k : 0;
  return () => {
    for (let b = 0; b < m; b++) {
      v.set(xPlanes.subarray(b * bits * words, (b + 1) * bits * words), 0);
      for (let o = 0; o < n; o++) {
        v.set(wPlanes.subarray(o * bits * words, (o + 1) * bits * words), bits * words);
        evaluateGates(gates, bits, words, v, fns);
        let acc = constant;
        for (let i = 0; i < netlist.outputs.length; i++) {
          const base = netlist.outputs[i] * words;
          let count = 0;
          for (let t = 0; t < words - 1; t++) count += popcount32(v[base + t]);
          count += popcount32(v[base + words - 1] & lastMask);
          acc += weights[i] * count;
        }
        y[b * n + o] = acc;
      }
    }
    return y;
  };
}

/** y[b][o] = Σ_k T[xcode][wcode] with codes the w-bit two's-complement patterns; T row = activation code. */
export function tableGemm({ m, n, k }, { table, bits, x, w }, y) {
  const mask = (1 << bits) - 1;
  const xc = Uint16Array.from(x, (v) => (v & mask) << bits);
  const wc = Uint8Array.from(w, (v) => v & mask);
  return () => {
    for (let b = 0; b < m; b++) {
      for (let o = 0; o < n; o++) {
        let acc = 0;
        for (let i = 0; i < k; i++) acc += table[xc[b * k + i] | wc[o * k + i]];
        y[b * n + o] = acc;
      }
    }
    return y;
  };
}

/** The product table of a netlist encoder: all 2^(2w) operand pairs as the lanes of one bit-parallel evaluation. */
export function netlistTable(netlist, weights) {
  const bits = netlist.operandBits, pairs = 1 << (2 * bits);
  const words = pairs / 32;
  const gates = topological(netlist);
  const v = new Int32Array((2 * bits + gates.length) * words);
  // Pair p = (activation code p >> w, weight code p & (2^w − 1)); node j < w is activation bit w−1−j.
  for (let p = 0; p < pairs; p++) {
    for (let j = 0; j < 2 * bits; j++) {
      const code = j < bits ? p >> bits : p;
      if ((code >> (bits - 1 - (j % bits))) & 1) v[j * words + (p >> 5)] |= 1 << (p & 31);
    }
  }
  evaluateGates(gates, bits, words, v);
  const m = netlist.outputs.length;
  const table = new Float64Array(pairs).fill(netlist.constant ? weights[m] : 0);
  for (let i = 0; i < m; i++) {
    const base = netlist.outputs[i] * words;
    for (let p = 0; p < pairs; p++) if ((v[base + (p >> 5)] >>> (p & 31)) & 1) table[p] += weights[i];
  }
  return table;
}

/**
 * Signed 8-bit broken-array multiplier (Mahdiani et al. 2010) in its Baugh–Wooley term form: the sum of the kept
 * partial-product terms a_i·b_j·2^(i+j) (row j ≥ hbl, column i + j ≥ vbl), negative when exactly one of i, j is 7.
 */
export function bamTable(hbl, vbl) {
  const table = new Int32Array(65536);
  for (let a = 0; a < 256; a++) {
    for (let b = 0; b < 256; b++) {
      let p = 0;
      for (let j = hbl; j < 8; j++) for (let i = 0; i < 8; i++) if (i + j >= vbl && ((a >> i) & (b >> j) & 1)) p += ((i === 7) !== (j === 7) ? -1 : 1) * 2 ** (i + j);
      table[(a << 8) | b] = p;
    }
  }
  return table;
}

/**
 * y[b][o] = acc after acc = LOA(acc, T[x][w]) over k in order: a 32-bit two's-complement register whose low `l` bits
 * are OR'd and whose upper part adds exactly with carry-in = AND of both operands' bit l − 1 (Mahdiani et al. 2010).
 */
export function approxGemm({ m, n, k, hbl, vbl, lowerBits: l }, { x, w }, y) {
  const table = bamTable(hbl, vbl);
  const low = (1 << l) - 1;
  return () => {
    for (let b = 0; b < m; b++) {
      for (let o = 0; o < n; o++) {
        let acc = 0;
        for (let i = 0; i < k; i++) {
          const p = table[((x[b * k + i] & 255) << 8) | (w[o * k + i] & 255)];
          const carry = (acc >> (l - 1)) & (p >> (l - 1)) & 1;
          acc = ((((acc >> l) + (p >> l) + carry) << l) | ((acc | p) & low)) | 0;
        }
        y[b * n + o] = acc;
      }
    }
    return y;
  };
}

const KERNELS = {
  approx: approxGemm,
  crossbar: crossbarGemm,
  encoded: (c, d, y) => (c.mode === 'lut' ? tableGemm(c, { table: netlistTable(d.netlist, d.weights), bits: d.netlist.operandBits, x: d.x, w: d.w }, y) : encodedNetlist(c, d, y)),
};

/** One call of the plain-JS implementation: the exact outputs (the bench's reference). */
export function macReference(c, d) {
  return KERNELS[c.op](c, d, new Float64Array(c.m * c.n))();
}

/** The peer: `prepare` for a MAC case (called by bench/peers/plain-js.mjs). */
export function prepareMac(c, d) {
  const run = KERNELS[c.op](c, d, new Float64Array(c.m * c.n));
  return { modes: { resident: run }, outputs: () => ({ resident: run().slice() }), dispose() {} };
}

/**
 * The crossbar of the bench (two-column mapping, weight codes q ∈ [−127, 127] sliced into `cellBits` cells, signed
 * 8-bit inputs two's-complement bit-serial, one bit per cycle, the sign bit cycle weighted −2^7, ADC
 * clamp(floor(sum + 0.5), 0, 2^adcBits − 1) per column, row tile and cycle): straightforward loops over the cells.
 */
export function crossbarGemm({ m, n, k, rows, cellBits, adcBits, inputBits }, { x, w }, y) {
  const slices = Math.ceil(7 / cellBits);
  const L = 2 ** cellBits - 1;
  const top = 2 ** adcBits - 1;
  // level[(p·n + o)·slices + s][i]: pair member p (0 = positive, 1 = negative), neuron o, slice s, input i.
  const levels = new Uint8Array(2 * n * slices * k);
  for (let o = 0; o < n; o++) {
    for (let i = 0; i < k; i++) {
      const q = w[o * k + i];
      for (let p = 0; p < 2; p++) {
        const v = p === 0 ? Math.max(q, 0) : Math.max(-q, 0);
        for (let s = 0; s < slices; s++) levels[((p * n + o) * slices + s) * k + i] = (v >> (s * cellBits)) & L;
      }
    }
  }
  const bit = new Uint8Array(k);
  return () => {
    for (let b = 0; b < m; b++) {
      for (let o = 0; o < n; o++) y[b * n + o] = 0;
      for (let t = 0; t < inputBits; t++) {
        const cycleWeight = t === inputBits - 1 ? -(2 ** t) : 2 ** t;
        for (let i = 0; i < k; i++) bit[i] = (x[b * k + i] >> t) & 1;
        for (let r0 = 0; r0 < k; r0 += rows) {
          const r1 = Math.min(k, r0 + rows);
          for (let col = 0; col < 2 * n * slices; col++) {
            const base = col * k;
            let sum = 0;
            for (let i = r0; i < r1; i++) sum += bit[i] * levels[base + i];
            const code = Math.min(top, Math.floor(sum + 0.5));
            const s = col % slices, o = Math.floor(col / slices) % n, sign = col < n * slices ? 1 : -1;
            y[b * n + o] += sign * 2 ** (s * cellBits) * cycleWeight * code;
          }
        }
      }
    }
    return y;
  };
}
