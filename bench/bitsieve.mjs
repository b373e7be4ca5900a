// bitsieve under test: one build per process (the orchestrator starts one worker per variant).
import { init, Dense } from '../dist/index.js';

export async function open({ variant }) {
  const bs = await init({ variant });
  // init() falls back silently to a lesser build; a mislabeled variant would poison every ratio.
  if (bs.variant !== variant) throw new Error(`asked for the ${variant} build, got ${bs.variant}`);
  return {
    library: 'bitsieve',
    variant: bs.variant,
    simd: `bitsieve.${bs.variant}.wasm (features ${JSON.stringify(bs.features)})`,
    prepare(c, { w, x }) {
      const layer = bs.linear(Dense.from(w, [c.n, c.k]));
      const xT = bs.tensor(x);
      const yT = bs.tensor(c.m * c.n);
      const out = new Float32Array(c.m * c.n);
      return {
        modes: {
          // Kernel only: x and y already live in wasm memory.
          resident: () => layer.run(xT, yT, c.m),
          // What a JS caller pays: copy x in, run, copy y out into a reused array.
          'end-to-end': () => layer.forward(x, c.m, out),
        },
        outputs() {
          layer.run(xT, yT, c.m);
          return { resident: yT.read(), 'end-to-end': layer.forward(x, c.m).slice() };
        },
        info: { residentBytes: layer.residentBytes, heap: bs.heap },
        dispose() {
          layer.dispose();
          xT.dispose();
          yT.dispose();
        },
      };
    },
  };
}
