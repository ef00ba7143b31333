/**
 * Entry for the runtimes that run a script as a process, Deno and Bun:
 * `<runtime> run process-main.ts <scenario> <target> [database] [compression] [username] [password]`,
 * where the target is a gateway URL (ws://…) or bootstrap servers. Deno runs
 * it bundled with the client's browser build (through the gateway) and, like
 * Bun, unbundled on the package as installed, where "@fluss-edge/client"
 * resolves to its Node build (TCP and worker threads included). Both have
 * Node's `process` global. Prints exactly one JSON line on stdout,
 * `{"result": …}` or `{"thrown": …}`.
 */
import { failure, runScenario } from "./run-scenario.js";

const [scenario = "", target = "", database = "", compression = "", username = "", password = ""] = process.argv.slice(2);
try {
  const result = await runScenario({ scenario, target, database, compression, username, password });
  console.log(JSON.stringify({ result }));
} catch (error) {
  console.log(JSON.stringify(failure(error)));
}
// A scenario closes its connections; exit anyway so a stray timer cannot keep the process alive.
process.exit(0);
