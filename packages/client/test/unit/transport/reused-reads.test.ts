/**
 * Frames read through one reused read buffer (Node's `onread`, what the
 * client's TCP sessions and the gateway's relay sessions use) come out whole
 * and stay intact after later reads overwrite that buffer: each is copied out
 * once. The peer is a loopback socket that writes response frames
 * (`encodeResponseFrame`, arbitrary bodies) in chosen pieces; it answers no
 * request (test/fixtures/silent-peer.ts).
 */
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connectSocket, FramedSocket, ReusedReads } from "../../../src/node/framed-socket.js";
import { encodeResponseFrame, LENGTH_PREFIX_BYTES } from "../../../src/wire/frame.js";
import { startSilentPeer, type SilentPeer } from "../../fixtures/silent-peer.js";
import { concatBytes } from "../records/seeded.js";

const READ_BUFFER_BYTES = 1024;
const opened: { peer: SilentPeer; wire?: FramedSocket }[] = [];

afterEach(() => {
  for (const { peer, wire } of opened.splice(0)) {
    wire?.destroy();
    peer.close();
  }
});

/** A response frame (length prefix included) whose body has `length` bytes derived from `seed`. */
function frame(seed: number, length: number): Uint8Array {
  const body = new Uint8Array(length);
  for (let i = 0; i < length; i++) body[i] = (seed * 31 + i * 7) & 0xff;
  return encodeResponseFrame({ kind: "success", requestId: seed, body });
}

/** What the framed socket hands out for `frames`: each payload, length prefix stripped. */
const payloadsOf = (frames: Uint8Array[]): Uint8Array[] => frames.map((f) => f.subarray(LENGTH_PREFIX_BYTES));

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
    const small = [frame(1, 10), frame(2, 300), frame(3, 1)];
    const large = frame(4, READ_BUFFER_BYTES * 5 + 17);
    const last = frame(5, 700);
    const { frames, reads } = await receive(5, (socket) => {
      // Three frames in one write, then a large frame and a last one cut at awkward places
      // (inside the large frame's length prefix, inside its body, inside the last prefix).
      socket.write(concatBytes(small));
      const rest = concatBytes([large, last]);
      const cuts = [2, 3 + READ_BUFFER_BYTES, large.length + 2];
      let from = 0;
      const writeNext = (i: number): void => {
        const to = i < cuts.length ? cuts[i]! : rest.length;
        socket.write(rest.subarray(from, to));
        from = to;
        if (to < rest.length) setTimeout(() => writeNext(i + 1), 20);
      };
      setTimeout(() => writeNext(0), 20);
    });

    const expected = payloadsOf([...small, large, last]);
    expect(frames).toEqual(expected);
    // Every frame owns its bytes: none is a view of the read buffer, and wiping that buffer changes nothing.
    for (const f of frames) expect(f.buffer).not.toBe(reads.buffer.buffer);
    reads.buffer.fill(0xee);
    expect(frames).toEqual(expected);
  });

  it("keeps bytes that arrive before the framed socket is attached", async () => {
    const first = frame(6, 50);
    const { frames } = await receive(1, (socket) => socket.write(first), 200);
    expect(frames).toEqual(payloadsOf([first]));
  });
});
