/**
 * The codec worker pool, on Node's worker threads, in both of its ways of
 * passing inputs: shared inboxes (Node, cross-origin isolated pages) and one
 * moved copy per input (ordinary pages, which have no SharedArrayBuffer; the
 * browser suite runs the same pool on Web Workers). Its results equal the
 * in-thread codec's, whatever the sizes, the interleaving of calls and the
 * kind of input view; it never detaches the caller's bytes; and a dead
 * worker turns into a fallback to the JS thread, not a hang or a failed batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CodecWorkerHandle,
  CodecPoolUnavailable,
  CodecWorkerPool,
  INBOX_BYTES,
  MESSAGE_INPUT_BYTES,
  POOL_MIN_BYTES,
  pooledCodec,
} from "../../../src/codec-workers/worker-pool.js";
import type { CodecJobsMessage, CodecResultsMessage } from "../../../src/codec-workers/protocol.js";
import { spawnNodeCodecWorker } from "../../../src/node/codec-worker-host.js";
import { NATIVE_MIN_BYTES } from "../../../src/node/native-zstd-codec.js";
import type { BufferCodec } from "../../../src/wire/records/compression/codec.js";
import { createCodec as createWasmCodec } from "../../../src/wire/records/compression/zstd-codec.js";
import { compileZstdWasm } from "../../../src/wire/records/compression/zstd-wasm.js";
import { sameBytes, seededBytes, seededRandom } from "./seeded.js";
import { decompressOne } from "./decompress-one.js";

let local: BufferCodec;

beforeAll(async () => {
  local = await createWasmCodec();
});

/** Compressible bytes: runs of a few values with some noise. */
function columnLike(rnd: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() < 0.1 ? Math.floor(rnd() * 256) : i & 15;
  return out;
}

describe.each([
  { inputs: "shared inboxes", sharedInbox: true },
  { inputs: "moved copies", sharedInbox: false },
])("codec worker pool with $inputs", ({ sharedInbox }) => {
  const startPool = (size: number) => CodecWorkerPool.start(spawnNodeCodecWorker, { size, sharedInbox });
  let pool: CodecWorkerPool;
  beforeAll(async () => {
    pool = await startPool(2);
  });
  afterAll(async () => {
    await pool.close();
  });

  it("compresses and decompresses like the in-thread codec, for calls queued in one tick and across ticks", async () => {
    expect(pool.size).toBe(2);
    const rnd = seededRandom(11);
    const inputs = Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? seededBytes(rnd, 1 + Math.floor(rnd() * 300_000)) : columnLike(rnd, 1 + Math.floor(rnd() ** 2 * 300_000))));
    const frames = inputs.map((data) => local.compress(data, 3)!);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < inputs.length; i++) {
      pending.push(decompressOne(pool, frames[i]!, inputs[i]!.length).then((out) => expect(sameBytes(out, inputs[i]!), `decompress ${i}`).toBe(true)));
      pending.push(
        pool.compress(inputs[i]!, 3).then((frame) => expect(sameBytes(local.decompress(frame!, inputs[i]!.length), inputs[i]!), `compress ${i}`).toBe(true)),
      );
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve)); // spread over several ticks (several messages in flight)
    }
    await Promise.all(pending);
  });

  it("decompresses every compressed part of one input in one job, whatever lies between the parts", async () => {
    const rnd = seededRandom(17);
    const datas = [columnLike(rnd, 90_000), Uint8Array.of(42), seededBytes(rnd, 30_000), columnLike(rnd, 5_000)];
    const frames = datas.map((data) => local.compress(data, 3)!);
    // An Arrow body: compressed buffers with length prefixes and uncompressed buffers in between.
    const parts: { offset: number; length: number; uncompressedLength: number }[] = [];
    const chunks: Uint8Array[] = [];
    let at = 0;
    frames.forEach((frame, i) => {
      const gap = seededBytes(rnd, 8 + i * 13);
      chunks.push(gap, frame);
      parts.push({ offset: at + gap.length, length: frame.length, uncompressedLength: datas[i]!.length });
      at += gap.length + frame.length;
    });
    const input = new Uint8Array(at);
    let pos = 0;
    for (const chunk of chunks) {
      input.set(chunk, pos);
      pos += chunk.length;
    }
    const before = input.slice();
    const outputs = await pool.decompressParts(input, parts);
    expect(outputs).toHaveLength(datas.length);
    outputs.forEach((out, i) => {
      expect(sameBytes(out, datas[i]!), `part ${i}`).toBe(true);
      // Each output is a buffer of its own, moved back whole.
      expect(out.byteOffset === 0 && out.byteLength === out.buffer.byteLength).toBe(true);
    });
    expect(new Set(outputs.map((out) => out.buffer)).size).toBe(outputs.length);
    expect(sameBytes(input, before)).toBe(true);
    // The pooled codec takes the same parts (what decodeArrowRecordBatch hands it).
    const viaCodec = await pooledCodec(local, pool).decompressPartsAsync!(input, parts);
    viaCodec.forEach((out, i) => expect(sameBytes(out, datas[i]!), `codec part ${i}`).toBe(true));
  });

  it("fails a job whose part is malformed or runs past its input, and only that job", async () => {
    const data = columnLike(seededRandom(19), 50_000);
    const frame = local.compress(data, 3)!;
    const good = { offset: 0, length: frame.length, uncompressedLength: data.length };
    const [pastTheEnd, wrongLength, fine] = await Promise.allSettled([
      pool.decompressParts(frame, [good, { offset: 10, length: frame.length, uncompressedLength: data.length }]),
      pool.decompressParts(frame, [good, { ...good, uncompressedLength: data.length - 1 }]),
      pool.decompressParts(frame, [good, good]),
    ]);
    expect(pastTheEnd.status === "rejected" && String(pastTheEnd.reason)).toMatch(/runs past/);
    expect(wrongLength.status).toBe("rejected");
    expect(fine.status === "fulfilled" && fine.value.every((out) => sameBytes(out, data))).toBe(true);
    expect(pool.healthy).toBe(true);
  });

  it("leaves the caller's bytes intact, also when they are a view into a larger Node Buffer (socket chunks are)", async () => {
    const rnd = seededRandom(5);
    const data = columnLike(rnd, 200_000);
    const frame = local.compress(data, 3)!;
    // A frame inside a bigger chunk, as the frame decoder hands out: Buffer#slice would be a view of it.
    const chunk = Buffer.alloc(frame.length + 64, 0xab);
    chunk.set(frame, 32);
    const view = chunk.subarray(32, 32 + frame.length);
    const out = await decompressOne(pool, view, data.length);
    expect(sameBytes(out, data)).toBe(true);
    expect(chunk.buffer.byteLength).toBeGreaterThan(0); // not detached
    expect(sameBytes(chunk.subarray(32, 32 + frame.length), frame)).toBe(true);
    expect(chunk[0]).toBe(0xab);
    const input = Buffer.from(data);
    await pool.compress(input.subarray(10), 3);
    expect(input.buffer.byteLength).toBeGreaterThan(0);
    expect(sameBytes(input, data)).toBe(true);
  });

  it("holds back a burst larger than the inboxes until they have room, then finishes every job in order", async () => {
    const own = await startPool(1);
    try {
      const rnd = seededRandom(31);
      // ~3× one inbox, all queued in one tick: most jobs wait on the main thread for ranges to come back.
      const inputs = Array.from({ length: 48 }, () => columnLike(rnd, Math.floor(INBOX_BYTES / 16) + Math.floor(rnd() * 4096)));
      const frames = inputs.map((data) => local.compress(data, 3)!);
      const settled: number[] = [];
      const outs = await Promise.all(
        inputs.map((data, i) =>
          decompressOne(own, frames[i]!, data.length).then((out) => {
            settled.push(i);
            return out;
          }),
        ),
      );
      outs.forEach((out, i) => expect(sameBytes(out, inputs[i]!), `decompressed ${i}`).toBe(true));
      const encoded = await Promise.all(inputs.map((data) => own.compress(data, 3)));
      encoded.forEach((frame, i) => expect(sameBytes(local.decompress(frame!, inputs[i]!.length), inputs[i]!), `compressed ${i}`).toBe(true));
      // One worker answers its messages in order, and waiting jobs go out oldest first.
      expect(settled).toEqual(inputs.map((_, i) => i));
    } finally {
      await own.close();
    }
  });

  it("leaves inputs larger than an inbox to the JS thread", async () => {
    const big = columnLike(seededRandom(41), INBOX_BYTES + 8);
    await expect(pool.compress(big, 3)).rejects.toBeInstanceOf(CodecPoolUnavailable);
    const codec = pooledCodec(local, pool);
    const frame = (await codec.compressAsync!(big, 3))!;
    expect(sameBytes(await decompressOne(codec, frame, big.length), big)).toBe(true);
    expect(pool.healthy).toBe(true);
  });

  it("keeps earlier results intact while later messages reuse the inbox", async () => {
    const rnd = seededRandom(21);
    const inputs = Array.from({ length: 40 }, () => columnLike(rnd, 20_000 + Math.floor(rnd() * 200_000)));
    const frames = inputs.map((data) => local.compress(data, 3)!);
    const outputs: Uint8Array[] = [];
    // One call per tick: each its own message, so the input buffers go round and are reused.
    for (let i = 0; i < inputs.length; i++) outputs.push(await decompressOne(pool, frames[i]!, inputs[i]!.length));
    const compressed: Uint8Array[] = [];
    for (const data of inputs) compressed.push((await pool.compress(data, 3))!);
    for (let i = 0; i < inputs.length; i++) {
      expect(sameBytes(outputs[i]!, inputs[i]!), `decompressed ${i}`).toBe(true);
      expect(sameBytes(local.decompress(compressed[i]!, inputs[i]!.length), inputs[i]!), `compressed ${i}`).toBe(true);
    }
  });

  it("leaves an empty input (a malformed batch's) to the JS thread at once instead of queueing it forever", async () => {
    const codec = pooledCodec(local, pool);
    await expect(decompressOne(pool, new Uint8Array(0), 8192)).rejects.toBeInstanceOf(CodecPoolUnavailable);
    await expect(decompressOne(codec, new Uint8Array(0), 8192)).rejects.toThrow();
    expect(pool.healthy).toBe(true);
  });

  it("reports malformed frames and wrong lengths as errors of that call only", async () => {
    const data = columnLike(seededRandom(3), 100_000);
    const frame = local.compress(data, 3)!;
    const garbage = seededBytes(seededRandom(4), 10_000);
    const [bad, wrongLength, good] = await Promise.allSettled([
      decompressOne(pool, garbage, 50_000),
      decompressOne(pool, frame, data.length + 1),
      decompressOne(pool, frame, data.length),
    ]);
    expect(bad.status).toBe("rejected");
    expect(wrongLength.status).toBe("rejected");
    expect(good.status === "fulfilled" && sameBytes(good.value, data)).toBe(true);
    expect(pool.healthy).toBe(true);
  });

  it("finishes the jobs of a worker that dies mid-flight on the JS thread, and still reports bad data", async () => {
    const own = await startPool(1);
    const codec = pooledCodec(local, own);
    const rnd = seededRandom(12);
    // Below NATIVE_MIN_BYTES: on Node ≥ 22.15 the worker decodes larger buffers with node:zlib, and
    // Node 22.23 aborts the whole process when a worker is terminated inside zstdDecompressSync
    // ("close before init" in node_zlib.cc, seen once in CI). The client terminates a worker only
    // after it answered nothing for the stall timeout (30 s), or while starting up.
    const inputs = Array.from({ length: 6 }, () => columnLike(rnd, NATIVE_MIN_BYTES - 1024));
    const frames = inputs.map((data) => local.compress(data, 3)!);
    // Sent to the worker in this tick's message (posted by a microtask queued before ours); the
    // worker is terminated before it answers.
    const decoded = inputs.map((data, i) => decompressOne(codec, frames[i]!, data.length));
    const encoded = inputs.map((data) => codec.compressAsync!(data, 3));
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    const closing = own.close();
    const outs = await Promise.all(decoded);
    const frames2 = await Promise.all(encoded);
    await closing;
    inputs.forEach((data, i) => {
      expect(sameBytes(outs[i]!, data), `decompressed ${i}`).toBe(true);
      expect(sameBytes(local.decompress(frames2[i]!, data.length), data), `compressed ${i}`).toBe(true);
    });
    await expect(decompressOne(codec, seededBytes(rnd, 20_000), 50_000)).rejects.toThrow();
  });

  it("loads a worker's encoder with its first compress job, and answers the messages sent meanwhile in order", async () => {
    const own = await startPool(1); // a fresh worker: decoder only
    const rnd = seededRandom(31);
    const big = columnLike(rnd, POOL_MIN_BYTES * 16);
    const frame = local.compress(big, 3)!;
    const compressed = own.compress(big, 3);
    await new Promise((resolve) => setImmediate(resolve)); // the next job travels in a message of its own
    const decoded = decompressOne(own, frame, big.length);
    expect(sameBytes(local.decompress((await compressed)!, big.length), big)).toBe(true);
    expect(sameBytes(await decoded, big)).toBe(true);
    // The inbox bookkeeping followed the answers' order: more work still fits and succeeds.
    for (let i = 0; i < 3; i++) expect(sameBytes(await decompressOne(own, frame, big.length), big)).toBe(true);
    await own.close();
  });

  it("loads every worker's encoder once when asked, before any compress job", async () => {
    const own = await startPool(2);
    const preparing = own.prepareCompression();
    expect(own.prepareCompression()).toBe(preparing);
    await preparing;
    const data = columnLike(seededRandom(32), POOL_MIN_BYTES * 4);
    expect(sameBytes(local.decompress((await own.compress(data, 3))!, data.length), data)).toBe(true);
    await own.close();
  });

  it("falls back to the JS thread once the pool is gone", async () => {
    const own = await startPool(1);
    const codec = pooledCodec(local, own);
    const small = columnLike(seededRandom(8), POOL_MIN_BYTES - 1);
    const big = columnLike(seededRandom(9), POOL_MIN_BYTES * 8);
    expect(sameBytes(local.decompress((await codec.compressAsync!(big, 3))!, big.length), big)).toBe(true);
    await own.close();
    expect(own.healthy).toBe(false);
    await expect(decompressOne(own, local.compress(big, 3)!, big.length)).rejects.toThrow(/closed/);
    expect(codec.compressAsync).toBeDefined();
    // The codec does not hang or fail: it works on the JS thread from now on.
    const frame = (await codec.compressAsync!(big, 3))!;
    expect(sameBytes(await decompressOne(codec, frame, big.length), big)).toBe(true);
    expect(sameBytes(await decompressOne(codec, local.compress(small, 3)!, small.length), small)).toBe(true);
  });
});

/**
 * A stand-in worker for the pool's own bookkeeping: it comes up at once and
 * hands every job message to `onJobs`, which answers (or not) through
 * `reply`. Terminating it only counts.
 */
function scriptedWorker(
  onJobs: (jobs: CodecJobsMessage, reply: (message: CodecResultsMessage) => void) => void,
  log: { terminated: number } = { terminated: 0 },
): CodecWorkerHandle {
  const handle: CodecWorkerHandle = {
    onMessage: undefined,
    onFailure: undefined,
    post: (message) => {
      if ("init" in message) queueMicrotask(() => handle.onMessage?.({ ready: true }));
      else if ("prepare" in message) queueMicrotask(() => handle.onMessage?.({ prepared: "compression" }));
      else onJobs(message, (reply) => handle.onMessage?.(reply));
    },
    setBusy: () => {},
    terminate: async () => {
      log.terminated++;
    },
  };
  return handle;
}

/**
 * A worker that comes up and then never answers a job (what a runtime bug or
 * a suspended thread looks like from the pool). Nothing hangs: after the stall
 * timeout the pool gives up on it and the calls run on the JS thread.
 */
describe("codec worker pool with a worker that stops answering", () => {
  it("gives up on it after the stall timeout and finishes the calls on the JS thread", async () => {
    const log = { terminated: 0, jobMessages: 0 };
    const pool = await CodecWorkerPool.start(() => scriptedWorker(() => log.jobMessages++, log), { size: 1, sharedInbox: true, stallTimeoutMs: 300 });
    const codec = pooledCodec(local, pool);
    const data = columnLike(seededRandom(21), POOL_MIN_BYTES * 4);
    const frame = local.compress(data, 3)!;
    const started = Date.now();
    const [decoded, encoded] = await Promise.all([decompressOne(codec, frame, data.length), codec.compressAsync!(data, 3)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(log.jobMessages).toBe(1);
    expect(sameBytes(decoded, data)).toBe(true);
    expect(sameBytes(local.decompress(encoded!, data.length), data)).toBe(true);
    expect(pool.healthy).toBe(false);
    expect(log.terminated).toBe(1);
    await expect(pool.compress(data, 3)).rejects.toThrow(/answered nothing for 300 ms/);
    await pool.close();
  });

  it("keeps a worker that answers slowly but steadily: each answer restarts the clock", async () => {
    // Each message is answered 200 ms after the previous answer (the stall timeout is 300 ms):
    // four messages in flight take 800 ms in all, yet no wait for an answer exceeds the timeout.
    let lastAnswerAt = 0;
    const slow = scriptedWorker((message, reply) => {
      const ids = message.jobs.map((job) => job.id);
      lastAnswerAt = Math.max(lastAnswerAt, Date.now()) + 200;
      setTimeout(() => reply({ results: ids.map((id) => ({ id, error: "slow on purpose" })) }), lastAnswerAt - Date.now());
    });
    const pool = await CodecWorkerPool.start(() => slow, { size: 1, sharedInbox: false, stallTimeoutMs: 300 });
    const data = new Uint8Array(POOL_MIN_BYTES);
    const outcomes: Promise<unknown>[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(pool.compress(data, 3).catch((error: Error) => error.message));
      await new Promise((resolve) => setImmediate(resolve)); // one message each
    }
    expect(await Promise.all(outcomes)).toEqual(Array(4).fill("slow on purpose"));
    expect(pool.healthy).toBe(true);
    await pool.close();
  });
});

/**
 * A burst of jobs queued in one tick (a fetch round's dozens of batches)
 * leaves in several messages of about MESSAGE_INPUT_BYTES each: a worker
 * answers per message, so the first batches come back while it works on the
 * rest instead of all at once at the end.
 */
describe("codec worker pool messages", () => {
  it("sends only the range of a decompress job's input that holds its parts, with the parts relative to it", async () => {
    const posted: CodecJobsMessage[] = [];
    const pool = await CodecWorkerPool.start(() => scriptedWorker((message) => posted.push(message)), { size: 1, sharedInbox: false });
    const body = new Uint8Array(POOL_MIN_BYTES * 4);
    const pending = pool.decompressParts(body, [
      { offset: 4096, length: 100, uncompressedLength: 9000 },
      { offset: 8192, length: 50, uncompressedLength: 9000 },
    ]);
    pending.catch(() => undefined); // never answered: the pool's close fails it
    await new Promise((resolve) => setImmediate(resolve));
    const [job] = posted[0]!.jobs;
    expect(job).toMatchObject({ op: "decompress", length: 8192 + 50 - 4096, parts: [0, 100, 9000, 4096, 50, 9000] });
    expect(job!.input!.length).toBe(8192 + 50 - 4096);
    await pool.close();
  });

  it("asks each worker once to load its encoder, and resolves when all answered or died", async () => {
    const asked: number[] = [];
    const handles: CodecWorkerHandle[] = [];
    let spawned = 0;
    const pool = await CodecWorkerPool.start(
      () => {
        const index = spawned++;
        const handle = scriptedWorker(() => undefined);
        const post = handle.post;
        // Worker 0 answers; worker 1 takes the message and never answers (it dies instead).
        handle.post = (message, transfer) => {
          if ("prepare" in message) asked.push(index);
          if ("prepare" in message && index === 1) return;
          post(message, transfer);
        };
        handles.push(handle);
        return handle;
      },
      { size: 2, sharedInbox: false },
    );
    let done = false;
    const preparing = pool.prepareCompression().then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([0, 1]);
    expect(done).toBe(false);
    handles[1]!.onFailure?.(new Error("worker died"));
    await preparing;
    expect(pool.healthy).toBe(false);
    await pool.prepareCompression();
    expect(asked).toEqual([0, 1]);
    await pool.close();
  });

  it("compresses buffers under POOL_MIN_BYTES on the JS thread and larger ones on the workers, and everything on the JS thread once the pool is gone", async () => {
    const sizes: number[] = [];
    const pool = await CodecWorkerPool.start(
      () => scriptedWorker((message, answer) => {
        sizes.push(...message.jobs.map((job) => job.length));
        answer({ results: message.jobs.map((job) => ({ id: job.id, data: Uint8Array.of(job.length & 0xff) })) });
      }),
      { size: 1, sharedInbox: true },
    );
    const codec = pooledCodec(local, pool);
    await codec.prepareCompression!(); // the workers' encoders
    const small = columnLike(seededRandom(33), POOL_MIN_BYTES - 1);
    const large = columnLike(seededRandom(34), POOL_MIN_BYTES * 4);
    expect(sameBytes(local.decompress((await codec.compressAsync!(small, 3))!, small.length), small)).toBe(true);
    expect(await codec.compressAsync!(large, 3)).toEqual(Uint8Array.of(large.length & 0xff));
    expect(sizes).toEqual([large.length]);
    await pool.close();
    for (const data of [small, large]) expect(sameBytes(local.decompress((await codec.compressAsync!(data, 3))!, data.length), data)).toBe(true);
    expect(sizes).toEqual([large.length]);
  });

  it("closes a message once its inputs reach MESSAGE_INPUT_BYTES, and settles each message's jobs as it is answered", async () => {
    const messages: number[][] = [];
    let reply: ((message: CodecResultsMessage) => void) | undefined;
    const recording = scriptedWorker((message, answer) => {
      messages.push(message.jobs.map((job) => job.id));
      reply = answer;
    });
    const pool = await CodecWorkerPool.start(() => recording, { size: 1, sharedInbox: true });
    const jobBytes = Math.ceil(MESSAGE_INPUT_BYTES / 3) + 1; // three jobs pass the limit
    const settled: number[] = [];
    const jobs = Array.from({ length: 8 }, (_, i) =>
      pool.compress(new Uint8Array(jobBytes), 3).then((out) => {
        settled.push(i);
        return out;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages.map((ids) => ids.length)).toEqual([3, 3, 2]);
    // Only the first message is answered: its jobs settle, the others still wait.
    reply!({ results: messages[0]!.map((id) => ({ id, data: null })) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual([0, 1, 2]);
    for (const ids of messages.slice(1)) reply!({ results: ids.map((id) => ({ id, data: null })) });
    expect(await Promise.all(jobs)).toEqual(Array(8).fill(null));
    await pool.close();
  });
});

/**
 * The pool posts the ZSTD module its thread compiled to each worker, which instantiates it
 * instead of compiling its own; a runtime that cannot post a module still starts its workers.
 */
describe("codec worker pool and the compiled ZSTD module", () => {
  it("posts the module with each worker's init, and the workers compress and decompress with it", async () => {
    const zstdModule = await compileZstdWasm();
    const inits: unknown[] = [];
    const pool = await CodecWorkerPool.start(
      () => {
        const real = spawnNodeCodecWorker();
        const post = real.post.bind(real);
        real.post = (message, transfer) => {
          if ("init" in message) inits.push(message.init);
          post(message, transfer);
        };
        return real;
      },
      { size: 2, sharedInbox: true, zstdModule },
    );
    expect(inits).toHaveLength(2);
    for (const init of inits) expect((init as { zstdModule?: unknown }).zstdModule).toBe(zstdModule);
    const data = columnLike(seededRandom(5), POOL_MIN_BYTES * 2);
    const frame = (await pool.compress(data, 3))!;
    expect(sameBytes(local.decompress(frame, data.length), data)).toBe(true);
    expect(sameBytes(await decompressOne(pooledCodec(local, pool), frame, data.length), data)).toBe(true);
    await pool.close();
  });

  it("starts a worker without the module when posting it fails (DataCloneError), so the worker compiles its own", async () => {
    const inits: Record<string, unknown>[] = [];
    const worker = scriptedWorker(() => undefined);
    const post = worker.post;
    worker.post = (message, transfer) => {
      if ("init" in message) {
        inits.push({ ...message.init });
        if (message.init.zstdModule) throw new DOMException("could not clone", "DataCloneError");
      }
      post(message, transfer);
    };
    const pool = await CodecWorkerPool.start(() => worker, { size: 1, sharedInbox: false, zstdModule: await compileZstdWasm() });
    expect(inits.map((init) => "zstdModule" in init)).toEqual([true, false]);
    expect(pool.size).toBe(1);
    await pool.close();
  });
});
