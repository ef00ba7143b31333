/**
 * Deno entry: `deno run --allow-net=127.0.0.1 deno-main.js <scenario> <target> [database] [compression]`.
 * Prints exactly one JSON line on stdout, `{"result": …}` or `{"thrown": …}`.
 */
import { failure, runScenario } from "./run-scenario.js";

/** The part of Deno's global this entry uses (the repo's tsconfig has no Deno types). */
declare const Deno: { args: string[]; exit(code: number): never };

const [scenario = "", target = "", database = "", compression = ""] = Deno.args;
try {
  const result = await runScenario({ scenario, target, database, compression });
  console.log(JSON.stringify({ result }));
} catch (error) {
  console.log(JSON.stringify(failure(error)));
}
// A scenario closes its connections; exit anyway so a stray timer cannot keep the process alive.
Deno.exit(0);
