import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DataTypes, FlussConnection, OffsetSpec, Schema, TableDescriptor, TablePath } from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets, uniqueName } from "./targets.js";
import { createTableReady } from "../support/table-ready.js";

const run = promisify(execFile);
const clusterScript = new URL("../../scripts/fluss-cluster.sh", import.meta.url).pathname;

/**
 * The client must ride out a tablet server restart: its connection to the
 * server drops, leaders are briefly unknown, and the next call has to
 * reconnect and refresh metadata on its own. (Runs last-but-not-least in the
 * sequential integration run; it restarts tablet server 0 of the suite's cluster.)
 */
describe.each(targets)("after a tablet server restarts, over $name", (target) => {
  let conn: FlussConnection;
  const db = uniqueName("failover_db");
  const path = new TablePath(db, "t");

  beforeAll(async () => {
    conn = await FlussConnection.create(target.config());
    await conn.getAdmin().createDatabase(db);
    const schema = new Schema([{ name: "id", type: DataTypes.int() }]);
    await createTableReady(conn.getAdmin(), path, new TableDescriptor(schema, { bucketCount: 2 }));
  });

  afterAll(async () => {
    await conn?.getAdmin().dropDatabase(db, { ignoreIfNotExists: true, cascade: true });
    await conn?.close();
  });

  it("the same connection reconnects and answers again", async () => {
    const before = await conn.getAdmin().listOffsets(path, [0, 1], OffsetSpec.latest());
    expect(Object.fromEntries(before)).toEqual({ 0: 0, 1: 0 });

    await run("bash", [clusterScript, "restart-tablet", "0"], { timeout: 120_000 });

    const after = await conn.getAdmin().listOffsets(path, [0, 1], OffsetSpec.latest());
    expect(Object.fromEntries(after)).toEqual({ 0: 0, 1: 0 });
    const nodes = await conn.getAdmin().getServerNodes();
    expect(nodes.filter((n) => n.serverType === "TabletServer")).toHaveLength(1);
  }, 180_000);
});
