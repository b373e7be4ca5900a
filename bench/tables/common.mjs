// Helpers shared by the per-family report tables.
export const TFJS = '@tensorflow/tfjs-backend-wasm';
export const ORT = 'onnxruntime-web';

export const fmt = (g) => (g == null ? '–' : g >= 10 ? g.toFixed(1) : g.toFixed(2));
/** a's speedup over b: b.ms / a.ms, as text. */
export const ratio = (a, b) => (a == null || b == null ? '–' : `${(b / a).toFixed(2)}×`);
export const caseNames = (records) => [...new Set(records.map((r) => r.case))];

/** The record of one case / library / build / mode (variant optional for single-build peers). */
export const finder = (records) => (name, library, variant, mode) =>
  records.find((r) => r.case === name && r.library === library && (!variant || r.variant === variant) && r.mode === mode);

/**
 * One issue target as a table row: `t` has a label, what it needs and one of rate (≥, in r.unit), maxMs (≤) or
 * min (speedup over the peer `js`, ≥); `r` is bitsieve's record.
 */
export function targetRow(t, r, js) {
  if (!r || (t.min !== undefined && !js)) return `| ${t.label} | ${t.needs} | – | not measured |`;
  const value = t.rate !== undefined ? r.rate : t.maxMs !== undefined ? r.ms : js.ms / r.ms;
  const met = t.rate !== undefined ? value >= t.rate : t.maxMs !== undefined ? value <= t.maxMs : value >= t.min;
  const shown = t.rate !== undefined ? `${fmt(value)} ${r.unit}` : t.maxMs !== undefined ? `${value.toFixed(2)} ms` : `${value.toFixed(1)}×`;
  return `| ${t.label} | ${t.needs} | ${shown} | ${met ? 'met' : 'MISSED'} |`;
}

/** The targets block of a family table: a caption, then one row per target. */
export const targetTable = (caption, rows) => ['', caption, '', '| target | needs | measured | status |', '| --- | --- | ---: | --- |', ...rows];
