// Restrict a quantized layer to its lowest-toggle weight values (the selection step of PowerPruning, with the
// toggle proxy of toggles.ts instead of gate-level power; no retraining here).
// Allowed set: 0 (always, it never toggles the PP array) plus the keep − 1 other values with the fewest toggles
// (ties: smaller |value| first, then the negative value first), or, with `maxToggles`, 0 plus every value whose
// toggle count is ≤ maxToggles. Every weight maps to the allowed value nearest in squared error; equidistant
// candidates go to the one with fewer toggles, then to the smaller |value|.
import { BitsieveError, describe } from '../../runtime/errors.js';
import { expectInteger } from '../../runtime/validate.js';
import type { ToggleTable } from './toggles.js';

export interface RestrictOptions {
  /** Toggle counts per weight code (a toggleTable result or its `total`), 2^w entries. */
  table: ToggleTable | Float64Array;
  /** Number of allowed values including 0 (1..2^w). */
  keep?: number;
  /** Instead of keep: allow every value with at most this many toggles (plus 0). */
  maxToggles?: number;
}

export interface RestrictResult<T extends Int8Array | Uint8Array> {
  /** The weights mapped to the allowed set (same type as the input). */
  weights: T;
  /** The allowed values, ascending. */
  allowedValues: Int32Array;
  /** Mean of (new − old)² over the weights. */
  meanSquaredError: number;
  /** Toggles per MAC averaged over the layer's weights, before and after. */
  averageTogglesBefore: number;
  averageTogglesAfter: number;
}

/**
 * Maps a quantized layer onto its `keep` lowest-toggle weight values (Int8Array: signed codes; Uint8Array: unsigned).
 * Example: `restrictToLowToggle(w, { table: toggleTable({ histogram }), keep: 16 }).weights`.
 */
export function restrictToLowToggle<T extends Int8Array | Uint8Array>(weights: T, options: RestrictOptions): RestrictResult<T> {
  if (!(weights instanceof Int8Array) && !(weights instanceof Uint8Array)) {
    throw new BitsieveError('E_DTYPE', `restrictToLowToggle weights: expected Int8Array or Uint8Array, received ${describe(weights)}`);
  }
  const signed = weights instanceof Int8Array;
  const raw = options?.table;
  const table = raw instanceof Float64Array ? raw : (raw as ToggleTable | undefined)?.total;
  if (!(table instanceof Float64Array)) throw new BitsieveError('E_DTYPE', `restrictToLowToggle table: expected a ToggleTable or Float64Array, received ${describe(raw)}`);
  const n = table.length;
  const w = Math.log2(n);
  if (!Number.isInteger(w) || w < 2 || w > 8) throw new BitsieveError('E_SHAPE', `restrictToLowToggle table: expected 2^w entries (w = 2..8), received ${n}`);
  if (!(raw instanceof Float64Array) && (raw as ToggleTable).signed !== signed) {
    throw new BitsieveError('E_DTYPE', `restrictToLowToggle: table signed = ${(raw as ToggleTable).signed} but weights are ${weights.constructor.name}`);
  }
  for (let c = 0; c < n; c++) if (!Number.isFinite(table[c])) throw new BitsieveError('E_RANGE', `restrictToLowToggle table[${c}]: expected a finite number, received ${table[c]}`);
  const min = signed ? -(n >> 1) : 0;
  const max = signed ? (n >> 1) - 1 : n - 1;
  const mask = n - 1;
  for (let t = 0; t < weights.length; t++) {
    if (weights[t] < min || weights[t] > max) throw new BitsieveError('E_RANGE', `restrictToLowToggle weights[${t}]: expected a ${w}-bit value in [${min}, ${max}], received ${weights[t]}`);
  }
  const toggles = (v: number) => table[v & mask];
  const values = Array.from({ length: n }, (_, i) => min + i);
  const fewer = (a: number, b: number) => toggles(a) - toggles(b) || Math.abs(a) - Math.abs(b) || a - b;
  let allowed: number[];
  if ((options.keep === undefined) === (options.maxToggles === undefined)) {
    throw new BitsieveError('E_RANGE', 'restrictToLowToggle: expected exactly one of keep or maxToggles');
  }
  if (options.keep !== undefined) {
    const keep = expectInteger('restrictToLowToggle keep', options.keep, 1, n);
    allowed = [0, ...values.filter((v) => v !== 0).sort(fewer).slice(0, keep - 1)];
  } else {
    const budget = options.maxToggles;
    if (typeof budget !== 'number' || Number.isNaN(budget)) throw new BitsieveError('E_RANGE', `restrictToLowToggle maxToggles: expected a number, received ${describe(budget)}`);
    allowed = [0, ...values.filter((v) => v !== 0 && toggles(v) <= budget)];
  }
  allowed.sort((a, b) => a - b);
  // Nearest allowed value for every representable value.
  const nearest = new Int32Array(n);
  for (const v of values) {
    let best = allowed[0];
    for (const a of allowed) {
      const d = (a - v) ** 2 - (best - v) ** 2;
      if (d < 0 || (d === 0 && fewer(a, best) < 0)) best = a;
    }
    nearest[v - min] = best;
  }
  const out = new (weights.constructor as new (length: number) => T)(weights.length);
  let se = 0;
  let before = 0;
  let after = 0;
  for (let t = 0; t < weights.length; t++) {
    const v = weights[t];
    const m = nearest[v - min];
    out[t] = m;
    se += (m - v) ** 2;
    before += toggles(v);
    after += toggles(m);
  }
  const count = Math.max(weights.length, 1);
  return {
    weights: out,
    allowedValues: Int32Array.from(allowed),
    meanSquaredError: se / count,
    averageTogglesBefore: before / count,
    averageTogglesAfter: after / count,
  };
}
