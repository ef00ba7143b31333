/**
 * The idempotent writer's id (client/write/writer-identity.ts), over a
 * stand-in for the cluster client that answers InitWriter when the test says.
 */
import { describe, expect, it } from "vitest";
import type { ClusterClient } from "../../../src/client/cluster-client.js";
import { WriterIdentity } from "../../../src/client/write/writer-identity.js";
import { standInCluster } from "../stand-in-cluster.js";

/** A cluster client with one tablet server whose InitWriter answers are released one by one. */
function clusterAnsweringOnCue(): { cluster: ClusterClient; asked: () => number; answer: (id: bigint) => void } {
  const waiting: ((id: bigint) => void)[] = [];
  let asked = 0;
  const connection = {
    call: () => {
      asked++;
      return new Promise<{ writerId: bigint }>((resolve) => waiting.push((writerId) => resolve({ writerId })));
    },
  };
  const cluster = standInCluster({ connectionTo: async () => connection });
  return { cluster, asked: () => asked, answer: (id) => waiting.shift()!(id) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("WriterIdentity", () => {
  it("takes the id InitWriter hands out and tells the caller", async () => {
    const { cluster, answer } = clusterAnsweringOnCue();
    const identity = new WriterIdentity(cluster, { databaseName: "db", tableName: "t" }, 3);
    let done = 0;
    identity.request(() => done++, (error) => expect.fail(error.message));
    await tick();
    answer(42n);
    await tick();
    expect(done).toBe(1);
    expect(identity.valid).toBe(true);
    expect(identity.id).toBe(42n);
  });

  it("asks again at once when the caller, told that an answer from before a reset was dropped, asks from its callback", async () => {
    const { cluster, asked, answer } = clusterAnsweringOnCue();
    const identity = new WriterIdentity(cluster, { databaseName: "db", tableName: "t" }, 3);
    const done: boolean[] = [];
    // As the sender does: each callback runs it again, which asks again while no id is valid.
    const ask = (): void => identity.request(() => {
      done.push(identity.valid);
      if (!identity.valid) ask();
    }, (error) => expect.fail(error.message));
    ask();
    await tick();
    identity.reset(); // e.g. OUT_OF_ORDER_SEQUENCE while the first InitWriter was under way
    answer(7n); // for the old epoch: dropped
    await tick();
    expect(asked(), "a second InitWriter went out").toBe(2);
    answer(8n);
    await tick();
    expect(done).toEqual([false, true]);
    expect(identity.id).toBe(8n);
  });
});
