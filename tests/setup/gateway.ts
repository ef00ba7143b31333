/**
 * Vitest globalSetup for the `integration` project, run after cluster.ts:
 * starts two fluss-edge gateways in this process for the `gateway` target of
 * tests/integration/targets.ts, both in dev mode and without a token:
 *
 *   FLUSS_GATEWAY_URL       relays to the plaintext listener (FLUSS_BOOTSTRAP_SERVERS)
 *   FLUSS_GATEWAY_SASL_URL  relays to the SASL listener (FLUSS_SASL_BOOTSTRAP_SERVERS);
 *                           callers bring their own SASL identity in HELLO, which the
 *                           gateway checks; the gateway's own identity (admin) is
 *                           only for its metadata refresh
 *
 * Also available as inject("flussGatewayUrl") / inject("flussGatewaySaslUrl").
 * Tests that need other gateways (a token, one to kill) start their own.
 * FLUSS_GATEWAY_LOG_LEVEL=debug|info|warn|error (default error) sets the gateways' log level.
 */
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { jsonLogger, startGateway, type LogLevel } from "../../gateway/src/index.js";

declare module "vitest" {
  interface ProvidedContext {
    /** `ws://127.0.0.1:PORT/fluss` of the gateway to the plaintext listener. */
    flussGatewayUrl: string;
    /** `ws://127.0.0.1:PORT/fluss` of the gateway to the SASL listener. */
    flussGatewaySaslUrl: string;
  }
}

type RunningGateway = Awaited<ReturnType<typeof startGateway>>;

const running: RunningGateway[] = [];

/**
 * The gateways log JSON lines on stderr from FLUSS_GATEWAY_LOG_LEVEL (default
 * `error`: the suite provokes refusals on purpose, whose warnings are noise).
 */
const logger = jsonLogger((process.env.FLUSS_GATEWAY_LOG_LEVEL ?? "error") as LogLevel);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: tests/setup/cluster.ts must run before tests/setup/gateway.ts`);
  return value;
}

export async function setup(project: TestProject): Promise<void> {
  const plain = await startGateway({ bootstrapServers: required("FLUSS_BOOTSTRAP_SERVERS"), port: 0, devMode: true, logger });
  running.push(plain);
  const sasl = await startGateway({
    bootstrapServers: required("FLUSS_SASL_BOOTSTRAP_SERVERS"),
    port: 0,
    devMode: true,
    clusterSasl: { username: "admin", password: "admin-secret" },
    logger,
  });
  running.push(sasl);
  process.env.FLUSS_GATEWAY_URL = plain.url;
  process.env.FLUSS_GATEWAY_SASL_URL = sasl.url;
  project.provide("flussGatewayUrl", plain.url);
  project.provide("flussGatewaySaslUrl", sasl.url);
}

export async function teardown(): Promise<void> {
  const closing = running.splice(0);
  await Promise.all(closing.map((gateway) => gateway.close()));
}
