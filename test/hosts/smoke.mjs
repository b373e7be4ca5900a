// The one host-agnostic smoke suite. Every host (Node ESM/CJS, Deno, Bun, workerd, Chromium) runs this same
// file against the *built* package and reports a plain JSON object, so hosts differ only in how they load.
// Plain ESM, no imports: the package is passed in, because each host resolves it differently.

const VARIANTS = ['relaxed', 'simd', 'scalar'];
const REL_TOL = 1e-5;
/** FNV-1a hashes of the MAC section's outputs, recorded on Node (every build and host must reproduce them). */
const MAC_HASHES = { faults: 0x778b0790, crossbar: 0xdb25fe11, encoded: 0xe8997639 };

// Layer shapes with tails: out not a multiple of the 8-wide panel, in not a multiple of 4, batch 1 (the GEMV
// path) and batch 3/5 (GEMM path with a partial 4-row tile).
const CASES = [
  { out: 11, inF: 7, batches: [1, 3] },
  { out: 17, inF: 33, batches: [1, 5] },
];

/** Deterministic values in [-1, 1): the same bits on every host. */
function lcg(seed, n) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Obviously-correct float64 reference: y = relu(x·Wᵀ + b). */
function referenceLinear(w, b, x, batch, out, inF) {
  const y = new Float64Array(batch * out);
  for (let r = 0; r < batch; r++) {
    for (let o = 0; o < out; o++) {
      let acc = b[o];
      for (let k = 0; k < inF; k++) acc += x[r * inF + k] * w[o * inF + k];
      y[r * out + o] = Math.max(0, acc);
    }
  }
  return y;
}

/** Largest error relative to max(|expected|, 1), so near-zero relu outputs are judged absolutely. */
function maxRelErr(actual, expected) {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1));
  }
  return worst;
}

function supported(variant, features) {
  if (variant === 'relaxed') return !!features.relaxedSimd;
  if (variant === 'simd') return !!features.simd;
  return true;
}

/**
 * Runs the suite. `pkg` is the package namespace ({ init, Dense, BitsieveError }). `wasm(variant)` optionally
 * returns this host's natural wasm source (bytes, Module, Response, URL) for the init({ wasm }) path.
 * Never throws: every failure becomes an entry of `failures`.
 */
export async function smoke(pkg, { wasm } = {}) {
  const { init, Dense, BitsieveError } = pkg;
  const result = { variant: null, features: null, variantsRun: [], passed: 0, failed: 0, failures: [] };
  const check = (name, ok, detail = '') => {
    if (ok) result.passed++;
    else {
      result.failed++;
      result.failures.push(detail ? `${name}: ${detail}` : name);
    }
  };
  const section = async (name, body) => {
    try {
      await body();
    } catch (err) {
      check(name, false, `threw ${err?.name}: ${err?.message ?? err}`);
    }
  };
  const isCode = (err, code) => err instanceof BitsieveError && err.code === code;

  /** Runs every case on one instance; checks numbers, then that dispose returns the heap to where it was. */
  const exercise = (bs, label) => {
    const outputs = [];
    const start = bs.heap.inUseBytes;
    for (const { out, inF, batches } of CASES) {
      const w = lcg(out * 131 + inF, out * inF);
      const b = lcg(out + 7, out);
      const layer = bs.linear(Dense.from(w, [out, inF]), { bias: b, activation: 'relu' });
      check(`${label}: layer holds heap`, bs.heap.inUseBytes > start, `inUseBytes ${bs.heap.inUseBytes}`);
      for (const batch of batches) {
        const x = lcg(batch * 977 + inF, batch * inF);
        const y = layer.forward(x, batch);
        const want = referenceLinear(w, b, x, batch, out, inF);
        const err = y instanceof Float32Array && y.length === want.length ? maxRelErr(y, want) : Infinity;
        check(`${label}: linear ${out}x${inF} batch ${batch}`, err <= REL_TOL, `max rel err ${err}`);
        outputs.push(y);
      }
      let thrown;
      try {
        layer.forward(lcg(1, 3 * inF - 1), 3);
      } catch (err) {
        thrown = err;
      }
      check(`${label}: short x throws E_SHAPE`, isCode(thrown, 'E_SHAPE'), `got ${thrown?.code ?? thrown}`);
      layer.dispose();
    }
    const end = bs.heap;
    check(`${label}: dispose frees the heap`, end.inUseBytes === start, `inUseBytes ${start} -> ${end.inUseBytes}`);
    return outputs;
  };

  await section('init() default', async () => {
    const bs = await init();
    result.variant = bs.variant;
    result.features = { ...bs.features };
    const best = VARIANTS.find((v) => supported(v, bs.features));
    check('init() picks the best supported variant', bs.variant === best, `picked ${bs.variant}, best ${best}`);
    exercise(bs, `default(${bs.variant})`);
  });
  const features = result.features ?? { simd: false, relaxedSimd: false };

  const byVariant = {};
  for (const variant of VARIANTS) {
    await section(`init({ variant: '${variant}' })`, async () => {
      if (!supported(variant, features)) {
        let thrown;
        try {
          await init({ variant });
        } catch (err) {
          thrown = err;
        }
        check(`${variant}: unsupported -> E_UNSUPPORTED`, isCode(thrown, 'E_UNSUPPORTED'), `got ${thrown?.code ?? thrown}`);
        return;
      }
      const bs = await init({ variant });
      check(`${variant}: instance variant`, bs.variant === variant, `got ${bs.variant}`);
      byVariant[variant] = exercise(bs, variant);
      result.variantsRun.push(variant);
    });
  }

  // Stochastic computing: same arguments → same bits on every build and host (FNV-1a hashes recorded on Node).
  if (pkg.lfsr) {
    const fnv = (words) => words.reduce((h, w) => Math.imul(h ^ w, 0x01000193) >>> 0, 0x811c9dc5);
    for (const variant of result.variantsRun) {
      await section(`sc ${variant}`, async () => {
        const bs = await init({ variant });
        const values = Array.from({ length: 64 }, (_, i) => i / 63);
        const source = [pkg.lfsr({ width: 12, form: 'galois', seed: 77 }), pkg.sobol({ dimension: 7, bits: 12, length: 1000 }), pkg.uniform({ seed: 5, bits: 12, length: 999 })];
        const streams = fnv(bs.sc.encode(values, { length: 1000, source }).words);
        check(`sc ${variant}: encoded streams`, streams === 0xa5feb6d4, `hash ${streams.toString(16)}`);
        const g = Float64Array.from([...bs.sc.gaussian({ method: 'wallace', count: 256, seed: 3 }), ...bs.sc.gaussian({ method: 'binomial', count: 256, seed: 3 })]);
        const gauss = fnv(new Uint32Array(g.buffer));
        check(`sc ${variant}: Gaussian samples`, gauss === 0xc77df201, `hash ${gauss.toString(16)}`);
      });
    }
  }

  // Hardware MACs: seeded fault maps, conductance variation and encoder netlists give the same bits everywhere.
  if (pkg.randomNetlist) {
    const fnv = (words) => words.reduce((h, w) => Math.imul(h ^ w, 0x01000193) >>> 0, 0x811c9dc5);
    const hash64 = (f64) => fnv(new Uint32Array(Float64Array.from(f64).buffer));
    const codes = (n, seed) => Int8Array.from(lcg(seed, n), (v) => Math.trunc(v * 127));
    for (const variant of result.variantsRun) {
      await section(`mac ${variant}`, async () => {
        const bs = await init({ variant });
        const w = codes(40 * 300, 11), x = codes(2 * 300, 12);
        const options = { rows: 64, cols: 64, adcBits: 6, faults: { stuckAt0: 0.02, stuckAt1: 0.05, seed: 9 } };
        const faulty = bs.mac.crossbar(w, [40, 300], options);
        const varied = bs.mac.crossbar(w, [40, 300], { ...options, mapping: 'differential', adcBits: 8, adcStep: 4, variation: { multiplicative: 0.1, additive: 0.02, seed: 3 } });
        const xbar = hash64([...faulty.forwardCodes(x, 2), ...varied.forwardCodes(x, 2)]);
        const faults = fnv(new Uint32Array(faulty.faultMap().cells.slice().buffer));
        check(`mac ${variant}: crossbar fault map`, faults === MAC_HASHES.faults, `hash ${faults.toString(16)}`);
        check(`mac ${variant}: crossbar outputs (faults, variation)`, xbar === MAC_HASHES.crossbar, `hash ${xbar.toString(16)}`);
        const netlist = pkg.randomNetlist({ operandBits: 8, levels: 2, gatesPerLevel: 32, outputs: 24, seed: 5 });
        const encoder = { netlist, weights: Int32Array.from({ length: 25 }, (_, i) => (i * 2654435761) % 2001 - 1000) };
        const encoded = bs.mac.encodedLinear(w, [40, 300], encoder);
        const enc = hash64(encoded.forward(x, 2));
        check(`mac ${variant}: encoded MAC outputs`, enc === MAC_HASHES.encoded, `hash ${enc.toString(16)}`);
        [faulty, varied, encoded].forEach((l) => l.dispose());
      });
    }
  }

  // Float-accumulating kernels may differ across builds, but only within the documented tolerance.
  const [first, ...rest] = Object.keys(byVariant);
  for (const other of rest) {
    const err = Math.max(...byVariant[first].map((y, i) => maxRelErr(byVariant[other][i], y)));
    check(`${other} agrees with ${first}`, err <= REL_TOL, `max rel err ${err}`);
  }

  if (wasm) {
    for (const variant of result.variantsRun) {
      await section(`init({ wasm: { ${variant} } })`, async () => {
        const bs = await init({ wasm: { [variant]: await wasm(variant) } });
        check(`wasm map ${variant}: instance variant`, bs.variant === variant, `got ${bs.variant}`);
        exercise(bs, `wasm map ${variant}`);
      });
    }
    // A bare source: the runtime must read the build it was handed, not assume the best one.
    await section('init({ wasm: scalar source })', async () => {
      const bs = await init({ wasm: await wasm('scalar') });
      check('bare wasm source: reports scalar', bs.variant === 'scalar', `got ${bs.variant}`);
    });
  }
  return result;
}
