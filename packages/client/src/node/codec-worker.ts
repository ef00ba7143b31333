/**
 * A codec worker thread (see `codec-worker-pool.ts`): runs the universal
 * (WebAssembly) ZSTD codec on the inputs the main thread placed in its
 * inbox and transfers the results back. It holds no state but the codec.
 */
import { parentPort, workerData } from "node:worker_threads";
import { warmUpCodec } from "../wire/records/compression/codec-warm-up.js";
import { createCodec } from "../wire/records/compression/zstd-codec.js";
import type { CodecJob, CodecJobResult, CodecJobsMessage, CodecReadyMessage, CodecResultsMessage, CodecWorkerData } from "./codec-worker-protocol.js";

const port = parentPort;
if (!port) throw new Error("codec-worker.js runs as a worker thread only");

try {
  const inbox = new Uint8Array((workerData as CodecWorkerData).inbox);
  const codec = await createCodec();
  // Before "ready": the pool counts as started only once its codecs run at full speed.
  warmUpCodec(codec);
  port.on("message", ({ jobs }: CodecJobsMessage) => {
    const results: CodecJobResult[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const job of jobs) {
      try {
        const out = run(job, inbox.subarray(job.offset, job.offset + job.length));
        const data = out && ownBuffer(out);
        if (data) transfer.push(data.buffer as ArrayBuffer);
        results.push({ id: job.id, data });
      } catch (error) {
        results.push({ id: job.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    port.postMessage({ results } satisfies CodecResultsMessage, transfer);
  });
  port.postMessage({ ready: true } satisfies CodecReadyMessage);

  function run(job: CodecJob, data: Uint8Array): Uint8Array | null {
    return job.op === "compress" ? codec.compress(data, job.level) : codec.decompress(data, job.uncompressedLength);
  }
} catch (error) {
  port.postMessage({ ready: true, error: error instanceof Error ? error.message : String(error) } satisfies CodecReadyMessage);
}

/**
 * The bytes as a view covering its whole ArrayBuffer, so that transferring
 * the buffer moves exactly these bytes; never a view of the shared inbox
 * (the codec's outputs normally are whole buffers of their own already;
 * anything else is copied once).
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : new Uint8Array(bytes);
}
