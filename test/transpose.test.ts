// f32_transpose (SIMD 4×4 register tiles + scalar edges) against index arithmetic, on every build.
import * as assert from 'uvu/assert';
import { randomFloats } from './reference/linear.js';
import { eachVariant } from './helpers/variants.js';

eachVariant('f32_transpose', (test) => {
  test('dst[c, r] = src[r, c] for tiles, tails and degenerate shapes', ({ bs }) => {
    for (const [rows, cols] of [[1, 1], [4, 4], [3, 5], [8, 8], [17, 9], [64, 1024], [5, 64], [64, 7], [1, 13], [13, 1], [0, 4], [4, 0]]) {
      const src = randomFloats(rows * cols, rows * 31 + cols);
      const a = bs.tensor(src);
      const b = bs.tensor(rows * cols + 4); // one extra vector: writes past the end would show up
      bs.kernels.f32_transpose(a.ptr, b.ptr, rows, cols);
      const got = b.read();
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.is(got[c * rows + r], src[r * cols + c], `${rows}×${cols} at [${r}, ${c}]`);
      assert.equal([...got.subarray(rows * cols)], [0, 0, 0, 0], 'no write past the end');
      a.dispose();
      b.dispose();
    }
  });
});
