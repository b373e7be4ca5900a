// The Dense format: validation, copies, serialization round trip, corrupt bytes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Dense } from '../src/index.js';
import { randomFloats } from './reference/linear.js';
import { codeOf } from './helpers/errors.js';

const dense = suite('Dense format');

dense('from copies, toDense copies, shape and bits are reported', () => {
  const w = randomFloats(12, 3);
  const d = Dense.from(w, [3, 4]);
  w[0] = 99;
  assert.is.not(d.values[0], 99);
  assert.equal(d.shape, [3, 4]);
  assert.is(d.bitsPerWeight, 32);
  const copy = d.toDense();
  copy[1] = 42;
  assert.is.not(d.values[1], 42);
  assert.ok(Object.isFrozen(d.shape));
});

dense('accepts plain arrays and other numeric array-likes', () => {
  assert.equal(Array.from(Dense.from([1, 2, 3, 4], [2, 2]).values), [1, 2, 3, 4]);
  assert.equal(Array.from(Dense.from(new Float64Array([0.5, 1.5]), [1, 2]).values), [0.5, 1.5]);
});

dense('bytes round trip is exact, including -0 and subnormals', () => {
  const w = new Float32Array([-0, 1e-45, -3.5, 3.4e38, 0.1, 7]);
  const back = Dense.fromBytes(Dense.from(w, [2, 3]).toBytes());
  assert.equal(back.shape, [2, 3]);
  assert.equal(new Uint32Array(back.values.buffer), new Uint32Array(w.buffer));
});

dense('invalid construction → typed errors', () => {
  assert.is(codeOf(() => Dense.from([1, 2, 3], [2, 2])), 'E_SHAPE');
  assert.is(codeOf(() => Dense.from([1, 2], [2] as never)), 'E_SHAPE');
  assert.is(codeOf(() => Dense.from([1, 2], [1.5, 2] as never)), 'E_DTYPE');
  assert.is(codeOf(() => Dense.from([1, 2], [-1, 2] as never)), 'E_RANGE');
  assert.is(codeOf(() => Dense.from([], [2 ** 20, 2 ** 20])), 'E_RANGE');
  assert.is(codeOf(() => Dense.from([1, NaN], [1, 2])), 'E_RANGE');
  assert.is(codeOf(() => Dense.from([1, Infinity], [1, 2])), 'E_RANGE');
  assert.is(codeOf(() => Dense.from(null as never, [1, 2])), 'E_DTYPE');
  assert.is(codeOf(() => Dense.from(7 as never, [1, 2])), 'E_DTYPE');
});

dense('corrupt bytes → E_CORRUPT / E_UNSUPPORTED, never a partial object', () => {
  const good = Dense.from([1, 2, 3, 4], [2, 2]).toBytes();
  assert.is(codeOf(() => Dense.fromBytes(good.subarray(0, 10))), 'E_CORRUPT');
  assert.is(codeOf(() => Dense.fromBytes(good.subarray(0, good.length - 1))), 'E_CORRUPT');
  const badMagic = good.slice();
  badMagic[0] = 0x58;
  assert.is(codeOf(() => Dense.fromBytes(badMagic)), 'E_CORRUPT');
  const badVersion = good.slice();
  badVersion[4] = 9;
  assert.is(codeOf(() => Dense.fromBytes(badVersion)), 'E_UNSUPPORTED');
  const hugeShape = good.slice();
  new DataView(hugeShape.buffer).setUint32(8, 0xffffffff, true);
  assert.is(codeOf(() => Dense.fromBytes(hugeShape)), 'E_RANGE');
  const nan = good.slice();
  new DataView(nan.buffer).setFloat32(16, NaN, true);
  assert.is(codeOf(() => Dense.fromBytes(nan)), 'E_RANGE');
  assert.is(codeOf(() => Dense.fromBytes('BSDN' as never)), 'E_DTYPE');
});

dense.run();
