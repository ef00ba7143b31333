/**
 * A TCP session whose peer goes silent (a half-open connection, a hung
 * server) ends at the first request timeout with nothing read, so that the
 * next request opens a fresh connection; a peer that still sends bytes
 * keeps its session. The peers never speak Fluss (test/fixtures/silent-peer.ts): one never
 * writes, one trickles the bytes of a large response.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode, type FlussError } from "../../../src/errors/index.js";
import { TcpTransport } from "../../../src/node/tcp-transport.js";
import type { TransportSession } from "../../../src/transport/transport.js";
import { startSilentPeer, type SilentPeer } from "../../fixtures/silent-peer.js";

const request = { apiKey: 1012, apiVersion: 0, body: new Uint8Array([8, 1]) };
const options = { connectTimeoutMs: 2000, maxFrameBytes: 1 << 20 };
const opened: { peer?: SilentPeer; session?: TransportSession }[] = [];

afterEach(() => {
  for (const { peer, session } of opened.splice(0)) {
    session?.close();
    peer?.close();
  }
});

async function outcome(promise: Promise<unknown>): Promise<FlussError> {
  try {
    await promise;
  } catch (error) {
    return error as FlussError;
  }
  throw new Error("the request succeeded");
}

describe("TCP session with a silent peer", () => {
  it("ends at the first timeout with nothing read: other requests fail at once, retriably, and the socket is closed", async () => {
    const peer = await startSilentPeer();
    const session = await new TcpTransport().open({ host: "127.0.0.1", port: peer.port }, options);
    opened.push({ peer, session });
    const started = Date.now();
    const short = outcome(session.request(request, 100));
    const long = outcome(session.request(request, 20_000));

    expect((await short).errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    const other = await long;
    expect(other.errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
    expect(other.isRetriable()).toBe(true);
    expect(other.message).toContain(`127.0.0.1:${peer.port}`);
    expect(other.message).toContain("nothing received for 100 ms");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(session.isOpen).toBe(false);
    await peer.closedByClient; // the socket itself was closed, not just marked
    // Later requests fail at once instead of waiting out their timeout.
    expect((await outcome(session.request(request, 20_000))).errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
  });

  it("stays open while the peer sends bytes (a large response still streaming), though the request timed out", async () => {
    const peer = await startSilentPeer((socket) => {
      // The length prefix of a 1 MiB response, then a byte every 10 ms: never a whole frame.
      socket.write(new Uint8Array([0, 0x10, 0, 0]));
      const trickle = setInterval(() => socket.write(new Uint8Array([0])), 10);
      socket.on("close", () => clearInterval(trickle));
    });
    const session = await new TcpTransport().open({ host: "127.0.0.1", port: peer.port }, options);
    opened.push({ peer, session });
    const short = outcome(session.request(request, 100));
    let longSettled = false;
    const long = session.request(request, 20_000);
    long.then(
      () => (longSettled = true),
      () => (longSettled = true),
    );

    expect((await short).errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(session.isOpen).toBe(true);
    expect(longSettled).toBe(false);
    session.close();
    expect((await outcome(long)).errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
  });
});
