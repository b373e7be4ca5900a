// workerd entry. Bundled with the "workerd" export condition, as wrangler does, so 'bitsieve' resolves to
// dist/workerd.js, which imports the .wasm files as modules (workerd forbids compiling wasm from bytes).
import * as bitsieve from 'bitsieve';
import relaxed from 'bitsieve/wasm/bitsieve.relaxed.wasm';
import simd from 'bitsieve/wasm/bitsieve.simd.wasm';
import scalar from 'bitsieve/wasm/bitsieve.scalar.wasm';
import { smoke } from '../smoke.mjs';

const modules = { relaxed, simd, scalar };

export default {
  async fetch() {
    const result = await smoke(bitsieve, { wasm: (variant) => modules[variant] });
    return Response.json({ host: 'workerd', ...result });
  },
};
