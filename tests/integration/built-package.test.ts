import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./targets.js";

const PROBE = fileURLToPath(new URL("./built-package-probe.mjs", import.meta.url));
const BUNDLE = fileURLToPath(new URL("../../packages/client/dist/bundle/node.js", import.meta.url));
const ROWS = 20_000;

interface ProbeResult {
  resolved: { client: string; wire: string; internal: string };
  oneFlussError: boolean;
  internalLoaded: boolean;
  codecThreads: number;
  seen: number;
  idSum: string;
}

function runProbe(database: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [PROBE, process.env.FLUSS_BOOTSTRAP_SERVERS!, database], { timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop()!) as ProbeResult);
    });
  });
}

/**
 * The other suites run the TypeScript sources; this one runs the package as
 * Node loads it once installed: the bundled build of
 * packages/client/scripts/bundle-server-entries.mjs, in a plain Node process.
 */
describe("the built package in Node", () => {
  it("loads its bundled entries as one module graph, starts its codec workers and round-trips ZSTD batches", async () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`pnpm run build\` first (scripts/test.sh does)`);
    const result = await runProbe(uniqueName("built_pkg"));

    expect(result.resolved).toEqual({
      client: expect.stringMatching(/\/packages\/client\/dist\/bundle\/node\.js$/),
      wire: expect.stringMatching(/\/packages\/client\/dist\/bundle\/wire\.js$/),
      internal: expect.stringMatching(/\/packages\/client\/dist\/bundle\/internal\.js$/),
    });
    // FlussError from `./wire` is the one from `.`: the gateway's errors and the client's are one class.
    expect(result.oneFlussError).toBe(true);
    expect(result.internalLoaded).toBe(true);
    // One worker per core (at most 4, none on one core), each a thread; a worker script that
    // cannot be found leaves none running once getTable has returned.
    const workers = availableParallelism() < 2 ? 0 : Math.min(4, availableParallelism());
    expect(result.codecThreads).toBeGreaterThanOrEqual(workers);
    expect(result.seen).toBe(ROWS);
    expect(result.idSum).toBe(((ROWS * (ROWS - 1)) / 2).toString());
  });
});
