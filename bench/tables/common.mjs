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
