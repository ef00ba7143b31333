import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { FlussConnection } from "@fluss-edge/client";
import { afterAll, describe, expect, it, vi } from "vitest";
import { uniqueName } from "./targets.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/**
 * The README's tour is what a new user copies first: run it as written
 * (only the database name is made unique, and the bootstrap address is the
 * test cluster's) so that it cannot drift from the API.
 */
describe("README.md", () => {
  const db = uniqueName("readme");
  const file = new URL(`../../.cache/readme-tour-${process.pid}.ts`, import.meta.url);

  afterAll(async () => {
    rmSync(file, { force: true });
    const conn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
    await conn.getAdmin().dropDatabase(db, { ignoreIfNotExists: true, cascade: true });
    await conn.close();
  });

  it("opens with the two commands, one to run and one to test", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toMatch(/^bash scripts\/quickstart\.sh\b/m);
    expect(firstBlock).toMatch(/^bash scripts\/test\.sh\b/m);
  });

  it("runs its tour against the cluster as written", async () => {
    const tour = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(tour).toBeDefined();
    const code = tour!
      .replaceAll('"shop"', JSON.stringify(db))
      .replaceAll('"127.0.0.1:9123"', JSON.stringify(process.env.FLUSS_BOOTSTRAP_SERVERS));
    mkdirSync(new URL("../../.cache/", import.meta.url), { recursive: true });
    writeFileSync(file, code);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file.pathname);
      const [info, offsets, missing] = log.mock.calls;
      expect(info).toEqual([4, ["order_id", "region"], ["region"]]);
      expect(offsets).toEqual([new Map([[0, 0], [1, 0], [2, 0], [3, 0]])]);
      expect(missing).toEqual(["no such table"]);
    } finally {
      log.mockRestore();
    }
  });
});
