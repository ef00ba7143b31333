import { createServer } from "node:net";
import { ApiKey } from "@fluss-edge/client/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { httpBase, sample, scrape } from "../../gateway/test/support/http.js";
import { RawCaller } from "../../gateway/test/support/raw-client.js";

const { plain, plainEndpoint } = clusterAddresses();
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger });
});
afterAll(async () => {
  await gateway.close();
});

describe("HTTP endpoints", () => {
  it("GET /healthz answers while the process is up", async () => {
    const response = await fetch(`${httpBase(gateway.port)}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 when the cluster answered a GetMetadata recently", async () => {
    const response = await fetch(`${httpBase(gateway.port)}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ready: boolean; metadataAgeMs: number };
    expect(body.ready).toBe(true);
    expect(body.metadataAgeMs).toBeGreaterThanOrEqual(0);
  });

  it("GET /readyz answers 503 when no cluster server answers", async () => {
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const closedPort = (listener.address() as { port: number }).port;
    await new Promise((resolve) => listener.close(resolve));
    const orphan = await startGateway({ bootstrapServers: `127.0.0.1:${closedPort}`, port: 0, logger: silentLogger, connectTimeoutMs: 500 });
    try {
      const response = await fetch(`${httpBase(orphan.port)}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, metadataAgeMs: null, error: "CLIENT_ERROR" });
      expect((await fetch(`${httpBase(orphan.port)}/healthz`)).status).toBe(200);
    } finally {
      await orphan.close();
    }
  });

  it("GET /metrics exposes connections, frames and bytes each way, the latency histogram and errors by code", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    await caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 1, {});
    await caller.call(plainEndpoint, ApiKey.GET_METADATA, 2, {});
    await caller.send(plainEndpoint, ApiKey.AUTHENTICATE, 3, { protocol: "PLAIN", token: new Uint8Array(0) });
    const response = await fetch(`${httpBase(gateway.port)}/metrics`);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await response.text();
    expect(sample(text, "fluss_gateway_websocket_connections")).toBe(1);
    expect(sample(text, 'fluss_gateway_frames_total{direction="in"}')).toBeGreaterThanOrEqual(4); // HELLO + 3 REQUESTs
    expect(sample(text, 'fluss_gateway_frames_total{direction="out"}')).toBeGreaterThanOrEqual(4); // WELCOME + 2 RESPONSEs + ERROR
    expect(sample(text, 'fluss_gateway_bytes_total{direction="in"}')).toBeGreaterThan(0);
    expect(sample(text, 'fluss_gateway_bytes_total{direction="out"}')).toBeGreaterThan(0);
    expect(sample(text, 'fluss_gateway_relay_latency_seconds_count{api="LIST_DATABASES"}')).toBe(1);
    expect(sample(text, 'fluss_gateway_relay_latency_seconds_bucket{api="GET_METADATA",le="+Inf"}')).toBe(1);
    expect(sample(text, 'fluss_gateway_errors_total{code="48",name="AUTHORIZATION_EXCEPTION"}')).toBe(1);
    expect(sample(text, "fluss_gateway_cluster_ready")).toBe(1);
    expect(text).toContain("# TYPE fluss_gateway_relay_latency_seconds histogram");
    await caller.close();
    expect(sample(await scrape(gateway.port), "fluss_gateway_websocket_connections")).toBe(0);
  });

  it("answers a plain GET on the WebSocket path with 426 and unknown paths with 404; upgrades elsewhere are refused", async () => {
    expect((await fetch(`${httpBase(gateway.port)}/fluss`)).status).toBe(426);
    expect((await fetch(`${httpBase(gateway.port)}/nope`)).status).toBe(404);
    await expect(RawCaller.connect(gateway.url.replace("/fluss", "/other"))).rejects.toMatchObject({ status: 404 });
  });
});
