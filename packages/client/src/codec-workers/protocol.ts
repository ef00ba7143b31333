/**
 * Messages between the codec worker pool (`worker-pool.ts`, on the JS
 * thread) and a codec worker (`serve-codec-jobs.ts`, in a Node worker thread
 * or a Web Worker). The same messages travel both ways in every runtime.
 *
 * A worker starts with {@link CodecWorkerInit}, loads its codec and warms up
 * its decoder; its encoder only with {@link CodecPrepareMessage} or its
 * first compress job.
 * Where the runtime shares memory (Node; a cross-origin isolated page), the
 * init carries an inbox, a
 * SharedArrayBuffer into which the pool copies each job's input, and a job
 * names its range. Elsewhere (an ordinary web page, where SharedArrayBuffer
 * does not exist) each job carries its input as a copy of its own, moved to
 * the worker without a second copy. One message carries the jobs the pool
 * queued for that worker within one tick, up to about MESSAGE_INPUT_BYTES of
 * input (worker-pool.ts), and the worker answers each message as a whole:
 * a batch costs about one round trip, not one per buffer.
 */

interface JobInput {
  id: number;
  /** The input's range in the inbox (`offset` is 0 when the input travels in `input`). */
  offset: number;
  length: number;
  /** The input itself, when the worker has no inbox. */
  input?: Uint8Array;
}

/**
 * A compress job is one buffer. A decompress job is every compressed buffer
 * of one Arrow body: `parts` holds one triple per buffer, [start, length,
 * uncompressed length], relative to the job's input, so a batch costs one
 * input copy, one job and one promise however many buffers it has.
 */
export type CodecJob =
  | (JobInput & { op: "compress"; level: number })
  | (JobInput & { op: "decompress"; parts: number[] });

/**
 * A job's outcome, or an error message: a compress job's output (null: the
 * codec cannot compress here); a decompress job's outputs, one per part.
 */
export type CodecJobResult =
  | { id: number; data: Uint8Array | null }
  | { id: number; outputs: Uint8Array[] }
  | { id: number; error: string };

/** The first message a worker gets. */
export interface CodecWorkerInit {
  init: {
    inbox?: SharedArrayBuffer;
    /** The ZSTD WebAssembly module the pool's thread compiled: the worker instantiates it instead of compiling its own. */
    zstdModule?: WebAssembly.Module;
  };
}

export interface CodecJobsMessage {
  jobs: CodecJob[];
}

/**
 * Warm the encoder up now (a writer is about to compress), rather than with
 * the first compress job; answered with {@link CodecPreparedMessage}. A
 * worker starts with a warm decoder only.
 */
export interface CodecPrepareMessage {
  prepare: "compression";
}

export type CodecWorkerRequest = CodecWorkerInit | CodecJobsMessage | CodecPrepareMessage;

/** The results of one message's jobs, in their order; the jobs' inbox ranges are free again. */
export interface CodecResultsMessage {
  results: CodecJobResult[];
}

/** Sent once by a worker when its codec is ready (or could not load). */
export interface CodecReadyMessage {
  ready: true;
  error?: string;
}

/** The answer to {@link CodecPrepareMessage}: the encoder is loaded (or could not be: its compress jobs then return null). */
export interface CodecPreparedMessage {
  prepared: "compression";
}

export type CodecWorkerReply = CodecReadyMessage | CodecResultsMessage | CodecPreparedMessage;
