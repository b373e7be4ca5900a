// Types of quant-experiment.mjs for the TypeScript test that reuses it.
import type { quantizeGptq, quantizeRtn, readTfjsWeights } from '../src/index.js';
import type { ExperimentLayer } from './prune-experiment.mjs';

export interface QuantSetting {
  label: string;
  bits: number;
  groupSize: number;
}
export interface QuantRecord {
  layer: string;
  setting: string;
  groupSize: number;
  method: 'rtn' | 'gptq';
  weightError: number;
  outputError: number;
  heldOutError: number;
  ms: number;
}
export interface QuantizingLibrary {
  readTfjsWeights: typeof readTfjsWeights;
  quantizeRtn: typeof quantizeRtn;
  quantizeGptq: typeof quantizeGptq;
}
export const LAYERS: ExperimentLayer[];
export const SETTINGS: QuantSetting[];
export function groupSizeFor(groupSize: number, cols: number): number;
export function runQuantExperiment(
  lib: QuantizingLibrary,
  manifest: unknown,
  bin: Uint8Array,
  options?: { layers?: ExperimentLayer[]; settings?: QuantSetting[]; batch?: number; seed?: number; heldOut?: boolean },
): QuantRecord[];
