// Module imports of .wasm files (workerd entry) yield precompiled modules.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
