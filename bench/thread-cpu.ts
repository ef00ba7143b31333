/**
 * CPU time per thread of this process, from Linux's /proc (for the drivers'
 * BENCH_THREAD_CPU=1): which of a phase's CPU went to the JS thread, to the
 * codec workers and to V8's and libuv's own threads. A V8 CPU profile cannot
 * tell: it samples wall time, so a thread that is descheduled on a busy
 * machine still charges the function it was in.
 *
 * Threads are told apart by when they started: the JS thread is the
 * process's own id; the threads that first appear while the table is opened
 * are the codec workers (`getTable` starts them on Node); the rest were there
 * before (V8's compiler and GC helpers, libuv) or came later.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Nanoseconds on CPU per thread id, or undefined where /proc is not there. */
export function threadCpuNanos(): Map<number, number> | undefined {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync("/proc/self/task")) {
      try {
        // schedstat: "<ns on CPU> <ns waiting> <timeslices>", finer than stat's clock ticks.
        out.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]));
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Milliseconds of CPU per kind of thread between two snapshots. */
export interface ThreadCpuSplit {
  jsThread: number;
  /** Threads that first appeared while the table was opened: the codec workers, one entry each. */
  codecWorkers: number[];
  /** Every other thread: V8's helpers (optimizing compiler, GC), libuv. */
  otherThreads: number;
}

/**
 * The split of `after − before`. `openedTable` holds the thread ids that
 * appeared between a snapshot before the connection and one after `getTable`.
 */
export function splitThreadCpu(before: Map<number, number>, after: Map<number, number>, openedTable: Set<number>): ThreadCpuSplit {
  const ms = (tid: number) => Math.round(((after.get(tid) ?? 0) - (before.get(tid) ?? 0)) / 1e6);
  const split: ThreadCpuSplit = { jsThread: 0, codecWorkers: [], otherThreads: 0 };
  for (const tid of after.keys()) {
    if (tid === process.pid) split.jsThread = ms(tid);
    else if (openedTable.has(tid)) split.codecWorkers.push(ms(tid));
    else split.otherThreads += ms(tid);
  }
  return split;
}

/** Thread ids in `later` and not in `earlier`. */
export function newThreads(earlier: Map<number, number> | undefined, later: Map<number, number> | undefined): Set<number> {
  return new Set([...(later?.keys() ?? [])].filter((tid) => !earlier?.has(tid)));
}
