// Types of prune-experiment.mjs for the TypeScript test that reuses it.
import type { readTfjsWeights, pruneMagnitude, pruneWanda, pruneSparseGpt } from '../src/index.js';

export interface ExperimentLayer {
  name: string;
  label: string;
}
export interface ExperimentRecord {
  layer: string;
  target: string;
  method: 'magnitude' | 'wanda' | 'sparsegpt';
  sparsity: number;
  weightError: number;
  outputError: number;
  heldOutError: number;
  ms: number;
}
export interface PruningLibrary {
  readTfjsWeights: typeof readTfjsWeights;
  pruneMagnitude: typeof pruneMagnitude;
  pruneWanda: typeof pruneWanda;
  pruneSparseGpt: typeof pruneSparseGpt;
}
export function faceRecognitionModel(): { manifest: unknown; bin: Uint8Array };
export const LAYERS: ExperimentLayer[];
export const TARGETS: { label: string; target: { sparsity: number } | { n: number; m: number } }[];
export function toLinear(tensor: { shape: number[]; data: ArrayLike<number> }): { w: Float32Array; shape: [number, number] };
export function gaussians(length: number, seed: number): Float64Array;
export function correlatedActivations(cols: number, batch: number, seed: number, sampleSeed?: number): Float32Array;
export function outputError(w: ArrayLike<number>, pruned: ArrayLike<number>, x: ArrayLike<number>, rows: number, cols: number): number;
export function runExperiment(
  lib: PruningLibrary,
  manifest: unknown,
  bin: Uint8Array,
  options?: { layers?: ExperimentLayer[]; batch?: number; seed?: number; heldOut?: boolean },
): ExperimentRecord[];
