import { ApiKey, ErrorCode } from "@fluss-edge/client/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { CaptureLogger } from "../../gateway/test/support/capture-logger.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { sample, scrape } from "../../gateway/test/support/http.js";
import { asError, RawCaller } from "../../gateway/test/support/raw-client.js";

const { sasl, saslEndpoint, plain, plainEndpoint } = clusterAddresses();

describe("a gateway in front of the SASL listener", () => {
  const logger = new CaptureLogger();
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      bootstrapServers: sasl,
      port: 0,
      clusterSasl: { username: "admin", password: "admin-secret" },
      logger,
    });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it("relays for callers without credentials under its own cluster identity", async () => {
    const { caller, welcome } = await RawCaller.open(gateway.url);
    expect(welcome.bootstrap).toEqual([saslEndpoint]);
    const metadata = await caller.call(saslEndpoint, ApiKey.GET_METADATA, 1, {});
    // The SASL listener hands back SASL endpoints; those are cluster servers too.
    expect(metadata.coordinatorServer?.port).toBe(saslEndpoint.port);
    const tablet = metadata.tabletServers[0]!;
    expect((await caller.call({ host: tablet.host, port: tablet.port }, ApiKey.LIST_DATABASES, 2, {})).databaseName).toContain("fluss");
    await caller.close();
  });

  it("opens authenticated sessions of their own for callers with the right SASL credentials", async () => {
    const { caller } = await RawCaller.open(gateway.url, { saslUsername: "alice", saslPassword: "alice-secret" });
    expect((await caller.call(saslEndpoint, ApiKey.LIST_DATABASES, 1, {})).databaseName).toContain("fluss");
    await caller.close();
  });

  it("refuses wrong SASL credentials at HELLO with ERROR −1 AUTHENTICATE_EXCEPTION (46) and close 1008", async () => {
    const caller = await RawCaller.connect(gateway.url);
    const error = asError(await caller.hello({ saslUsername: "alice", saslPassword: "not-alice-secret" }));
    expect(error).toMatchObject({ requestId: -1, errorCode: ErrorCode.AUTHENTICATE_EXCEPTION, retriable: false });
    expect(error.message).toContain("alice");
    expect(error.message).not.toContain("not-alice-secret");
    expect((await caller.closed).code).toBe(1008);
    // A right password afterwards still works: wrong and right credentials never share sessions.
    const { caller: again } = await RawCaller.open(gateway.url, { saslUsername: "alice", saslPassword: "alice-secret" });
    expect((await again.call(saslEndpoint, ApiKey.LIST_DATABASES, 1, {})).databaseName).toContain("fluss");
    await again.close();
  });

  it("never logs a password", async () => {
    const text = logger.text();
    expect(text).toContain("alice");
    for (const secret of ["admin-secret", "alice-secret", "not-alice-secret"]) expect(text).not.toContain(secret);
    expect(await scrape(gateway.port)).not.toContain("secret");
  });
});

describe("misconfigured cluster identity", () => {
  it("reports not ready and answers HELLO with a retriable NETWORK_EXCEPTION when its own credentials are refused", async () => {
    const gateway = await startGateway({
      bootstrapServers: sasl,
      port: 0,
      clusterSasl: { username: "admin", password: "wrong" },
      logger: silentLogger,
    });
    try {
      expect((await fetch(`http://127.0.0.1:${gateway.port}/readyz`)).status).toBe(503);
      const caller = await RawCaller.connect(gateway.url);
      const error = asError(await caller.hello());
      expect(error).toMatchObject({ requestId: -1, errorCode: ErrorCode.NETWORK_EXCEPTION, retriable: true });
      expect((await caller.closed).code).toBe(1013);
      expect(sample(await scrape(gateway.port), "fluss_gateway_cluster_ready")).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});

describe("caller credentials in front of a plaintext listener", () => {
  it("are refused by the cluster (it does not speak SASL there): ERROR −1 AUTHENTICATE_EXCEPTION", async () => {
    const gateway = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger });
    try {
      const caller = await RawCaller.connect(gateway.url);
      const error = asError(await caller.hello({ saslUsername: "alice", saslPassword: "alice-secret" }));
      expect(error).toMatchObject({ requestId: -1, errorCode: ErrorCode.AUTHENTICATE_EXCEPTION });
      // Callers without credentials are unaffected.
      const { caller: plainCaller } = await RawCaller.open(gateway.url);
      expect((await plainCaller.call(plainEndpoint, ApiKey.LIST_DATABASES, 1, {})).databaseName).toContain("fluss");
      await plainCaller.close();
    } finally {
      await gateway.close();
    }
  });
});
