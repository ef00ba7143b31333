/**
 * Runs one fluss-edge gateway in its own process, so that a test can kill it
 * with SIGKILL (a crash, not a graceful stop). Started by gateway-process.ts:
 * reads the startGateway options as JSON from FLUSS_GATEWAY_CHILD_OPTIONS,
 * prints the gateway's URL as one line on stdout once it listens, logs
 * warnings to stderr. It exits when its stdin closes, so that a test run
 * that dies does not leave it listening.
 */
import { startGateway } from "../../gateway/src/index.js";

const options = JSON.parse(process.env.FLUSS_GATEWAY_CHILD_OPTIONS ?? "{}") as Parameters<typeof startGateway>[0];
const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[gateway child] WARN ${message}\n`),
  error: (message: string) => process.stderr.write(`[gateway child] ERROR ${message}\n`),
};
const gateway = await startGateway({ ...options, logger });
process.stdout.write(`${gateway.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
