import { ApiKey, encodeRequestFrame, ErrorCode } from "@fluss-edge/client/wire";
import { describe, expect, it } from "vitest";
import { silentLogger, startGateway } from "../../gateway/src/index.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { asError, RawCaller } from "../../gateway/test/support/raw-client.js";

const { plain, plainEndpoint } = clusterAddresses();

describe("graceful shutdown", () => {
  it("fails pending requests with ERROR −1 NETWORK_EXCEPTION (retriable), closes with 1001, and the port can be reused", async () => {
    const first = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger });
    const { caller } = await RawCaller.open(first.url);
    // The server never answers api key 1999: the request is still pending when the gateway stops.
    void caller.sendFrame(plainEndpoint, encodeRequestFrame({ apiKey: 1999, apiVersion: 0, requestId: 5 }, new Uint8Array(0)), 5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await first.close();
    expect(Date.now() - started).toBeLessThan(3000);
    const error = asError(await caller.next());
    expect(error).toMatchObject({ requestId: -1, errorCode: ErrorCode.NETWORK_EXCEPTION, retriable: true });
    expect((await caller.closed).code).toBe(1001);
    await expect(RawCaller.connect(first.url)).rejects.toBeInstanceOf(Error);
    await first.close(); // idempotent

    // A new gateway on the same port serves again at once.
    const second = await startGateway({ bootstrapServers: plain, port: first.port, logger: silentLogger });
    try {
      expect(second.url).toBe(first.url);
      const { caller: again } = await RawCaller.open(second.url);
      expect((await again.call(plainEndpoint, ApiKey.LIST_DATABASES, 5, {})).databaseName).toContain("fluss");
      await again.close();
    } finally {
      await second.close();
    }
  });

  it("fails startGateway with the listen error when the port is taken", async () => {
    const first = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger });
    try {
      await expect(startGateway({ bootstrapServers: plain, port: first.port, logger: silentLogger })).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      await first.close();
    }
  });

  it("rejects invalid options with a CLIENT_ERROR naming the option, before binding", async () => {
    await expect(startGateway({ bootstrapServers: "not-an-address", logger: silentLogger })).rejects.toMatchObject({
      errorCode: ErrorCode.CLIENT_ERROR,
      message: expect.stringContaining("bootstrapServers"),
    });
    await expect(startGateway({ bootstrapServers: plain, maxFrameBytes: 10, logger: silentLogger })).rejects.toMatchObject({
      message: expect.stringContaining("maxFrameBytes"),
    });
  });
});

