// A small, seeded encoder search for the encoded MAC, after EncodingNet's CGP search (sc_encoded_mac.md §8.3) but
// much simpler: a (1 + λ) evolution strategy over 2-level random netlists (randomNetlist with `candidates` gates
// per level and the level-2 gates as candidate outputs + a constant).
// Fitness of a netlist: fit weights to all candidates (fitPositionWeights, α = `alpha`, constant), keep the
// `outputs` with the largest |s| and refit (selectOutputs), round the weights to integers, then the exhaustive
// maximum relative error of that integer encoder (ties: mean absolute error). Lower is better; a child replaces
// the parent when it is not worse (neutral drift, as in CGP). Mutation: each gene (op, a, b of every gate) is
// redrawn with probability `mutationRate` (at least one gene per child). No area term: this optimizes accuracy
// only, for demos; the paper's area / power objective is not modelled.
import { expectInteger } from '../runtime/validate.js';
import { Xoshiro128 } from '../sc/sources/uniform.js';
import { BitsieveError } from '../runtime/errors.js';
import { randomNetlist } from './encoders.js';
import { encoderError, fitPositionWeights, selectOutputs } from './fit.js';
import { GATE_OPS, type Encoder, type Gate, type Netlist } from './netlist.js';
import { expectOperandBits } from './operands.js';

export interface SearchEncoderOptions {
  /** Operand width. Default 8. */
  operandBits?: number;
  /** Encoded bits M kept. Default 48. */
  outputs?: number;
  /** Gates per level, = candidate outputs. Default 128. */
  candidates?: number;
  /** Generations. Default 150 (about 600 fits, 1.5–2 min for w = 8 on one core). */
  generations?: number;
  /** Children per generation (λ). Default 4. */
  offspring?: number;
  /** Per-gene mutation probability. Default 0.02. */
  mutationRate?: number;
  /** Ridge α of the fits. Default 0. */
  alpha?: number;
  /** Seed (xoshiro128**). Default 1. */
  seed?: number;
  /**
   * Starting netlist. 'random' (default): randomNetlist. 'partialProducts': the same random netlist with its
   * first w² level-1 gates replaced by the partial products AND(a_i, b_j) and the first w² level-2 gates by
   * identities of them (needs candidates ≥ w²), so the search starts from an exact 64-bit (w = 8) code.
   */
  start?: 'random' | 'partialProducts';
}

export interface SearchEncoderResult {
  /** The best encoder: the selected outputs (+ constant) with integer weights. */
  encoder: Encoder;
  maxRelativeError: number;
  meanAbsError: number;
  /** Best max relative error after each generation (index 0 = the initial random netlist). */
  history: number[];
  evaluations: number;
}

interface Scored {
  netlist: Netlist;
  encoder: Encoder;
  maxRelativeError: number;
  meanAbsError: number;
}

/**
 * Searches a `outputs`-bit encoder for w-bit products (see the file comment). Deterministic for a given seed.
 * @example const { encoder, maxRelativeError } = searchEncoder({ operandBits: 8, outputs: 48, generations: 20, seed: 1 });
 */
export function searchEncoder(options: SearchEncoderOptions = {}): SearchEncoderResult {
  const w = expectOperandBits('searchEncoder operandBits', options.operandBits ?? 8);
  const candidates = expectInteger('searchEncoder candidates', options.candidates ?? 128, 1, 4096);
  const m = expectInteger('searchEncoder outputs', options.outputs ?? 48, 1, candidates);
  const generations = expectInteger('searchEncoder generations', options.generations ?? 150, 0, 1e6);
  const offspring = expectInteger('searchEncoder offspring', options.offspring ?? 4, 1, 1000);
  const rate = options.mutationRate ?? 0.02;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new BitsieveError('E_RANGE', `searchEncoder mutationRate: expected a number in [0, 1], received ${rate}`);
  const alpha = options.alpha ?? 0;
  const seed = expectInteger('searchEncoder seed', options.seed ?? 1, 0, 2 ** 32 - 1);
  const rng = new Xoshiro128(seed);
  const below = (n: number) => Math.floor((rng.next() / 2 ** 32) * n);
  let evaluations = 0;
  const score = (netlist: Netlist): Scored => {
    evaluations++;
    const full = fitPositionWeights(netlist, { alpha, constant: true });
    const kept = selectOutputs(full, m, { alpha, constant: true });
    const encoder: Encoder = { netlist: kept.netlist, weights: Int32Array.from(kept.weights, Math.round) };
    return { netlist, encoder, ...encoderError(encoder) };
  };
  const better = (a: Scored, b: Scored) => a.maxRelativeError < b.maxRelativeError || (a.maxRelativeError === b.maxRelativeError && a.meanAbsError <= b.meanAbsError);
  const inputs = 2 * w;
  const mutate = (parent: Netlist): Netlist => {
    const gates: Gate[] = parent.gates.map((g) => ({ ...g }));
    const genes = gates.length * 3;
    let changed = 0;
    const redraw = (gene: number) => {
      const g = gates[Math.floor(gene / 3)];
      const reach = Math.floor(gene / 3) < candidates ? inputs : inputs + candidates; // level 1 reads inputs only
      const field = gene % 3;
      if (field === 0) {
        g.op = GATE_OPS[below(GATE_OPS.length)];
        if (g.op === 'not' || g.op === 'id') delete g.b;
        else if (g.b === undefined) g.b = below(reach);
      } else if (field === 1) g.a = below(reach);
      else if (g.b !== undefined) g.b = below(reach);
      changed++;
    };
    for (let gene = 0; gene < genes; gene++) if (rng.next() / 2 ** 32 < rate) redraw(gene);
    if (changed === 0) redraw(below(genes));
    return { ...parent, gates };
  };
  const start = options.start ?? 'random';
  if (start !== 'random' && start !== 'partialProducts') throw new BitsieveError('E_RANGE', `searchEncoder start: expected 'random' | 'partialProducts', received ${String(start)}`);
  const initial = randomNetlist({ operandBits: w, levels: 2, gatesPerLevel: candidates, outputs: candidates, constant: true, seed });
  if (start === 'partialProducts') {
    if (candidates < w * w) throw new BitsieveError('E_RANGE', `searchEncoder: start 'partialProducts' needs candidates ≥ w² = ${w * w}, received ${candidates}`);
    for (let i = 0; i < w; i++) {
      for (let j = 0; j < w; j++) {
        initial.gates[i * w + j] = { op: 'and', a: i, b: w + j };
        initial.gates[candidates + i * w + j] = { op: 'id', a: inputs + i * w + j };
      }
    }
  }
  let best = score(initial);
  const history = [best.maxRelativeError];
  for (let gen = 0; gen < generations; gen++) {
    let champion: Scored | undefined;
    for (let c = 0; c < offspring; c++) {
      const child = score(mutate(best.netlist));
      if (!champion || better(child, champion)) champion = child;
    }
    if (champion && better(champion, best)) best = champion;
    history.push(best.maxRelativeError);
  }
  return { encoder: best.encoder, maxRelativeError: best.maxRelativeError, meanAbsError: best.meanAbsError, history, evaluations };
}
