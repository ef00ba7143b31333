import { FlussError } from "../errors/index.js";

/**
 * What an application may say about codec workers: how many, and (in
 * browsers) where the worker script is. Read once, when the first ZSTD table
 * is opened.
 */
export interface CodecWorkerSettings {
  /**
   * Codec workers to start (at most 4). 0 keeps ZSTD on the JS thread.
   * Default: one per core (`navigator.hardwareConcurrency` /
   * `os.availableParallelism()`), none on a single core.
   */
  size?: number;
  /**
   * Browsers: the URL of the worker script, `@fluss-edge/client/codec-worker`
   * (dist/web/fluss-codec-worker.js) as the application serves it. Default:
   * `fluss-codec-worker.js` next to the client's own module, which Vite
   * bundles by itself (as bundlers that follow `new Worker(new URL(…,
   * import.meta.url))` do); with one that does not (esbuild), copy the file
   * there or give this URL. If the script cannot be loaded, ZSTD stays on
   * the JS thread.
   */
  url?: string | URL;
}

let settings: Readonly<CodecWorkerSettings> = {};
let read = false;

/**
 * Sets how ZSTD batches are (de)compressed off the JS thread. Call it before
 * the first table with ZSTD compression (Fluss's default) is opened; later
 * calls have no effect and say so by returning false. A size that is not a
 * count is a FlussError CLIENT_ERROR.
 */
export function configureCodecWorkers(options: CodecWorkerSettings): boolean {
  if (read) return false;
  if (options.size !== undefined && !(Number.isInteger(options.size) && options.size >= 0)) {
    throw FlussError.client(`codec worker count must be a non-negative integer, got ${String(options.size)}`);
  }
  settings = { ...settings, ...options };
  return true;
}

/** The settings, as the codec loader sees them (once read, they no longer change). */
export function codecWorkerSettings(): Readonly<CodecWorkerSettings> {
  read = true;
  return settings;
}
