/**
 * When codec workers start, and what happens when they cannot: the
 * application's `configureCodecWorkers` (read once, when the first ZSTD
 * table opens), the core-count default, and a worker that never comes up
 * (a bundle without the worker script, a CSP without worker-src), which
 * leaves ZSTD on the JS thread instead of failing the table.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CodecWorkerHandle } from "../../../src/codec-workers/worker-pool.js";
import { ErrorCode } from "../../../src/errors/index.js";
import type { BufferCodec } from "../../../src/wire/records/compression/codec.js";

type Modules = {
  settings: typeof import("../../../src/codec-workers/settings.js");
  pooled: typeof import("../../../src/codec-workers/pooled-zstd.js");
  pool: typeof import("../../../src/codec-workers/worker-pool.js");
};

/** Fresh module instances: the settings are process-wide and read once. */
async function freshModules(): Promise<Modules> {
  vi.resetModules();
  return {
    settings: await import("../../../src/codec-workers/settings.js"),
    pooled: await import("../../../src/codec-workers/pooled-zstd.js"),
    pool: await import("../../../src/codec-workers/worker-pool.js"),
  };
}

const inThread: BufferCodec = { name: "ZSTD", compress: () => null, decompress: (_data, n) => new Uint8Array(n) };

/** A worker host whose worker fails to load, as a 404 or a CSP refusal does in a page. */
function unloadableWorker(terminated: string[]): CodecWorkerHandle {
  const handle: CodecWorkerHandle = {
    onMessage: undefined,
    onFailure: undefined,
    post: () => queueMicrotask(() => handle.onFailure?.(new Error("codec worker failed: its script could not be loaded"))),
    setBusy: () => undefined,
    terminate: async () => {
      terminated.push("unloadable");
    },
  };
  return handle;
}

/** A worker host whose worker comes up (answers its init with "ready"). */
function readyWorker(terminated: string[]): CodecWorkerHandle {
  const handle: CodecWorkerHandle = {
    onMessage: undefined,
    onFailure: undefined,
    post: () => queueMicrotask(() => handle.onMessage?.({ ready: true })),
    setBusy: () => undefined,
    terminate: async () => {
      terminated.push("ready");
    },
  };
  return handle;
}

describe("codec worker settings", () => {
  let modules: Modules;
  beforeEach(async () => {
    modules = await freshModules();
  });

  it("starts one worker per core, at most four, and none on a single core", async () => {
    const sizes: number[] = [];
    const start = async (size: number) => {
      sizes.push(size);
      throw new Error("not starting workers in this test");
    };
    for (const cores of [1, 2, 3, 16]) expect(await modules.pooled.withCodecWorkers(inThread, cores, start)).toBe(inThread);
    expect(sizes).toEqual([2, 3, 4]);
  });

  it("follows configureCodecWorkers until the first codec load, then refuses changes", async () => {
    const sizes: number[] = [];
    const start = async (size: number) => {
      sizes.push(size);
      throw new Error("not starting workers in this test");
    };
    expect(modules.settings.configureCodecWorkers({ size: 1, url: "/assets/fluss-codec-worker.js" })).toBe(true);
    expect(modules.settings.configureCodecWorkers({ size: 3 })).toBe(true);
    await modules.pooled.withCodecWorkers(inThread, 2, start);
    expect(sizes).toEqual([3]);
    expect(modules.settings.codecWorkerSettings()).toEqual({ size: 3, url: "/assets/fluss-codec-worker.js" });
    expect(modules.settings.configureCodecWorkers({ size: 0 })).toBe(false);
    expect(modules.settings.codecWorkerSettings().size).toBe(3);
  });

  it("keeps ZSTD on the JS thread with size 0, and rejects sizes that are not counts", async () => {
    for (const size of [-1, 1.5, Number.NaN]) {
      expect(() => modules.settings.configureCodecWorkers({ size }), String(size)).toThrow(
        expect.objectContaining({ errorCode: ErrorCode.CLIENT_ERROR, message: expect.stringMatching(/non-negative integer/) }),
      );
    }
    modules.settings.configureCodecWorkers({ size: 0 });
    const start = vi.fn(async () => {
      throw new Error("must not be called");
    });
    expect(await modules.pooled.withCodecWorkers(inThread, 8, start)).toBe(inThread);
    expect(start).not.toHaveBeenCalled();
  });

  it("falls back to the JS thread when a worker cannot load, after stopping the ones that did", async () => {
    const terminated: string[] = [];
    const { CodecWorkerPool } = modules.pool;
    let spawned = 0;
    const oneOfTwoLoads = () => (spawned++ % 2 === 0 ? readyWorker(terminated) : unloadableWorker(terminated));
    await expect(CodecWorkerPool.start(oneOfTwoLoads, { size: 2, sharedInbox: false })).rejects.toThrow(/could not be loaded/);
    expect(terminated).toEqual(["ready"]);
    const codec = await modules.pooled.withCodecWorkers(inThread, 2, (size) =>
      CodecWorkerPool.start(() => unloadableWorker(terminated), { size, sharedInbox: false }),
    );
    expect(codec).toBe(inThread);
  });
});
