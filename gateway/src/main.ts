import { FlussError } from "@fluss-edge/client/wire";
import { loadGatewayConfig } from "./config/load.js";
import { startGateway } from "./gateway.js";
import { jsonLogger } from "./logger.js";

/**
 * The `fluss-gateway` command: loads the configuration, starts the gateway,
 * and stops it gracefully on SIGINT/SIGTERM. Exit codes: 0 after a clean
 * stop, 2 for a bad configuration, 1 when the gateway cannot start.
 */
export async function main(argv: readonly string[]): Promise<void> {
  let config;
  try {
    config = await loadGatewayConfig(argv);
  } catch (error) {
    process.stderr.write(`fluss-gateway: ${FlussError.from(error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (config.help) {
    process.stdout.write(config.usage);
    return;
  }
  const logger = jsonLogger(config.logLevel);
  let gateway;
  try {
    gateway = await startGateway({ ...config.options, logger });
  } catch (error) {
    logger.error("the gateway could not start", { error: FlussError.from(error).message });
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("signal received, stopping", { signal });
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("unclean stop", { error: FlussError.from(error).message });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
