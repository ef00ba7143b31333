import { ApiKey, EnvelopeType } from "@fluss-edge/client/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { sample, scrape } from "../../gateway/test/support/http.js";
import { RawCaller } from "../../gateway/test/support/raw-client.js";

const { plain, plainEndpoint } = clusterAddresses();
const REQUEST_TIMEOUT_MS = 4000;
let gateway: RunningGateway;

beforeAll(async () => {
  // One session per server: the slow caller and its neighbour share it.
  gateway = await startGateway({ bootstrapServers: plain, port: 0, poolSize: 1, requestTimeoutMs: REQUEST_TIMEOUT_MS, logger: silentLogger });
});
afterAll(async () => {
  await gateway.close();
});

describe("a caller that stops reading", () => {
  it("is dropped after the stall limit, and its neighbour on the same session is served", async () => {
    const { caller: slow } = await RawCaller.open(gateway.url);
    const { caller: neighbour } = await RawCaller.open(gateway.url);
    expect((await neighbour.call(plainEndpoint, ApiKey.LIST_DATABASES, 1, {})).databaseName).toContain("fluss");

    // The slow caller stops reading its socket, then asks for ~30 MB of answers: the server echoes
    // a 100 kB database name in each "does not exist" error. Kernel buffers take a few MB; the rest
    // piles up in the gateway until the caller counts as slow.
    slow.ws.pause();
    const name = "x".repeat(100_000);
    for (let id = 0; id < 300; id++) void slow.send(plainEndpoint, ApiKey.GET_DATABASE_INFO, id, { databaseName: name });

    // Meanwhile the neighbour keeps asking; while the shared session is paused its answers wait, but
    // they arrive within its request timeout because the slow caller is dropped before that.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const answer = await neighbour.send(plainEndpoint, ApiKey.LIST_DATABASES, 2, {});
    expect(answer.type).toBe(EnvelopeType.RESPONSE);
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS);

    // A paused socket does not notice its connection was dropped; let it look.
    slow.ws.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(1006); // dropped without a close frame: it was not reading anyway
    const metrics = await scrape(gateway.port);
    expect(sample(metrics, "fluss_gateway_slow_callers_dropped_total")).toBe(1);
    expect(sample(metrics, "fluss_gateway_websocket_connections")).toBe(1);
    expect((await neighbour.call(plainEndpoint, ApiKey.LIST_DATABASES, 3, {})).databaseName).toContain("fluss");
    await neighbour.close();
  });
});
