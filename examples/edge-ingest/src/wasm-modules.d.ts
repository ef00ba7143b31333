/** A `.wasm` import as Cloudflare's bundler (wrangler) gives it: a compiled module. */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
