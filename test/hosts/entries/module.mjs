// Node (ESM), Deno and Bun entry: resolves 'bitsieve' through the package's own exports ("import" condition),
// runs the suite, and prints the result as the last stdout line for the runner to parse.
import * as bitsieve from 'bitsieve';
import { readFile } from 'node:fs/promises';
import { smoke } from '../smoke.mjs';

const [host, version] = globalThis.Deno
  ? ['deno', Deno.version.deno]
  : globalThis.Bun
    ? ['bun', Bun.version]
    : ['node', process.versions.node];

// Server-side hosts hand the package raw bytes read through the "./wasm/*" export.
const wasm = async (variant) => readFile(new URL(import.meta.resolve(`bitsieve/wasm/bitsieve.${variant}.wasm`)));

console.log(JSON.stringify({ host, version, ...(await smoke(bitsieve, { wasm })) }));
