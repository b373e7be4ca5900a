// Every implemented ggml block type, by GGUF type id. Each type family registers its codecs here.
import type { GgufCodec } from './codec.js';
import { FLOAT_CODECS } from './float.js';
import { LEGACY_CODECS } from './legacy.js';
import { NONLINEAR_CODECS } from './nonlinear.js';

const registered: GgufCodec[] = [
  ...FLOAT_CODECS,
  ...LEGACY_CODECS,
  ...NONLINEAR_CODECS,
];

/** Codecs by ggml type id. */
export const GGUF_CODECS: ReadonlyMap<number, GgufCodec> = new Map(registered.map((c) => [c.info.id, c]));
