import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

/**
 * A WebSocket peer written by hand on a plain TCP socket, for what the `ws`
 * client will not do: announce one enormous binary frame and stream its
 * payload from a single reused chunk, so that the sender itself holds no
 * memory and any growth would be the gateway's.
 */
export async function sendOversizedFrame(
  port: number,
  declaredBytes: number,
  streamBytes: number,
): Promise<{ closeCode: number | undefined; sentBytes: number }> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => undefined);
  const received: Buffer[] = [];
  let ended = false;
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  socket.on("close", () => {
    ended = true;
  });
  socket.write(
    "GET /fluss HTTP/1.1\r\n" +
      `Host: 127.0.0.1:${port}\r\n` +
      "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n` +
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: fluss-edge.v1\r\n\r\n",
  );
  await waitFor(() => Buffer.concat(received).includes("\r\n\r\n"), 5000);
  const head = Buffer.concat(received).toString("latin1");
  if (!head.startsWith("HTTP/1.1 101")) throw new Error(`upgrade failed: ${head.split("\r\n")[0]}`);
  const headerEnd = Buffer.concat(received).indexOf("\r\n\r\n") + 4;

  // FIN + binary; MASK + 127 → 64-bit length; masking key 0 (the payload is sent as is).
  const frameHead = Buffer.alloc(2 + 8 + 4);
  frameHead[0] = 0x82;
  frameHead[1] = 0x80 | 127;
  frameHead.writeBigUInt64BE(BigInt(declaredBytes), 2);
  await write(socket, frameHead);
  const chunk = Buffer.alloc(64 * 1024);
  let sentBytes = 0;
  while (sentBytes < streamBytes && !ended && !socket.destroyed) {
    try {
      await write(socket, chunk);
    } catch {
      break;
    }
    sentBytes += chunk.length;
  }
  await waitFor(() => ended || closeCodeIn(Buffer.concat(received).subarray(headerEnd)) !== undefined, 10_000);
  const closeCode = closeCodeIn(Buffer.concat(received).subarray(headerEnd));
  socket.destroy();
  return { closeCode, sentBytes };
}

/** The status code of a close frame at the start of `bytes` (server frames are unmasked). */
function closeCodeIn(bytes: Buffer): number | undefined {
  if (bytes.length < 4 || (bytes[0]! & 0x0f) !== 0x08) return undefined;
  return bytes.readUInt16BE(2);
}

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
