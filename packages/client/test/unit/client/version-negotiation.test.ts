import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ServerConnection } from "../../../src/client/server-connection.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import type { Endpoint, OutboundRequest, Transport, TransportSession } from "../../../src/transport/transport.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { decodeResponseFrame, type ResponseFrame } from "../../../src/wire/frame.js";

/** ApiVersions answers captured from a real 0.9.1 cluster (see fixtures/capture-api-versions.ts). */
const captured = JSON.parse(readFileSync(new URL("../../fixtures/api-versions.json", import.meta.url), "utf8")) as Record<string, string>;

/**
 * A session that replays the captured ApiVersions answer and records what the
 * connection sends after it; any later request gets an empty success body.
 */
function replayingTransport(capturedHex: string): { transport: Transport; sent: OutboundRequest[] } {
  const sent: OutboundRequest[] = [];
  const session = (endpoint: Endpoint): TransportSession => ({
    endpoint,
    isOpen: true,
    close() {},
    async request(request): Promise<ResponseFrame> {
      sent.push(request);
      if (request.apiKey === ApiKey.API_VERSIONS) return decodeResponseFrame(Buffer.from(capturedHex, "hex"));
      return { kind: "success", requestId: 1, body: new Uint8Array() };
    },
  });
  return { transport: { name: "replay", open: async (endpoint) => session(endpoint) }, sent };
}

const options = { connectTimeoutMs: 1000, requestTimeoutMs: 1000, maxFrameBytes: 1 << 20 };

describe("version negotiation against the real server's ApiVersions", () => {
  it("sends ApiVersions first and learns the server type", async () => {
    const { transport, sent } = replayingTransport(captured.coordinator!);
    const connection = await ServerConnection.open(transport, { host: "127.0.0.1", port: 9123 }, options);
    expect(sent[0]!.apiKey).toBe(ApiKey.API_VERSIONS);
    expect(connection.serverType).toBe(1);
  });

  it("uses the highest version both sides speak", async () => {
    const { transport, sent } = replayingTransport(captured.tablet!);
    const connection = await ServerConnection.open(transport, { host: "127.0.0.1", port: 9133 }, options);
    expect(connection.serverType).toBe(2);
    await connection.call(ApiKey.LIST_DATABASES, {});
    // The 0.9.1 tablet server speaks LOOKUP 0..1 and this client too: version 1 is chosen.
    await connection.call(ApiKey.LOOKUP, { tableId: 1n, bucketsReq: [] });
    expect(sent.map((r) => [r.apiKey, r.apiVersion])).toEqual([
      [ApiKey.API_VERSIONS, 0],
      [ApiKey.LIST_DATABASES, 0],
      [ApiKey.LOOKUP, 1],
    ]);
  });

  it("refuses locally, with UNSUPPORTED_VERSION, an api the server did not list", async () => {
    // Drop PUT_KV (1016) from the captured list to stand for an older server.
    const { transport } = replayingTransport(withoutApi(captured.tablet!, 1016));
    const connection = await ServerConnection.open(transport, { host: "127.0.0.1", port: 9133 }, options);
    const attempt = connection.call(ApiKey.PUT_KV, { acks: -1, tableId: 1n, timeoutMs: 1000, bucketsReq: [] });
    await expect(attempt).rejects.toBeInstanceOf(FlussError);
    await expect(attempt).rejects.toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_VERSION });
  });
});

/** Re-encodes a captured ApiVersions response without one api key. */
function withoutApi(hex: string, apiKey: number): string {
  const payload = Buffer.from(hex, "hex");
  const header = payload.subarray(0, 5);
  const body = payload.subarray(5);
  // Each PbApiVersion is field 1 (tag 0x0a), length-delimited; keep all but the one for apiKey.
  const kept: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const tag = body[offset]!;
    if (tag === 0x10) {
      // server_type (field 2, varint): one small value byte.
      kept.push(body.subarray(offset, offset + 2));
      offset += 2;
      continue;
    }
    const length = body[offset + 1]!;
    const entry = body.subarray(offset, offset + 2 + length);
    const keyVarint = entry.subarray(3); // 0x08 <varint api_key>
    const key = (keyVarint[0]! & 0x7f) | ((keyVarint[1]! & 0x7f) << 7);
    if (!(tag === 0x0a && key === apiKey)) kept.push(entry);
    offset += 2 + length;
  }
  return Buffer.concat([header, ...kept]).toString("hex");
}
