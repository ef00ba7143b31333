/**
 * Messages between the main thread and a codec worker (`codec-worker.ts`).
 * One message carries every job the main thread queued within one tick, so a
 * whole batch (all its buffers) costs one round trip, not one per buffer.
 */

export type CodecJob =
  | { id: number; op: "compress"; data: Uint8Array; level: number }
  | { id: number; op: "decompress"; data: Uint8Array; uncompressedLength: number };

/** A job's outcome: the output bytes (null: the codec cannot compress here), or an error message. */
export type CodecJobResult = { id: number; data: Uint8Array | null } | { id: number; error: string };

export interface CodecJobsMessage {
  /** Their `data` are views into `inputs`, one buffer holding every input of the message. */
  jobs: CodecJob[];
  inputs: ArrayBuffer;
}

export interface CodecResultsMessage {
  results: CodecJobResult[];
  /** The message's input buffer, handed back for reuse once the jobs are done. */
  inputs: ArrayBuffer;
}

/** Sent once by a worker when its codec is ready (or could not load). */
export interface CodecReadyMessage {
  ready: true;
  error?: string;
}
