/** A `.wasm` import as workerd and Cloudflare's bundler give it: a compiled module. */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
