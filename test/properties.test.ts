// fast-check properties (fixed seed): every build agrees with the reference and with the others,
// and no input, however malformed, gets past validation into a kernel.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BitsieveError, Csr, Dense, type Bitsieve } from '../src/index.js';
import { compareLinear, linearTolerance, magnitude, type LinearCase } from './reference/linear.js';
import { initVariant, runnableVariants } from './helpers/variants.js';

const SEED = 20261122;
const props = suite<{ instances: Bitsieve[] }>('properties', { instances: [] });

props.before(async (ctx) => {
  ctx.instances = await Promise.all(runnableVariants().map(initVariant));
});

const f32 = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true });

const linearCase = fc
  .record({ batch: fc.integer({ min: 0, max: 9 }), out: fc.integer({ min: 0, max: 21 }), in: fc.integer({ min: 0, max: 70 }), relu: fc.boolean(), withBias: fc.boolean() })
  .chain(({ batch, out, in: k, relu, withBias }) =>
    fc.record({
      batch: fc.constant(batch),
      out: fc.constant(out),
      in: fc.constant(k),
      relu: fc.constant(relu),
      w: fc.float32Array({ minLength: out * k, maxLength: out * k, min: -4, max: 4, noNaN: true, noDefaultInfinity: true }),
      x: fc.float32Array({ minLength: batch * k, maxLength: batch * k, min: -4, max: 4, noNaN: true, noDefaultInfinity: true }),
      bias: withBias ? fc.float32Array({ minLength: out, maxLength: out, min: -4, max: 4, noNaN: true, noDefaultInfinity: true }) : fc.constant(undefined),
    }),
  );

props('every build matches the float64 reference and the builds agree within 2× the tolerance', ({ instances }) => {
  fc.assert(
    fc.property(linearCase, (c: LinearCase) => {
      const outputs = instances.map((bs) => {
        const layer = bs.linear(Dense.from(c.w, [c.out, c.in]), { bias: c.bias, activation: c.relu ? 'relu' : 'none' });
        const y = layer.forward(c.x, c.batch);
        layer.dispose();
        const problem = compareLinear(c, y);
        if (problem) throw new Error(`${bs.variant}: ${problem}`);
        return y;
      });
      const mag = magnitude(c);
      for (const y of outputs.slice(1)) {
        for (let i = 0; i < y.length; i++) {
          if (!(Math.abs(y[i] - outputs[0][i]) <= 2 * linearTolerance(c.in, mag[i]))) return false;
        }
      }
      return true;
    }),
    { seed: SEED, numRuns: 300 },
  );
});

/** Runs `fn`; passes if it returns or throws a BitsieveError. Anything else (TypeError, RuntimeError) fails. */
function onlyTypedErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof BitsieveError) return true;
    throw e;
  }
}

const junk = fc.oneof(
  fc.anything(),
  fc.float32Array({ maxLength: 40 }),
  fc.integer({ min: -5, max: 5000 }),
  fc.double(),
  fc.constantFrom(NaN, -1, 0.5, 2 ** 31, 2 ** 53, Infinity, new Float64Array(12), new Int32Array(12), [1, 2, 3]),
);

props('malformed arguments never crash, never leak, never corrupt a live layer', ({ instances }) => {
  for (const bs of instances) {
    const w = new Float32Array(12).map((_, i) => i - 5);
    const good = bs.linear(Dense.from(w, [4, 3]), { bias: [1, 2, 3, 4] });
    const x = new Float32Array([1, -2, 0.5, 3, 1, -1]);
    const expected = good.forward(x, 2);
    const start = bs.heap.inUseBytes;
    fc.assert(
      fc.property(junk, junk, junk, junk, (a, b, c, d) => {
        onlyTypedErrors(() => good.forward(a as never, b as never, c as never));
        onlyTypedErrors(() => bs.linear(Dense.from(a as never, b as never), c as never).dispose());
        onlyTypedErrors(() => bs.linear(a as never, b as never).dispose());
        onlyTypedErrors(() => bs.tensor(a as never).dispose());
        onlyTypedErrors(() => good.run(a as never, b as never, d as never));
        onlyTypedErrors(() => Dense.fromBytes(a as never));
        onlyTypedErrors(() => bs.linear(new Csr(a as never, b as never, c as never, d as never)).dispose());
        onlyTypedErrors(() => bs.linear(Csr.fromDense(a as never, b as never, c as never)).forward(d as never).length);
        onlyTypedErrors(() => Csr.fromBytes(a as never));
        return bs.heap.inUseBytes === start;
      }),
      { seed: SEED, numRuns: 1000 },
    );
    assert.equal(good.forward(x, 2), expected, `${bs.variant}: the live layer still computes the same bits`);
    good.dispose();
  }
});

props('use after dispose → E_DISPOSED; dispose is idempotent; `using` disposes', ({ instances }) => {
  for (const bs of instances) {
    const layer = bs.linear(Dense.from([1, 2], [1, 2]));
    const t = bs.tensor(2);
    layer.dispose();
    layer.dispose();
    t[Symbol.dispose]();
    assert.ok(layer.disposed && t.disposed);
    for (const fn of [() => layer.forward(new Float32Array(2)), () => t.read(), () => t.ptr]) {
      assert.throws(fn, (e: unknown) => e instanceof BitsieveError && e.code === 'E_DISPOSED');
    }
    const live = bs.tensor(2);
    assert.throws(() => layer.run(live, live, 1), (e: unknown) => e instanceof BitsieveError && e.code === 'E_DISPOSED');
    live.dispose();
  }
});

props('tensors from another instance or of the wrong length are refused before the kernel', ({ instances }) => {
  const [a, b = a] = instances;
  const layer = a.linear(Dense.from([1, 2, 3, 4, 5, 6], [2, 3]));
  const x = a.tensor(3);
  const y = a.tensor(2);
  const foreign = b === a ? undefined : b.tensor(3);
  assert.throws(() => layer.run(x, a.tensor(5), 1), (e: unknown) => e instanceof BitsieveError && e.code === 'E_SHAPE');
  if (foreign) assert.throws(() => layer.run(foreign, y, 1), (e: unknown) => e instanceof BitsieveError && e.code === 'E_WASM');
  layer.run(x.write(new Float32Array([1, 1, 1])), y, 1);
  assert.equal(Array.from(y.read()), [6, 15]);
});

props('random CSR arrays either fail validation or compute the reference result', ({ instances }) => {
  // A valid CSR from a random dense mask, then (usually) one random write into one of its arrays.
  const arb = fc
    .record({ rows: fc.integer({ min: 0, max: 5 }), cols: fc.integer({ min: 0, max: 6 }) })
    .chain(({ rows, cols }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        dense: fc.array(fc.oneof(fc.constant(0), f32), { minLength: rows * cols, maxLength: rows * cols }),
        mutation: fc.option(fc.record({ target: fc.integer({ min: 0, max: 2 }), at: fc.nat(20), value: fc.integer({ min: 0, max: 9 }) }), { freq: 3 }),
      }),
    );
  let valid = 0;
  fc.assert(
    fc.property(arb, ({ rows, cols, dense, mutation }) => {
      const base = Csr.fromDense(dense, [rows, cols]);
      const arrays = [base.rowPtr.slice(), base.colIdx.slice(), base.values.slice()] as const;
      if (mutation) {
        const a = arrays[mutation.target];
        if (a.length) a[mutation.at % a.length] = mutation.target === 2 ? NaN : mutation.value;
      }
      let csr: Csr;
      try {
        csr = new Csr([rows, cols], arrays[0], arrays[1] as Uint16Array, arrays[2]);
      } catch (e) {
        return e instanceof BitsieveError && (e.code === 'E_FORMAT' || e.code === 'E_RANGE');
      }
      valid++;
      const x = Float32Array.from({ length: 2 * cols }, (_, i) => i - 2.5);
      for (const bs of instances) {
        const layer = bs.linear(csr);
        const y = layer.forward(x, 2);
        layer.dispose();
        if (compareLinear({ w: csr.toDense(), x, batch: 2, out: rows, in: cols, relu: false }, y)) return false;
      }
      return true;
    }),
    { seed: SEED, numRuns: 2000 },
  );
  assert.ok(valid > 20, `only ${valid} valid matrices were generated`);
});

props.run();
