// dist/: index.{js,cjs} and workerd.{js,cjs} (the latter import the .wasm files as modules),
// their .d.ts/.d.cts, and wasm/*.wasm copied from build/ (the asc output).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { transform } from 'esbuild';
import { dts } from 'rollup-plugin-dts';

/** TypeScript → JavaScript with esbuild (types are checked by `tsc` and bundled by rollup-plugin-dts). */
const typescript = () => ({
  name: 'esbuild-typescript',
  resolveId(source, importer) {
    if (importer && source.startsWith('.') && source.endsWith('.js')) {
      return this.resolve(source.replace(/\.js$/, '.ts'), importer, { skipSelf: true });
    }
    return null;
  },
  async transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const out = await transform(code, { loader: 'ts', target: 'es2022', sourcemap: true, sourcefile: id });
    return { code: out.code, map: out.map };
  },
});

const copyWasm = () => ({
  name: 'copy-wasm',
  writeBundle() {
    mkdirSync('dist/wasm', { recursive: true });
    for (const file of readdirSync('build').filter((f) => f.endsWith('.wasm'))) copyFileSync(`build/${file}`, `dist/wasm/${file}`);
  },
});

const external = (id) => id.endsWith('.wasm') || id.startsWith('node:');

export default [
  {
    input: 'src/index.ts',
    external,
    plugins: [typescript(), copyWasm()],
    output: [
      { file: 'dist/index.js', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: 'src/workerd.ts',
    external,
    plugins: [typescript()],
    output: [
      { file: 'dist/workerd.js', format: 'es', sourcemap: true },
      { file: 'dist/workerd.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: 'src/index.ts',
    plugins: [dts()],
    output: [{ file: 'dist/index.d.ts' }, { file: 'dist/index.d.cts' }],
  },
  {
    input: 'src/workerd.ts',
    external,
    plugins: [dts()],
    output: [{ file: 'dist/workerd.d.ts' }, { file: 'dist/workerd.d.cts' }],
  },
];
