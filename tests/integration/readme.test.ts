import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { FlussConnection } from "@fluss-edge/client";
import { afterAll, describe, expect, it, onTestFailed, vi } from "vitest";
import { uniqueName } from "./targets.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/**
 * The README's examples are what a new user copies first: run them as
 * written (only the database name is made unique, and the bootstrap address
 * is the test cluster's) so that they cannot drift from the API.
 */
describe("README.md", () => {
  /** Every database a block was run against (each run gets its own, so that a retry starts clean). */
  const databases: string[] = [];
  const file = new URL(`../../.cache/readme-${process.pid}.ts`, import.meta.url);

  afterAll(async () => {
    const conn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
    for (const db of databases) await conn.getAdmin().dropDatabase(db, { ignoreIfNotExists: true, cascade: true });
    await conn.close();
  });

  it("opens with the two commands, one to run and one to test", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toMatch(/^bash scripts\/quickstart\.sh\b/m);
    expect(firstBlock).toMatch(/^bash scripts\/test\.sh\b/m);
  });

  /** The runnable `ts` blocks of the README, in order, made to use this run's cluster. */
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((code) => code.includes('"127.0.0.1:9123"'))
    .map((code) => code.replaceAll('"127.0.0.1:9123"', JSON.stringify(process.env.FLUSS_BOOTSTRAP_SERVERS)));

  /**
   * The block with a marker before each of its top-level statements that may
   * wait (by their first words; continuation lines of a multi-line statement
   * never start so): should a block ever hang, the failure names the
   * statement it was in.
   */
  function withStageMarkers(code: string): string {
    return code
      .split("\n")
      .map((line) => (/^(await |const .*\bawait |let |for |while |scanner\.|console\.)/.test(line) ? `(globalThis as { readmeStage?: string }).readmeStage = ${JSON.stringify(line)};\n${line}` : line))
      .join("\n");
  }

  let runs = 0;
  /** Runs block `index` as written, against a database of its own (the README's "shop", renamed). */
  async function runBlock(index: number): Promise<unknown[][]> {
    mkdirSync(new URL("../../.cache/", import.meta.url), { recursive: true });
    const db = uniqueName("readme");
    databases.push(db);
    // A file of its own per run: a module is evaluated once per path.
    const path = file.pathname.replace(/\.ts$/, `-${index}-${++runs}.ts`);
    writeFileSync(path, withStageMarkers(blocks[index]!.replaceAll('"shop"', JSON.stringify(db))));
    const stage = globalThis as { readmeStage?: string };
    stage.readmeStage = undefined;
    onTestFailed(() => console.error(`[readme] block ${index} was at: ${stage.readmeStage ?? "(before its first statement)"}`));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ path);
      return log.mock.calls;
    } finally {
      log.mockRestore();
      rmSync(path, { force: true });
    }
  }

  // One retry: Fluss 0.9.1's coordinator can miss the tour's new partitioned table (see
  // tests/setup/coordinator-log-watch.ts); the tour then fails at once in listPartitionOffsets, the
  // coordinator watchdog repairs the coordinator before the retry, which starts over in a new database.
  it("runs its tour against the cluster as written", { retry: 1 }, async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const [info, offsets, missing] = await runBlock(0);
    expect(info).toEqual([4, ["order_id", "region"], ["region"]]);
    expect(offsets).toEqual([new Map([[0, 0], [1, 0], [2, 0], [3, 0]])]);
    expect(missing).toEqual(["no such table"]);
  });

  it("writes and reads a log table as its second example shows", async () => {
    const calls = await runBlock(1);
    expect(calls).toEqual([[1000, "clicks read"]]);
  });

  it("adds a column to a log table that holds rows, as its third example shows", async () => {
    const calls = await runBlock(2);
    expect(calls).toEqual([
      [2],
      [
        [
          { user_id: 1n, page: "/home", referrer: null },
          { user_id: 2n, page: "/cart", referrer: "newsletter" },
        ],
      ],
    ]);
  });

  it("upserts, deletes, partially updates and looks up a primary-key table, as its fourth example shows", async () => {
    const calls = await runBlock(3);
    expect(calls).toEqual([[{ user_id: 1n, name: "Ada", visits: 3 }], [null]]);
  });
});
