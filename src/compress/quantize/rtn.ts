// Round-to-nearest: every group's scale and zero point from its own min/max (grid.ts), every
// weight to its nearest code. The baseline calibration-aware quantizers (GPTQ) are measured against.
import { expectCalibration, expectWeights } from '../inputs.js';
import { fitGroup, parseGrid, quantizeValue, type GridOptions } from './grid.js';
import { QuantizedWeightsBuilder, type QuantizedWeights } from './quantized-weights.js';
import { quantizeReport, type QuantizeResult } from './result.js';

export interface RtnOptions extends GridOptions {
  /** Optional activations [batch, in]: only to report the output error. */
  calibration?: Float32Array;
}

/**
 * Round-to-nearest quantization of a dense [out, in] matrix on a group-wise grid. For one scale
 * per tensor, pass the weights with shape [1, out·in] and groupSize out·in.
 */
export function quantizeRtn(w: ArrayLike<number>, shape: readonly [number, number], options?: RtnOptions): QuantizeResult<QuantizedWeights> {
  const [rows, cols] = expectWeights('quantizeRtn', w, shape);
  const grid = parseGrid('quantizeRtn', options, cols);
  const calibration = options?.calibration;
  expectCalibration('quantizeRtn', calibration, cols, false);
  const out = new QuantizedWeightsBuilder(rows, cols, grid);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < grid.groups; g++) {
      const start = r * cols + g * grid.groupSize;
      const params = fitGroup(w, start, grid.groupSize, grid);
      out.setGroup(r, g, params);
      for (let i = start; i < start + grid.groupSize; i++) out.codes[i] = quantizeValue(w[i], params, grid.maxq);
    }
  }
  const format = out.build();
  return { format, ...quantizeReport(w, format.dequantize(), rows, cols, calibration) };
}
