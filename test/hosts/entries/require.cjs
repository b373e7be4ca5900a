// Node CommonJS entry: require('bitsieve') must resolve the "require" condition (dist/index.cjs) and work
// without top-level await; the ESM-only suite is loaded with a dynamic import.
const bitsieve = require('bitsieve');
const { readFileSync } = require('node:fs');

const wasm = (variant) => readFileSync(require.resolve(`bitsieve/wasm/bitsieve.${variant}.wasm`));

import('../smoke.mjs')
  .then(({ smoke }) => smoke(bitsieve, { wasm }))
  .then((result) => console.log(JSON.stringify({ host: 'node', version: process.versions.node, ...result })));
