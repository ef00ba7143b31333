import { ApiKey, ErrorCode, GATEWAY_PROTOCOL_VERSION, encodeRequestFrame } from "@fluss-edge/client/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { asError, decodeResponse, errorOfResponse, RawCaller } from "../../gateway/test/support/raw-client.js";

const { plain, plainEndpoint } = clusterAddresses();
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger, requestTimeoutMs: 1500 });
});
afterAll(async () => {
  await gateway.close();
});

describe("handshake", () => {
  it("answers HELLO with WELCOME: version, frame limit, the cluster's bootstrap servers, its name", async () => {
    const { caller, welcome } = await RawCaller.open(gateway.url);
    expect(caller.ws.protocol).toBe("fluss-edge.v1");
    expect(welcome.version).toBe(GATEWAY_PROTOCOL_VERSION);
    expect(welcome.maxFrameBytes).toBe(16 * 1024 * 1024);
    expect(welcome.bootstrap).toEqual([plainEndpoint]);
    expect(welcome.gateway).toMatch(/^fluss-edge-gateway\/\d+\.\d+\.\d+/);
    await caller.close();
  });

  it("refuses an unsupported protocol version with ERROR −1 UNSUPPORTED_VERSION and close 1002", async () => {
    const caller = await RawCaller.connect(gateway.url);
    const error = asError(await caller.hello({ version: 7 }));
    expect(error.requestId).toBe(-1);
    expect(error.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect((await caller.closed).code).toBe(1002);
  });

  it("treats a REQUEST before HELLO as a protocol error (ERROR −1, close 1002)", async () => {
    const caller = await RawCaller.connect(gateway.url);
    void caller.send(plainEndpoint, ApiKey.LIST_DATABASES, 1, {});
    const error = asError(await caller.next());
    expect(error.requestId).toBe(-1);
    expect(error.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(error.message).toContain("HELLO");
    expect((await caller.closed).code).toBe(1002);
  });

  it("treats a text message as a protocol error", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    caller.ws.send("hello?");
    expect(asError(await caller.next()).requestId).toBe(-1);
    expect((await caller.closed).code).toBe(1002);
  });

  it("refuses an upgrade without the fluss-edge.v1 subprotocol", async () => {
    await expect(RawCaller.connect(gateway.url, { protocols: ["something-else"] })).rejects.toMatchObject({ status: 400 });
  });
});

describe("relay", () => {
  it("relays ApiVersions, GetMetadata and ListDatabases; bytes decode with the client's protobuf code", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    const versions = await caller.call(plainEndpoint, ApiKey.API_VERSIONS, 11, {
      clientSoftwareName: "gateway-test",
      clientSoftwareVersion: "0",
    });
    expect(versions.apiVersions.map((v) => v.apiKey)).toContain(ApiKey.GET_METADATA);

    const metadata = await caller.call(plainEndpoint, ApiKey.GET_METADATA, 12, {});
    expect(metadata.coordinatorServer).toMatchObject({ host: plainEndpoint.host, port: plainEndpoint.port });
    expect(metadata.tabletServers.length).toBeGreaterThan(0);

    const databases = await caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 13, {});
    expect(databases.databaseName).toContain("fluss");

    // A tablet server learned from the metadata is a valid target too.
    const tablet = metadata.tabletServers[0]!;
    const fromTablet = await caller.call({ host: tablet.host, port: tablet.port }, ApiKey.GET_METADATA, 14, {});
    expect(fromTablet.tabletServers.map((s) => s.nodeId)).toContain(tablet.nodeId);
    await caller.close();
  });

  it("relays a Fluss error response unchanged (it decodes exactly as over TCP)", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    const answer = await caller.send(plainEndpoint, ApiKey.GET_DATABASE_INFO, 5, { databaseName: "no_such_database_gw" });
    const error = errorOfResponse(answer, 5);
    expect(error.errorCode).toBe(ErrorCode.DATABASE_NOT_EXIST);
    await caller.close();
  });

  it("pipelines: many requests in flight on one WebSocket come back under their own ids", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    const ids = Array.from({ length: 50 }, (_, i) => 1000 + i * 7);
    const answers = await Promise.all(
      ids.map((id) =>
        id % 2 === 0
          ? caller.send(plainEndpoint, ApiKey.DATABASE_EXISTS, id, { databaseName: "fluss" })
          : caller.send(plainEndpoint, ApiKey.DATABASE_EXISTS, id, { databaseName: "no_such_database_gw" }),
      ),
    );
    answers.forEach((answer, i) => {
      const id = ids[i]!;
      expect(decodeResponse(ApiKey.DATABASE_EXISTS, id, answer).exists).toBe(id % 2 === 0);
    });
    await caller.close();
  });

  it("refuses Fluss Authenticate (1038) from callers with AUTHORIZATION_EXCEPTION", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    const error = asError(
      await caller.send(plainEndpoint, ApiKey.AUTHENTICATE, 3, { protocol: "PLAIN", token: new TextEncoder().encode("\0admin\0admin-secret") }),
    );
    expect(error).toMatchObject({ requestId: 3, errorCode: ErrorCode.AUTHORIZATION_EXCEPTION, retriable: false });
    // The connection stays usable.
    expect((await caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 4, {})).databaseName).toContain("fluss");
    await caller.close();
  });

  it("refuses a request id that is already in flight with CLIENT_ERROR; the first request keeps its own fate", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    // Api key 1999 is unknown to the server, which never answers it: the first request stays in flight.
    const silent = () => encodeRequestFrame({ apiKey: 1999, apiVersion: 0, requestId: 9 }, new Uint8Array(0));
    const first = caller.sendFrame(plainEndpoint, silent(), 9);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const duplicate = caller.sendFrame(plainEndpoint, silent(), 9);
    const answers = (await Promise.all([first, duplicate])).map(asError);
    expect(answers.map((e) => e.requestId)).toEqual([9, 9]);
    // The duplicate is refused at once; the first one times out as the cluster never answers it.
    expect(answers.map((e) => e.errorCode)).toEqual([ErrorCode.CLIENT_ERROR, ErrorCode.REQUEST_TIME_OUT]);
    expect(answers[0]!.message).toContain("already in flight");
    await caller.close();
  });

  it("fails a request the cluster never answers with REQUEST_TIME_OUT (retriable) after requestTimeoutMs", async () => {
    const { caller } = await RawCaller.open(gateway.url);
    const started = Date.now();
    const frame = encodeRequestFrame({ apiKey: 1999, apiVersion: 0, requestId: 77 }, new Uint8Array(0));
    const error = asError(await caller.sendFrame(plainEndpoint, frame, 77));
    expect(error).toMatchObject({ requestId: 77, errorCode: ErrorCode.REQUEST_TIME_OUT, retriable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(5000);
    // Later requests on the same WebSocket still work.
    expect((await caller.call(plainEndpoint, ApiKey.LIST_DATABASES, 78, {})).databaseName).toContain("fluss");
    await caller.close();
  });
});
