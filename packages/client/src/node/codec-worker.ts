/**
 * A codec worker thread (see `codec-worker-pool.ts`): runs the universal
 * (WebAssembly) ZSTD codec on the buffers it is sent and transfers the
 * results back. It holds no state but the codec.
 */
import { parentPort } from "node:worker_threads";
import { createCodec } from "../wire/records/compression/zstd-codec.js";
import type { CodecJob, CodecJobResult, CodecJobsMessage, CodecReadyMessage, CodecResultsMessage } from "./codec-worker-protocol.js";

const port = parentPort;
if (!port) throw new Error("codec-worker.js runs as a worker thread only");

try {
  const codec = await createCodec();
  port.on("message", ({ jobs, inputs }: CodecJobsMessage) => {
    const results: CodecJobResult[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const job of jobs) {
      try {
        const out = run(job);
        const data = out && ownBuffer(out, inputs);
        if (data) transfer.push(data.buffer as ArrayBuffer);
        results.push({ id: job.id, data });
      } catch (error) {
        results.push({ id: job.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    transfer.push(inputs);
    port.postMessage({ results, inputs } satisfies CodecResultsMessage, transfer);
  });
  port.postMessage({ ready: true } satisfies CodecReadyMessage);

  function run(job: CodecJob): Uint8Array | null {
    return job.op === "compress" ? codec.compress(job.data, job.level) : codec.decompress(job.data, job.uncompressedLength);
  }
} catch (error) {
  port.postMessage({ ready: true, error: error instanceof Error ? error.message : String(error) } satisfies CodecReadyMessage);
}

/**
 * The bytes as a view covering its whole ArrayBuffer, so that transferring
 * the buffer moves exactly these bytes; never the message's input buffer,
 * which goes back to be reused (the codec's outputs normally are whole
 * buffers of their own already; anything else is copied once).
 */
function ownBuffer(bytes: Uint8Array, inputs: ArrayBuffer): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole && bytes.buffer !== inputs ? bytes : new Uint8Array(bytes);
}
