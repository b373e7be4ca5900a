// Every implemented ggml block type, by GGUF type id. Each type family registers its codecs here.
import type { GgufCodec } from './codec.js';

const registered: GgufCodec[] = [];

/** Codecs by ggml type id. */
export const GGUF_CODECS: ReadonlyMap<number, GgufCodec> = new Map(registered.map((c) => [c.info.id, c]));
