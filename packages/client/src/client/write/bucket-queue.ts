import { NO_BATCH_SEQUENCE, NO_WRITER_ID } from "../../wire/records/index.js";
import type { PhysicalTable } from "./physical-table.js";
import type { WriteBatch } from "./write-batch.js";

/** Java's batch sequences wrap from Integer.MAX_VALUE to 0 (the server accepts that step). */
const MAX_SEQUENCE = 0x7fffffff;

export function nextSequenceAfter(sequence: number): number {
  return sequence === MAX_SEQUENCE ? 0 : sequence + 1;
}

/**
 * The batches of one bucket (of one partition), in write order:
 * - `open`: the batch taking rows now;
 * - `pending`: sealed batches to send, oldest first; a batch that must be
 *   retried goes back here in its original place (by `ordinal`), so it is
 *   sent again before anything written after it;
 * - `inflight`: sent batches waiting for their answer.
 *
 * With idempotence it also keeps the bucket's batch sequences for the
 * writer id they were numbered under (Java's `IdempotenceBucketEntry`).
 */
export class BucketQueue {
  readonly table: PhysicalTable;
  readonly bucketId: number;
  open: WriteBatch | undefined;
  readonly pending: WriteBatch[] = [];
  readonly inflight: WriteBatch[] = [];
  /** Writer id the sequences below belong to. */
  writerId = NO_WRITER_ID;
  /** Sequence for the next batch sent for the first time. */
  nextSequence = 0;
  /** Highest sequence the server acknowledged (−1: none yet). */
  lastAcked = NO_BATCH_SEQUENCE;

  constructor(table: PhysicalTable, bucketId: number) {
    this.table = table;
    this.bucketId = bucketId;
  }

  /** Batches sealed or sent but not done. */
  get hasUnsent(): boolean {
    return this.pending.length > 0;
  }

  /** Puts a batch that must be sent again back in its place among the pending ones. */
  requeue(batch: WriteBatch): void {
    removeFrom(this.inflight, batch);
    let i = 0;
    while (i < this.pending.length && this.pending[i]!.ordinal < batch.ordinal) i++;
    this.pending.splice(i, 0, batch);
    batch.state = "sealed";
  }

  /** Takes a batch out of the queue (it is done). */
  remove(batch: WriteBatch): void {
    if (!removeFrom(this.inflight, batch)) removeFrom(this.pending, batch);
    if (this.open === batch) this.open = undefined;
  }

  /** Starts the sequences over for a new writer id (only when nothing numbered under the old one is in flight). */
  resetSequences(writerId: bigint): void {
    this.writerId = writerId;
    this.nextSequence = 0;
    this.lastAcked = NO_BATCH_SEQUENCE;
  }

  /** The sequence the server expects next from this writer. */
  get expectedSequence(): number {
    return this.lastAcked === NO_BATCH_SEQUENCE ? 0 : nextSequenceAfter(this.lastAcked);
  }

  /**
   * A batch with sequence `failed` failed for good without being written:
   * the server still expects `failed`, so every later batch numbered under
   * the same writer id moves down by one (and is re-headed before its next
   * send). Java's `adjustSequencesDueToFailedBatch`.
   */
  closeSequenceGap(failed: number, writerId: bigint): void {
    if (writerId !== this.writerId) return;
    for (const batch of [...this.inflight, ...this.pending]) {
      if (batch.writerId !== writerId || batch.sequence === NO_BATCH_SEQUENCE) continue;
      if (sequenceAfter(batch.sequence, failed)) {
        batch.sequence = batch.sequence === 0 ? MAX_SEQUENCE : batch.sequence - 1;
        batch.sequenceReset = true;
      }
    }
    this.nextSequence = this.nextSequence === 0 ? MAX_SEQUENCE : this.nextSequence - 1;
  }
}

/** `a` comes after `b` in sequence order (allowing for one wrap-around). */
function sequenceAfter(a: number, b: number): boolean {
  const distance = (a - b + MAX_SEQUENCE + 1) % (MAX_SEQUENCE + 1);
  return distance > 0 && distance < (MAX_SEQUENCE + 1) / 2;
}

function removeFrom(list: WriteBatch[], batch: WriteBatch): boolean {
  const i = list.indexOf(batch);
  if (i < 0) return false;
  list.splice(i, 1);
  return true;
}
