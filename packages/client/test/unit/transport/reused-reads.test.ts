/**
 * Frames read through one reused read buffer (Node's `onread`, what the
 * client's TCP sessions and the gateway's relay sessions use) come out whole
 * and stay intact after later reads overwrite that buffer: each is copied out
 * once. The peer is a loopback socket that writes length-prefixed opaque
 * payloads in chosen pieces; it speaks no Fluss (test/fixtures/silent-peer.ts).
 */
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connectSocket, FramedSocket, ReusedReads } from "../../../src/node/framed-socket.js";
import { startSilentPeer, type SilentPeer } from "../../fixtures/silent-peer.js";

const READ_BUFFER_BYTES = 1024;
const opened: { peer: SilentPeer; wire?: FramedSocket }[] = [];

afterEach(() => {
  for (const { peer, wire } of opened.splice(0)) {
    wire?.destroy();
    peer.close();
  }
});

/** A payload of `length` bytes, every byte derived from `seed` (the first byte is never 2, a server failure). */
function payload(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed * 31 + i * 7) & 0xff;
  bytes[0] = 0;
  return bytes;
}

function framed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setInt32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/**
 * Connects a framed socket with reused reads to a peer that runs `write` once connected (the
 * framed socket is attached `attachAfterMs` after the connection); resolves with the first
 * `count` payloads.
 */
async function receive(count: number, write: (socket: Socket) => void, attachAfterMs = 0): Promise<{ frames: Uint8Array[]; reads: ReusedReads }> {
  const peer = await startSilentPeer(write);
  const entry: { peer: SilentPeer; wire?: FramedSocket } = { peer };
  opened.push(entry);
  const reads = new ReusedReads(READ_BUFFER_BYTES);
  const socket = await connectSocket({ host: "127.0.0.1", port: peer.port }, 2000, reads);
  if (attachAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, attachAfterMs));
  const frames: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) => {
    entry.wire = new FramedSocket(
      socket,
      { address: `127.0.0.1:${peer.port}`, maxFrameBytes: 1 << 20, reads },
      {
        onFrame: (frame) => {
          frames.push(frame);
          if (frames.length === count) resolve();
        },
        onFailure: (error) => reject(error),
      },
    );
  });
  return { frames, reads };
}

describe("FramedSocket with reused reads", () => {
  it("hands out frames that later reads do not overwrite: small ones sharing a read, one larger than the read buffer, a split length prefix", async () => {
    const small = [payload(1, 10), payload(2, 300), payload(3, 1)];
    const large = payload(4, READ_BUFFER_BYTES * 5 + 17);
    const last = payload(5, 700);
    const { frames, reads } = await receive(5, (socket) => {
      // Three frames in one write, then a large frame and a last one cut at awkward places
      // (inside the large frame's length prefix, inside its body, inside the last prefix).
      socket.write(Buffer.concat(small.map(framed)));
      const rest = Buffer.concat([framed(large), framed(last)]);
      const cuts = [2, 3 + READ_BUFFER_BYTES, 4 + large.length + 2];
      let from = 0;
      const writeNext = (i: number): void => {
        const to = i < cuts.length ? cuts[i]! : rest.length;
        socket.write(rest.subarray(from, to));
        from = to;
        if (to < rest.length) setTimeout(() => writeNext(i + 1), 20);
      };
      setTimeout(() => writeNext(0), 20);
    });

    expect(frames).toEqual([...small, large, last]);
    // Every frame owns its bytes: none is a view of the read buffer, and wiping that buffer changes nothing.
    for (const frame of frames) expect(frame.buffer).not.toBe(reads.buffer.buffer);
    reads.buffer.fill(0xee);
    expect(frames).toEqual([...small, large, last]);
  });

  it("keeps bytes that arrive before the framed socket is attached", async () => {
    const first = payload(6, 50);
    const { frames } = await receive(1, (socket) => socket.write(framed(first)), 200);
    expect(frames).toEqual([first]);
  });
});
