import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const clientSrc = (file: string) => fileURLToPath(new URL(`./packages/client/src/${file}`, import.meta.url));

/**
 * Two projects: `unit` needs nothing but Node; `integration` talks to a real
 * Fluss cluster that `tests/setup/cluster.ts` starts once (or reuses).
 */
export default defineConfig({
  // Tests run against the TypeScript sources; the browser and edge suites test the built package.
  resolve: {
    alias: [
      { find: /^@fluss-edge\/client$/, replacement: clientSrc("node.ts") },
      { find: /^@fluss-edge\/client\/node$/, replacement: clientSrc("node.ts") },
      { find: /^@fluss-edge\/client\/wire$/, replacement: clientSrc("wire/index.ts") },
      { find: /^@fluss-edge\/client\/internal$/, replacement: clientSrc("internal.ts") },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/unit/**/*.test.ts", "gateway/test/unit/**/*.test.ts", "tests/setup/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          // Browser tests (playwright-core driving Debian's Chromium) share the cluster and run in the same sequence.
          include: ["tests/integration/**/*.test.ts", "tests/interop/**/*.test.ts", "tests/gateway/**/*.test.ts", "tests/browser/**/*.browser.test.ts", "tests/edge/**/*.test.ts"],
          globalSetup: ["tests/setup/cluster.ts", "tests/setup/gateway.ts"],
          // Restarts a faulty Fluss 0.9.1 coordinator between tests (see the file).
          // Which WebSocket class the gateway suites use on Node ≥ 22 (see the file).
          setupFiles: ["tests/setup/coordinator-guard.ts", "tests/setup/websocket-choice.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // One cluster on a 2-core machine: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
