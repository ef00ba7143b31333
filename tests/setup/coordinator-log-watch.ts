/**
 * Reads the coordinator's log as it grows and recognises Fluss 0.9.1's
 * coordinator fault. The coordinator registers a new table's znode empty and
 * fills it a moment later; its ZooKeeper cache watcher (`TableChangeWatcher`)
 * takes only the *change* of that node as "table created", and when the cache
 * first reads the node already filled, the creation is lost. What shows: a
 * table registered in ZooKeeper that the coordinator never takes up ("New
 * table: …" never follows "Registered table …"), after which its buckets
 * never get a leader and every writer to it waits; and the state that a
 * partition created on such a table leaves behind, in which the coordinator
 * cannot set up any later table ("… batch request … is not empty while
 * creating a new one"). Fixed upstream after 0.9.1 (apache/fluss#2710).
 * A coordinator restart recovers both (it reloads every table from
 * ZooKeeper); coordinator-watchdog.ts does that for the test run.
 *
 * Pure: lines and the time in, a fault out, so that it can be checked on
 * lines captured from the real cluster.
 */
export interface CoordinatorFault {
  kind: "missed-table" | "stuck-requests";
  detail: string;
}

/** Time the coordinator gets to take up a registered table (normally milliseconds). */
export const TAKE_UP_MS = 10_000;

const REGISTERED = /ZooKeeperClient - Registered table (\S+) for database (\S+)\s*$/;
const TAKEN_UP = /TableManager - New table: (\S+) with id /;
/** Whoever restarts the coordinator, it reloads every table. */
const SHUTTING_DOWN = /CoordinatorServer - Shutting down Coordinator server/;
const STUCK = /NotifyLeaderAndIsr batch request from coordinator to tablet server is not empty while creating a new one/;
/** What a partition created on a missed table throws, right away (the stuck requests follow at the next table). */
const MISSED_TABLE_NPE = /"this\.tablePath" is null/;

export class CoordinatorLogWatch {
  /** Tables registered and not yet taken up, with the time their registration was read. */
  readonly #waiting = new Map<string, number>();
  readonly #takeUpMs: number;
  #partialLine = "";

  constructor(takeUpMs = TAKE_UP_MS) {
    this.#takeUpMs = takeUpMs;
  }

  /** Feeds the text appended to the log since the last call; returns a fault as soon as one shows. */
  feed(text: string, nowMs: number): CoordinatorFault | undefined {
    const lines = (this.#partialLine + text).split("\n");
    this.#partialLine = lines.pop() ?? "";
    let fault: CoordinatorFault | undefined;
    for (const line of lines) {
      if (SHUTTING_DOWN.test(line)) {
        this.reset();
        fault = undefined;
        continue;
      }
      const registered = REGISTERED.exec(line);
      if (registered) this.#waiting.set(`${registered[2]}.${registered[1]}`, nowMs);
      const takenUp = TAKEN_UP.exec(line);
      if (takenUp) this.#waiting.delete(takenUp[1]!);
      if (!fault && (STUCK.test(line) || MISSED_TABLE_NPE.test(line))) {
        fault = { kind: "stuck-requests", detail: "its requests to the tablet servers are stuck (no table created from now on gets bucket leaders)" };
      }
    }
    return fault ?? this.check(nowMs);
  }

  /** A registered table not taken up within {@link TAKE_UP_MS} (or the time given), if any. */
  check(nowMs: number): CoordinatorFault | undefined {
    for (const [table, since] of this.#waiting) {
      if (nowMs - since >= this.#takeUpMs) return { kind: "missed-table", detail: `it never took up table ${table} (its buckets would never get a leader)` };
    }
    return undefined;
  }

  /** Whether a registered table still waits to be taken up. */
  get waiting(): boolean {
    return this.#waiting.size > 0;
  }

  /** After a coordinator restart: everything registered so far is loaded again. */
  reset(): void {
    this.#waiting.clear();
  }
}
