/**
 * The client's side of the gateway against real gateways and the real
 * cluster: what a caller sees when the gateway dies, restarts, refuses a
 * token, is down, times a request out or denies a target, and that Fluss's
 * own error responses arrive exactly as over TCP.
 */
import { FlussConnection, TablePath, WebSocketTransport, type FlussError } from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveWebSocket } from "../../packages/client/src/transport/websocket-constructor.js";
import { wsWebSocketClass } from "../support/ws-class.js";
import { closedPort } from "../support/closed-port.js";
import { startGateway } from "../../gateway/src/index.js";
import { ErrorCode, expectFlussError } from "./expect-fluss-error.js";
import { spawnGateway } from "./gateway-process.js";
import { gatewayTarget, tcpTarget, uniqueName } from "./targets.js";

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const rawSessionOptions = { connectTimeoutMs: 5000, maxFrameBytes: 1 << 20 };

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the integration project's globalSetup provides it`);
  return value;
}

const bootstrap = () => required("FLUSS_BOOTSTRAP_SERVERS");

describe("the WebSocket class of the Node entry", () => {
  it("is the ws package's, also where Node has a global one, unless the run asks for the global one", async () => {
    const chosen = await resolveWebSocket(undefined);
    const expected = process.env.FLUSS_TEST_WEBSOCKET === "global" ? (globalThis as { WebSocket?: unknown }).WebSocket : wsWebSocketClass();
    expect(chosen).toBe(expected);
  });
});

describe("a gateway that dies mid-request", () => {
  it("gives the caller a FlussError, and the first request after its restart on the same port succeeds", async () => {
    let gateway = await spawnGateway({ bootstrapServers: bootstrap() });
    const conn = await FlussConnection.create({ "gateway.url": gateway.url, "connect-timeout": 5000 });
    // A request that is certainly in flight when the gateway dies: the cluster never answers api key 1999.
    const raw = new WebSocketTransport({ url: gateway.url });
    try {
      expect(await conn.getAdmin().listDatabases()).toContain("fluss");
      const welcome = await raw.connect(5000);
      const session = await raw.open(welcome.bootstrap[0]!, rawSessionOptions);
      const inFlight = expectFlussError(
        session.request({ apiKey: 1999, apiVersion: 0, body: new Uint8Array() }, 60_000),
        ErrorCode.NETWORK_EXCEPTION,
      );
      // Let the envelope reach the gateway before the kill.
      await new Promise((resolve) => setTimeout(resolve, 200));

      await gateway.kill();
      const dropped = await inFlight;
      expect(dropped.isRetriable()).toBe(true);
      expect(dropped.message).toContain(gateway.url);
      expect(session.isOpen).toBe(false);

      // While it is down, the connection's requests fail (after the cluster client's retries)
      // with a retriable FlussError naming the gateway, as an unreachable server does over TCP.
      const whileDown = await expectFlussError(conn.getAdmin().listDatabases(), ErrorCode.NETWORK_EXCEPTION);
      expect(whileDown.isRetriable()).toBe(true);
      expect(whileDown.message).toContain(gateway.url);

      gateway = await spawnGateway({ bootstrapServers: bootstrap(), port: gateway.port });
      // The same FlussConnection reconnects by itself on the next request.
      expect(await conn.getAdmin().listDatabases()).toContain("fluss");
      const reopened = await raw.open(welcome.bootstrap[0]!, rawSessionOptions);
      expect(reopened.isOpen).toBe(true);
    } finally {
      raw.close();
      await conn.close();
      await gateway.kill();
    }
  });

  it("that stops gracefully fails requests in flight with a retriable NETWORK_EXCEPTION, and a restart on the same port serves again", async () => {
    let gateway = await startGateway({ bootstrapServers: bootstrap(), port: 0, devMode: true, logger: quiet });
    const conn = await FlussConnection.create({ "gateway.url": gateway.url });
    const raw = new WebSocketTransport({ url: gateway.url });
    try {
      const welcome = await raw.connect(5000);
      const session = await raw.open(welcome.bootstrap[0]!, rawSessionOptions);
      const inFlight = expectFlussError(
        session.request({ apiKey: 1999, apiVersion: 0, body: new Uint8Array() }, 60_000),
        ErrorCode.NETWORK_EXCEPTION,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await gateway.close();
      const error = await inFlight;
      expect(error.isRetriable()).toBe(true);
      expect(error.message).toContain("shutting down");

      gateway = await startGateway({ bootstrapServers: bootstrap(), port: gateway.port, devMode: true, logger: quiet });
      expect(await conn.getAdmin().listDatabases()).toContain("fluss");
    } finally {
      raw.close();
      await conn.close();
      await gateway.close();
    }
  });
});

describe("a gateway with a token", () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gateway = await startGateway({ bootstrapServers: bootstrap(), port: 0, devMode: true, token: "right-token-42", logger: quiet });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("refuses a wrong or missing token with AUTHENTICATE_EXCEPTION, never echoing it", async () => {
    const wrong = await expectFlussError(
      FlussConnection.create({ "gateway.url": gateway.url, "gateway.token": "wrong-token-17" }),
      ErrorCode.AUTHENTICATE_EXCEPTION,
    );
    expect(wrong.message).not.toContain("wrong-token-17");
    expect(wrong.message).not.toContain("right-token-42");
    expect(wrong.isRetriable()).toBe(false);
    await expectFlussError(FlussConnection.create({ "gateway.url": gateway.url }), ErrorCode.AUTHENTICATE_EXCEPTION);
  });

  it("serves the right token", async () => {
    const conn = await FlussConnection.create({ "gateway.url": gateway.url, "gateway.token": "right-token-42" });
    try {
      expect(await conn.getAdmin().listDatabases()).toContain("fluss");
      expect(String(conn.config)).not.toContain("right-token-42");
    } finally {
      await conn.close();
    }
  });
});

describe("connecting through a gateway", () => {
  it("fails with CLIENT_ERROR naming the gateway within the connect timeout when the gateway is down", async () => {
    const stopped = await startGateway({ bootstrapServers: bootstrap(), port: 0, devMode: true, logger: quiet });
    await stopped.close();
    const started = Date.now();
    const error = await expectFlussError(
      FlussConnection.create({ "gateway.url": stopped.url, "connect-timeout": 2000 }),
      ErrorCode.CLIENT_ERROR,
    );
    expect(error.message).toContain(stopped.url);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails with CLIENT_ERROR naming the gateway when the gateway cannot reach the cluster", async () => {
    const gateway = await startGateway({ bootstrapServers: `127.0.0.1:${await closedPort()}`, port: 0, devMode: true, connectTimeoutMs: 1000, logger: quiet });
    try {
      const started = Date.now();
      const error = await expectFlussError(
        FlussConnection.create({ "gateway.url": gateway.url, "connect-timeout": 5000 }),
        ErrorCode.CLIENT_ERROR,
      );
      expect(error.message).toContain(gateway.url);
      expect(Date.now() - started).toBeLessThan(5000 + 1000);
    } finally {
      await gateway.close();
    }
  });
});

describe("requests through a gateway", () => {
  it("pass Fluss's error responses through unchanged: TABLE_NOT_EXIST reads exactly as over TCP", async () => {
    const db = uniqueName("gw_errors_db");
    const direct = await FlussConnection.create(tcpTarget.config());
    const relayed = await FlussConnection.create(gatewayTarget.config());
    try {
      await direct.getAdmin().createDatabase(db);
      const missing = new TablePath(db, "missing");
      const overTcp = await expectFlussError(direct.getAdmin().getTableInfo(missing), ErrorCode.TABLE_NOT_EXIST);
      const overGateway = await expectFlussError(relayed.getAdmin().getTableInfo(missing), ErrorCode.TABLE_NOT_EXIST);
      const shape = (e: FlussError) => ({ code: e.errorCode, name: e.exceptionName, message: e.message, retriable: e.isRetriable() });
      expect(shape(overGateway)).toEqual(shape(overTcp));
      await expectFlussError(relayed.getAdmin().dropTable(missing), ErrorCode.TABLE_NOT_EXIST);
      await expectFlussError(relayed.getAdmin().createDatabase(db), ErrorCode.DATABASE_ALREADY_EXIST);
    } finally {
      await direct.getAdmin().dropDatabase(db, { ignoreIfNotExists: true, cascade: true });
      await direct.close();
      await relayed.close();
    }
  });

  it("that the cluster never answers time out with the gateway's REQUEST_TIME_OUT", async () => {
    const gateway = await startGateway({ bootstrapServers: bootstrap(), port: 0, devMode: true, requestTimeoutMs: 500, logger: quiet });
    const transport = new WebSocketTransport({ url: gateway.url });
    try {
      const welcome = await transport.connect(5000);
      const session = await transport.open(welcome.bootstrap[0]!, rawSessionOptions);
      const started = Date.now();
      // The client would wait 10 s; the gateway's 500 ms answer comes first.
      const error = await expectFlussError(session.request({ apiKey: 1999, apiVersion: 0, body: new Uint8Array() }, 10_000), ErrorCode.REQUEST_TIME_OUT);
      expect(error.isRetriable()).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(session.isOpen).toBe(true);
    } finally {
      transport.close();
      await gateway.close();
    }
  });

  it("to a server outside the cluster are denied with AUTHORIZATION_EXCEPTION, and the WebSocket stays usable", async () => {
    const transport = new WebSocketTransport({ url: required("FLUSS_GATEWAY_URL") });
    try {
      const welcome = await transport.connect(5000);
      const outsider = await transport.open({ host: "127.0.0.1", port: await closedPort() }, rawSessionOptions);
      await expectFlussError(outsider.request({ apiKey: 1012, apiVersion: 0, body: new Uint8Array() }, 5000), ErrorCode.AUTHORIZATION_EXCEPTION);
      const coordinator = await transport.open(welcome.bootstrap[0]!, rawSessionOptions);
      const answer = await coordinator.request({ apiKey: 1012, apiVersion: 0, body: new Uint8Array() }, 5000);
      expect(answer.kind).toBe("success");
    } finally {
      transport.close();
    }
  });
});
