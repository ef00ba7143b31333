import { createServer, type Server } from "node:net";
import { ApiKey, ErrorCode, EnvelopeType } from "@fluss-edge/client/wire";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { bearerSubprotocol } from "../../gateway/src/security/subprotocols.js";
import { CaptureLogger } from "../../gateway/test/support/capture-logger.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { sample, scrape } from "../../gateway/test/support/http.js";
import { asError, RawCaller } from "../../gateway/test/support/raw-client.js";
import { sendOversizedFrame } from "../../gateway/test/support/raw-upgrade.js";

const { plain, plainEndpoint } = clusterAddresses();
const running: RunningGateway[] = [];

async function gatewayWith(options: Partial<Parameters<typeof startGateway>[0]> = {}): Promise<RunningGateway> {
  const gateway = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger, ...options });
  running.push(gateway);
  return gateway;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((g) => g.close()));
});

/** A plain TCP listener that only records connection attempts. */
let recorder: { server: Server; port: number; connects: number };
beforeAll(async () => {
  const server = createServer((socket) => {
    recorder.connects += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  recorder = { server, port: (server.address() as { port: number }).port, connects: 0 };
});
afterAll(async () => {
  await new Promise((resolve) => recorder.server.close(resolve));
});

describe("never an open proxy", () => {
  it("refuses a target outside the cluster with AUTHORIZATION_EXCEPTION, counts and logs it, and never connects", async () => {
    const logger = new CaptureLogger();
    const gateway = await gatewayWith({ logger });
    const { caller } = await RawCaller.open(gateway.url);
    const outside = { host: "127.0.0.1", port: recorder.port };
    const error = asError(await caller.send(outside, ApiKey.GET_METADATA, 1, {}));
    expect(error).toMatchObject({ requestId: 1, errorCode: ErrorCode.AUTHORIZATION_EXCEPTION, retriable: false });
    expect(error.message).toContain(`127.0.0.1:${recorder.port}`);
    // A host the gateway would have to resolve is refused just the same, without a lookup.
    const named = asError(await caller.send({ host: "fluss.example.invalid", port: 9123 }, ApiKey.GET_METADATA, 2, {}));
    expect(named.errorCode).toBe(ErrorCode.AUTHORIZATION_EXCEPTION);
    // Same host as the cluster, other port: still not a cluster server.
    const samehost = asError(await caller.send({ host: plainEndpoint.host, port: recorder.port }, ApiKey.LIST_DATABASES, 3, {}));
    expect(samehost.errorCode).toBe(ErrorCode.AUTHORIZATION_EXCEPTION);

    // The connection stays usable for real cluster servers.
    expect((await caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 4, {})).databaseName).toContain("fluss");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(recorder.connects).toBe(0);
    expect(sample(await scrape(gateway.port), "fluss_gateway_refused_targets_total")).toBe(3);
    expect(sample(await scrape(gateway.port), 'fluss_gateway_errors_total{code="48",name="AUTHORIZATION_EXCEPTION"}')).toBe(3);
    const warnings = logger.entries.filter((e) => e.message.includes("outside the cluster"));
    expect(warnings.map((w) => w.fields?.target)).toEqual([
      `127.0.0.1:${recorder.port}`,
      "fluss.example.invalid:9123",
      `127.0.0.1:${recorder.port}`,
    ]);
    await caller.close();
  });
});

describe("frame size", () => {
  it("closes with 1009 when a message exceeds maxFrameBytes", async () => {
    const gateway = await gatewayWith({ maxFrameBytes: 64 * 1024 });
    const { caller, welcome } = await RawCaller.open(gateway.url);
    expect(welcome.maxFrameBytes).toBe(64 * 1024);
    caller.ws.send(new Uint8Array(64 * 1024 + 1));
    expect((await caller.closed).code).toBe(1009);
  });

  it("refuses a frame announcing 512 MiB from its header alone: close 1009, memory stays flat", async () => {
    const gateway = await gatewayWith({ maxFrameBytes: 1024 * 1024 });
    const before = process.memoryUsage();
    // Announce 512 MiB and stream up to 48 MiB of it: whatever the gateway kept would show up here.
    const { closeCode, sentBytes } = await sendOversizedFrame(gateway.port, 512 * 1024 * 1024, 48 * 1024 * 1024);
    const after = process.memoryUsage();
    expect(closeCode).toBe(1009);
    expect(sentBytes).toBeGreaterThan(0);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(8 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(32 * 1024 * 1024);
  });
});

describe("bearer token", () => {
  const token = "s3cret-gateway-token";

  it("refuses a caller without a token, or with a wrong one (HELLO or subprotocol): ERROR −1 AUTHENTICATE_EXCEPTION, close 1008", async () => {
    const logger = new CaptureLogger();
    const gateway = await gatewayWith({ token, logger });
    for (const attempt of [
      { hello: {}, protocols: undefined },
      { hello: { token: "wrong" }, protocols: undefined },
      { hello: { token }, protocols: ["fluss-edge.v1", bearerSubprotocol("wrong")] },
    ]) {
      const caller = await RawCaller.connect(gateway.url, attempt.protocols ? { protocols: attempt.protocols } : {});
      const error = asError(await caller.hello(attempt.hello));
      expect(error).toMatchObject({ requestId: -1, errorCode: ErrorCode.AUTHENTICATE_EXCEPTION, retriable: false });
      expect((await caller.closed).code).toBe(1008);
    }
    expect(logger.text()).not.toContain(token);
  });

  it("accepts the right token in HELLO or in the bearer subprotocol (which is never echoed)", async () => {
    const logger = new CaptureLogger();
    const gateway = await gatewayWith({ token, logger });
    const viaHello = await RawCaller.open(gateway.url, { token });
    expect((await viaHello.caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 1, {})).databaseName).toContain("fluss");
    const viaProtocol = await RawCaller.open(gateway.url, {}, { protocols: ["fluss-edge.v1", bearerSubprotocol(token)] });
    expect(viaProtocol.caller.ws.protocol).toBe("fluss-edge.v1");
    expect((await viaProtocol.caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 1, {})).databaseName).toContain("fluss");
    await Promise.all([viaHello.caller.close(), viaProtocol.caller.close()]);
    expect(logger.text()).not.toContain(token);
  });
});

describe("Origin allowlist", () => {
  it("denies foreign and localhost origins by default, allows listed ones and callers without Origin", async () => {
    const gateway = await gatewayWith({ allowedOrigins: ["https://app.example.com"] });
    await expect(RawCaller.connect(gateway.url, { origin: "https://evil.example.com" })).rejects.toMatchObject({ status: 403 });
    await expect(RawCaller.connect(gateway.url, { origin: "http://localhost:5173" })).rejects.toMatchObject({ status: 403 });
    await expect(RawCaller.connect(gateway.url, { origin: "null" })).rejects.toMatchObject({ status: 403 });
    const listed = await RawCaller.open(gateway.url, {}, { origin: "https://app.example.com" });
    const noOrigin = await RawCaller.open(gateway.url);
    await Promise.all([listed.caller.close(), noOrigin.caller.close()]);
    expect(sample(await scrape(gateway.port), 'fluss_gateway_upgrades_rejected_total{reason="origin"}')).toBe(3);
  });

  it("allows localhost origins only in dev mode", async () => {
    const gateway = await gatewayWith({ devMode: true });
    const local = await RawCaller.open(gateway.url, {}, { origin: "http://localhost:5173" });
    const loopback = await RawCaller.open(gateway.url, {}, { origin: "http://127.0.0.1:8080" });
    await expect(RawCaller.connect(gateway.url, { origin: "https://evil.example.com" })).rejects.toMatchObject({ status: 403 });
    await Promise.all([local.caller.close(), loopback.caller.close()]);
  });
});

describe("idle timeout", () => {
  it("closes an idle WebSocket with 1001, but not while a request is pending", async () => {
    const gateway = await gatewayWith({ idleTimeoutMs: 400, requestTimeoutMs: 1200 });
    const { caller: idle } = await RawCaller.open(gateway.url);
    const started = Date.now();
    expect((await idle.closed).code).toBe(1001);
    expect(Date.now() - started).toBeLessThan(2000);

    const { caller: waiting } = await RawCaller.open(gateway.url);
    // The server never answers api key 1999: the request stays pending past the idle timeout.
    const { encodeRequestFrame } = await import("@fluss-edge/client/wire");
    const answer = await waiting.sendFrame(plainEndpoint, encodeRequestFrame({ apiKey: 1999, apiVersion: 0, requestId: 1 }, new Uint8Array(0)), 1);
    expect(answer.type).toBe(EnvelopeType.ERROR);
    expect(asError(answer).errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    expect((await waiting.closed).code).toBe(1001);
  });
});
