import { WebSocket as WsWebSocket } from "ws";
import { describe, expect, it } from "vitest";
// The Node entry: registers TCP and the `ws` fallback for runtimes without a global WebSocket.
import { Config, ErrorCode, FlussConnection, FlussError } from "../../../src/node.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { decodeRequestHeader, LENGTH_PREFIX_BYTES } from "../../../src/wire/frame.js";
import { EnvelopeType } from "../../../src/wire/gateway-envelope.js";
import { startEnvelopePeer } from "./websocket-peer.js";

async function rejection(promise: Promise<unknown>): Promise<FlussError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    return error as FlussError;
  }
  throw new Error("expected a rejection");
}

describe("gateway.url and gateway.token", () => {
  it("accept ws:// and wss:// URLs and keep the token secret", () => {
    const config = new Config({ "gateway.url": "wss://gw.example.com/fluss", "gateway.token": "tok-123" });
    expect(config.get("gatewayUrl")).toBe("wss://gw.example.com/fluss");
    expect(String(config)).not.toContain("tok-123");
    expect(new Config({ "client.gateway.url": "ws://127.0.0.1:8080/fluss" }).get("gatewayUrl")).toBe("ws://127.0.0.1:8080/fluss");
  });

  it("reject other schemes, garbage and credentials in the URL with CLIENT_ERROR naming the key", () => {
    for (const bad of ["http://gw/fluss", "not a url", "ws://user:pw@gw/fluss", 42]) {
      let caught: unknown;
      try {
        new Config({ "gateway.url": bad });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FlussError);
      expect((caught as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect((caught as FlussError).message).toContain("gateway.url");
    }
    let caught: unknown;
    try {
      new Config({ "gateway.token": 123 });
    } catch (error) {
      caught = error;
    }
    expect((caught as FlussError).message).not.toContain("123");
  });
});

describe("FlussConnection.create through a gateway", () => {
  it("refuses gateway.url together with bootstrap.servers", async () => {
    const error = await rejection(FlussConnection.create({ "gateway.url": "ws://127.0.0.1:1/fluss", "bootstrap.servers": "127.0.0.1:9123" }));
    expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect(error.message).toContain("gateway.url");
  });

  it("reports a gateway that is down as CLIENT_ERROR naming its URL, with the ws fallback of the Node entry and with an injected class", async () => {
    const peer = await startEnvelopePeer();
    await peer.close();
    // `{}`: no injected class, so on Node 20 (no global WebSocket) the Node entry's `ws` fallback connects.
    for (const options of [{}, { webSocket: WsWebSocket }]) {
      const started = Date.now();
      const error = await rejection(FlussConnection.create({ "gateway.url": peer.url, "connect-timeout": 2000 }, options));
      expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect(error.message).toContain(peer.url);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it("puts the SASL identity and token in HELLO, never sends Authenticate, and bootstraps where WELCOME says", async () => {
    const peer = await startEnvelopePeer();
    try {
      const creating = FlussConnection.create(
        {
          "gateway.url": peer.url,
          "gateway.token": "tok-123",
          "client.security.protocol": "sasl",
          "client.security.sasl.username": "alice",
          "client.security.sasl.password": "alice-secret",
          "client.id": "unit",
        },
        { webSocket: WsWebSocket },
      );
      const connection = await peer.nextConnection();
      expect(await connection.next()).toMatchObject({
        type: EnvelopeType.HELLO,
        token: "tok-123",
        saslUsername: "alice",
        saslPassword: "alice-secret",
        clientName: "fluss-edge/0.1.0 (unit)",
      });
      connection.welcome({ bootstrap: [{ host: "10.1.2.3", port: 9123 }] });
      // First ApiVersions to the bootstrap server WELCOME named, answered with the real coordinator's bytes.
      const apiVersions = await connection.nextRequest();
      expect([apiVersions.host, apiVersions.port]).toEqual(["10.1.2.3", 9123]);
      expect(decodeRequestHeader(apiVersions.frame.subarray(LENGTH_PREFIX_BYTES)).apiKey).toBe(ApiKey.API_VERSIONS);
      connection.answerWithCapturedApiVersions(apiVersions);
      // Next is GetMetadata — not Authenticate (1038): SASL happened in HELLO.
      const metadata = await connection.nextRequest();
      const header = decodeRequestHeader(metadata.frame.subarray(LENGTH_PREFIX_BYTES));
      expect(header.apiKey).toBe(ApiKey.GET_METADATA);
      connection.send({ type: EnvelopeType.ERROR, requestId: header.requestId, errorCode: ErrorCode.NETWORK_EXCEPTION, retriable: true, message: "10.1.2.3:9123 unreachable" });
      const error = await rejection(creating);
      expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect(error.message).toContain("10.1.2.3:9123");
      expect(error.message).toContain(peer.url);
      expect(error.message).not.toContain("alice-secret");
    } finally {
      await peer.close();
    }
  });
});
