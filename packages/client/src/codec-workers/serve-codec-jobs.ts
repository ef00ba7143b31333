/**
 * The inside of a codec worker, whatever hosts it (a Node worker thread:
 * node/codec-worker.ts; a Web Worker: web/fluss-codec-worker.ts): it loads
 * the universal (WebAssembly) ZSTD decoder when the pool says so, warms it
 * up, runs the jobs it is sent and moves the results back. The encoder (in
 * the same WebAssembly module) is warmed up only when the pool asks for it
 * (a writer was created) or with the first compress job. It holds no state
 * but the codec and the inbox.
 */
import { warmUpDecoder, warmUpEncoder } from "../wire/records/compression/codec-warm-up.js";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import { createCodec } from "../wire/records/compression/zstd-codec.js";
import type { CodecJob, CodecJobResult, CodecJobsMessage, CodecPrepareMessage, CodecWorkerReply, CodecWorkerRequest } from "./protocol.js";

/** The worker's end of its channel to the pool. */
export interface CodecWorkerPort {
  post(message: CodecWorkerReply, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: CodecWorkerRequest) => void): void;
}

/**
 * `adapt` may put a faster codec of the host runtime in front of the
 * WebAssembly one (which is warmed up first either way): Node's own zstd
 * for large decompressions, see node/native-zstd-codec.ts.
 */
export function serveCodecJobs(port: CodecWorkerPort, adapt?: (universal: BufferCodec) => BufferCodec): void {
  let codec: BufferCodec | undefined;
  let inbox: Uint8Array | undefined;
  let encoderWarm = false;

  port.onMessage((message) => {
    if ("init" in message) {
      inbox = message.init.inbox && new Uint8Array(message.init.inbox);
      void start(message.init.zstdModule);
      return;
    }
    // The pool sends nothing before "ready", so the codec is there; the warm-up runs before the
    // message it came with is handled, which keeps answers in order.
    if (codec && !encoderWarm && ("prepare" in message || message.jobs.some((job) => job.op === "compress"))) {
      encoderWarm = true;
      try {
        warmUpEncoder(codec);
      } catch {
        // A codec that cannot compress: its compress jobs return null (stored uncompressed).
      }
    }
    handle(message);
  });

  function handle(message: CodecJobsMessage | CodecPrepareMessage): void {
    if ("prepare" in message) {
      port.post({ prepared: "compression" }, []);
      return;
    }
    const results: CodecJobResult[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const job of message.jobs) {
      try {
        if (!codec) throw new Error("the codec worker got a job before it was ready");
        const input = inputOf(job);
        if (job.op === "compress") {
          const out = codec.compress(input, job.level);
          const data = out && ownBuffer(out);
          if (data) transfer.push(data.buffer as ArrayBuffer);
          results.push({ id: job.id, data });
        } else {
          const outputs = decompressParts(codec, input, job.parts);
          for (const output of outputs) transfer.push(output.buffer as ArrayBuffer);
          results.push({ id: job.id, outputs });
        }
      } catch (error) {
        results.push({ id: job.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    port.post({ results }, transfer);
  }

  async function start(zstdModule: WebAssembly.Module | undefined): Promise<void> {
    try {
      const loaded = await createCodec(zstdModule);
      // Before "ready": the pool counts as started once its decoder has warmed up.
      warmUpDecoder(loaded);
      codec = adapt ? adapt(loaded) : loaded;
      port.post({ ready: true }, []);
    } catch (error) {
      port.post({ ready: true, error: error instanceof Error ? error.message : String(error) }, []);
    }
  }

  function inputOf(job: CodecJob): Uint8Array {
    if (job.input) return job.input;
    if (!inbox) throw new Error("the codec worker has no inbox");
    return inbox.subarray(job.offset, job.offset + job.length);
  }
}

/** Each part of `input` decompressed, as buffers of their own (each moves back on its own). */
function decompressParts(codec: BufferCodec, input: Uint8Array, parts: readonly number[]): Uint8Array[] {
  if (parts.length % 3 !== 0) throw new Error("malformed decompress job");
  const outputs: Uint8Array[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    const start = parts[i]!;
    const end = start + parts[i + 1]!;
    if (!(start >= 0 && end <= input.length)) throw new Error("a compressed buffer runs past its job's input");
    outputs.push(ownBuffer(codec.decompress(input.subarray(start, end), parts[i + 2]!)));
  }
  return outputs;
}

/**
 * The bytes as a view covering its whole ArrayBuffer, so that transferring
 * the buffer moves exactly these bytes; never a view of the shared inbox or
 * of the job's input (the codec's outputs normally are whole buffers of
 * their own already; anything else is copied once).
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : new Uint8Array(bytes);
}
