import { defineConfig } from "vite";

export default defineConfig({
  build: { target: "es2022" },
  worker: { format: "es" },
  // In `vite dev`, pre-bundled dependencies lose the files next to them: leave the client out of
  // pre-bundling so that its codec worker (dist/web/fluss-codec-worker.js) is found beside it.
  optimizeDeps: { exclude: ["@fluss-edge/client"] },
});
