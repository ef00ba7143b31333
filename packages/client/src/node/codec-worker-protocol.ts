/**
 * Messages between the main thread and a codec worker (`codec-worker.ts`).
 * Each worker has an inbox, a SharedArrayBuffer it gets at start
 * ({@link CodecWorkerData}); the main thread copies a job's input into it
 * and the job names the range. One message carries every job the main
 * thread queued for that worker within one tick, so a whole batch (all its
 * buffers) costs one round trip, not one per buffer.
 */

export type CodecJob =
  | { id: number; op: "compress"; offset: number; length: number; level: number }
  | { id: number; op: "decompress"; offset: number; length: number; uncompressedLength: number };

/** A job's outcome: the output bytes (null: the codec cannot compress here), or an error message. */
export type CodecJobResult = { id: number; data: Uint8Array | null } | { id: number; error: string };

/** What a worker is started with. */
export interface CodecWorkerData {
  inbox: SharedArrayBuffer;
}

export interface CodecJobsMessage {
  jobs: CodecJob[];
}

/** The results of one message's jobs, in their order; the jobs' inbox ranges are free again. */
export interface CodecResultsMessage {
  results: CodecJobResult[];
}

/** Sent once by a worker when its codec is ready (or could not load). */
export interface CodecReadyMessage {
  ready: true;
  error?: string;
}
