/**
 * One dispatcher for the edge runtimes' entries (process-main.ts for Deno and Bun, worker.ts for workerd):
 * picks a scenario by name and runs it with the parameters the Node-side test
 * passes (command-line arguments for Deno and Bun, query parameters for workerd).
 */
import { connectToDownGateway, createAndList, listWithSasl, scanLog, upsertAndLookup, writeAndScan } from "../browser/scenarios.js";
import { bigScan } from "../browser/page/codec-workers.js";
import { codecProbe } from "./codec-probe.js";
import { nodeCodecProbe } from "./node-codec-probe.js";

/** The scenario names an edge entry accepts. */
export type ScenarioName = "createAndList" | "writeAndScan" | "scanLog" | "connectToDownGateway" | "codecProbe" | "nodeCodecProbe" | "bigScan" | "listWithSasl" | "upsertAndLookup";

/** Parameters of a run; each scenario uses the ones it needs. */
export interface ScenarioParams {
  scenario: string;
  /** A gateway URL (`ws://…`), or bootstrap servers in a runtime with TCP (Bun). */
  target: string;
  database: string;
  compression: string;
  /** SASL/PLAIN credentials (listWithSasl). */
  username?: string;
  password?: string;
}

/** Runs the named scenario; rejects on an unknown name or a missing parameter. */
export async function runScenario(params: ScenarioParams): Promise<unknown> {
  const need = (name: keyof ScenarioParams): string => {
    if (!params[name]) throw new Error(`scenario ${params.scenario} needs "${name}"`);
    return params[name];
  };
  switch (params.scenario as ScenarioName) {
    case "createAndList":
      return createAndList(need("target"), need("database"));
    case "writeAndScan":
      return writeAndScan(need("target"), need("database"), need("compression"));
    case "scanLog":
      return scanLog(need("target"), need("database"), need("compression"));
    case "upsertAndLookup":
      return upsertAndLookup(need("target"), need("database"));
    case "connectToDownGateway":
      return connectToDownGateway(need("target"));
    case "codecProbe":
      return codecProbe();
    case "nodeCodecProbe":
      // Only where the runtime runs the package's Node build (Bun): the web bundles have no such module.
      return nodeCodecProbe();
    case "listWithSasl":
      return listWithSasl(need("target"), need("username"), need("password"));
    case "bigScan":
      // 30,000 rows of ~100 bytes, ZSTD: batches big enough for a runtime's codec workers, if it has them.
      return bigScan(need("target"), need("database"), 30_000);
    default:
      throw new Error(`unknown scenario "${params.scenario}"`);
  }
}

/** An unexpected failure as JSON (scenarios report expected FlussErrors themselves). */
export function failure(error: unknown): { thrown: string } {
  return { thrown: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error) };
}
