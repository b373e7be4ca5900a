// Every implemented ggml block type, by GGUF type id. Each type family registers its codecs here.
import type { GgufCodec } from './codec.js';
import { FLOAT_CODECS } from './float.js';
import { LEGACY_CODECS } from './legacy.js';
import { NONLINEAR_CODECS } from './nonlinear.js';
import { IQ4_XS_CODEC } from './iq4-xs.js';
import { Q2_K_CODEC, Q3_K_CODEC, Q4_K_CODEC, Q5_K_CODEC, Q6_K_CODEC, Q8_K_CODEC } from './k-quants.js';
import { TQ1_0_CODEC, TQ2_0_CODEC } from './ternary.js';

const registered: GgufCodec[] = [
  ...FLOAT_CODECS,
  ...LEGACY_CODECS,
  ...NONLINEAR_CODECS,
  Q2_K_CODEC,
  Q3_K_CODEC,
  Q4_K_CODEC,
  Q5_K_CODEC,
  Q6_K_CODEC,
  Q8_K_CODEC,
  IQ4_XS_CODEC,
  TQ1_0_CODEC,
  TQ2_0_CODEC,
];

/** Codecs by ggml type id. */
export const GGUF_CODECS: ReadonlyMap<number, GgufCodec> = new Map(registered.map((c) => [c.info.id, c]));
