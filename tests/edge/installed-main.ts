/**
 * Entry for runtimes that run the package as installed, unbundled (Bun, and
 * Deno with node_modules): `bun run installed-main.ts <scenario> <target>
 * [database] [compression]`, where the target is a gateway URL (ws://…) or
 * bootstrap servers (both runtimes have node:net, and "@fluss-edge/client"
 * resolves there to the package's Node build, worker script included).
 * Prints exactly one JSON line on stdout, `{"result": …}` or `{"thrown": …}`.
 */
import { failure, runScenario } from "./run-scenario.js";

const [scenario = "", target = "", database = "", compression = ""] = process.argv.slice(2);
try {
  const result = await runScenario({ scenario, target, database, compression });
  console.log(JSON.stringify({ result }));
} catch (error) {
  console.log(JSON.stringify(failure(error)));
}
// A scenario closes its connections; exit anyway so a stray timer cannot keep the process alive.
process.exit(0);
