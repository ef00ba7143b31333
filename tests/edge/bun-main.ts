/**
 * Bun entry: `bun run bun-main.ts <scenario> <target> [database] [compression]`,
 * where the target is a gateway URL (ws://…) or bootstrap servers (Bun has
 * node:net: the package's Node build connects over TCP). Run from the
 * repository as installed, not bundled: Bun resolves "@fluss-edge/client" to
 * the package's built Node entry (its `node` export), worker script included.
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
