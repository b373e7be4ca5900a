// Picks one quantized Linear's tensors out of a safetensors file by its module prefix (e.g.
// "model.layers.0.mlp.down_proj.") under the key names GPTQ, AWQ and bitsandbytes checkpoints use,
// checks their dtypes, derives [out, in] from the packed shapes, and imports them.
import type { QuantizedWeights } from '../../compress/quantize/quantized-weights.js';
import { BitsieveError } from '../../runtime/errors.js';
import type { SafetensorsDtype, SafetensorsFile, SafetensorsTensor } from '../safetensors.js';
import { importAwq, type AwqConfig } from './awq.js';
import { importBnb4, type Bnb4Weights } from './bnb4.js';
import { importGptq, type GptqConfig } from './gptq.js';
import { expectObject, type StoredScales } from './packing.js';

function tensor(file: SafetensorsFile, name: string, dtypes: readonly SafetensorsDtype[]): SafetensorsTensor;
function tensor(file: SafetensorsFile, name: string, dtypes: readonly SafetensorsDtype[], optional: true): SafetensorsTensor | undefined;
function tensor(file: SafetensorsFile, name: string, dtypes: readonly SafetensorsDtype[], optional = false): SafetensorsTensor | undefined {
  const t = file.tensors.get(name);
  if (t === undefined) {
    if (optional) return undefined;
    throw new BitsieveError('E_FORMAT', `safetensors: expected a tensor named ${JSON.stringify(name)}`);
  }
  if (!dtypes.includes(t.dtype)) throw new BitsieveError('E_DTYPE', `safetensors ${JSON.stringify(name)}: expected dtype ${dtypes.join(' or ')}, received ${t.dtype}`);
  return t;
}

function shape2(t: SafetensorsTensor): [number, number] {
  if (t.shape.length !== 2) throw new BitsieveError('E_SHAPE', `safetensors ${JSON.stringify(t.name)}: expected 2 dimensions, received [${t.shape.join(', ')}]`);
  return [t.shape[0], t.shape[1]];
}

const scalesOf = (t: SafetensorsTensor) => t.array() as StoredScales;

/** Imports `${prefix}qweight`, `qzeros`, `scales` (F16 or F32) and optional `g_idx` as a GPTQ layer; [out, in] = [qweight cols, qweight rows · 32 / bits]. */
export function readGptqLayer(file: SafetensorsFile, prefix: string, config: GptqConfig): QuantizedWeights {
  expectObject('GPTQ config', config);
  const qweight = tensor(file, `${prefix}qweight`, ['I32']);
  const [rows, cols] = shape2(qweight);
  const gIdx = tensor(file, `${prefix}g_idx`, ['I32'], true);
  return importGptq(
    {
      qweight: qweight.array() as Int32Array,
      qzeros: tensor(file, `${prefix}qzeros`, ['I32']).array() as Int32Array,
      scales: scalesOf(tensor(file, `${prefix}scales`, ['F16', 'F32'])),
      ...(gIdx && { g_idx: gIdx.array() as Int32Array }),
    },
    config,
    [cols, (rows * 32) / config.bits],
  );
}

/** Imports `${prefix}qweight`, `qzeros`, `scales` as an AWQ-GEMM layer; [out, in] = [qweight cols · 8, qweight rows]. */
export function readAwqLayer(file: SafetensorsFile, prefix: string, config: AwqConfig): QuantizedWeights {
  const qweight = tensor(file, `${prefix}qweight`, ['I32']);
  const [rows, cols] = shape2(qweight);
  return importAwq(
    {
      qweight: qweight.array() as Int32Array,
      qzeros: tensor(file, `${prefix}qzeros`, ['I32']).array() as Int32Array,
      scales: scalesOf(tensor(file, `${prefix}scales`, ['F16', 'F32'])),
    },
    config,
    [cols * 8, rows],
  );
}

/**
 * Imports the bitsandbytes tensors of `${prefix}weight` (absmax, quant_map, optional nested_absmax
 * and nested_quant_map, and quant_state.bitsandbytes__nf4 or __fp4).
 */
export function readBnb4Layer(file: SafetensorsFile, prefix: string): Bnb4Weights {
  const w = `${prefix}weight`;
  const states = (['nf4', 'fp4'] as const).map((type) => file.tensors.get(`${w}.quant_state.bitsandbytes__${type}`)).filter((t) => t !== undefined);
  if (states.length !== 1) throw new BitsieveError('E_FORMAT', `safetensors: expected exactly one of ${JSON.stringify(`${w}.quant_state.bitsandbytes__nf4`)} / __fp4, found ${states.length}`);
  const state = states[0];
  if (state.dtype !== 'U8') throw new BitsieveError('E_DTYPE', `safetensors ${JSON.stringify(state.name)}: expected dtype U8, received ${state.dtype}`);
  const nestedAbsmax = tensor(file, `${w}.nested_absmax`, ['F32'], true);
  const nestedMap = tensor(file, `${w}.nested_quant_map`, ['F32'], true);
  const weights = importBnb4({
    weight: tensor(file, w, ['U8']).array() as Uint8Array,
    absmax: tensor(file, `${w}.absmax`, ['F32', 'U8']).array() as Float32Array | Uint8Array,
    quant_map: tensor(file, `${w}.quant_map`, ['F32']).array() as Float32Array,
    quant_state: state.data,
    ...(nestedAbsmax && { nested_absmax: nestedAbsmax.array() as Float32Array }),
    ...(nestedMap && { nested_quant_map: nestedMap.array() as Float32Array }),
  });
  if (!state.name.endsWith(`__${weights.quantType}`)) throw new BitsieveError('E_FORMAT', `safetensors ${JSON.stringify(state.name)}: quant_state says quant_type ${weights.quantType}`);
  return weights;
}
