// fluss-edge Node quickstart: connect, create a database and a table, list them, print the schema.
//   FLUSS_BOOTSTRAP_SERVERS=127.0.0.1:9123 node quickstart.mjs
import { Config, DataTypes, FlussConnection, FlussError, Schema, TableDescriptor, TablePath } from "@fluss-edge/client";

const bootstrap = process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";

const conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap }));
try {
  const admin = conn.getAdmin();

  await admin.createDatabase("quickstart", { comment: "fluss-edge quickstart", ignoreIfExists: true });

  const schema = new Schema(
    [
      { name: "event_id", type: DataTypes.bigint() },
      { name: "user_name", type: DataTypes.string(), comment: "who did it" },
      { name: "amount", type: DataTypes.decimal(10, 2) },
      { name: "created_at", type: DataTypes.timestampLtz(3) },
    ],
    { primaryKeys: ["event_id"] },
  );
  const path = new TablePath("quickstart", "events");
  await admin.createTable(path, new TableDescriptor(schema, { bucketCount: 3, comment: "quickstart events" }), {
    ignoreIfExists: true,
  });

  console.log("databases:", await admin.listDatabases());
  console.log("tables in quickstart:", await admin.listTables("quickstart"));

  const info = await admin.getTableInfo(path);
  console.log(`table ${info.tablePath} (id ${info.tableId}, ${info.numBuckets} buckets, primary key ${info.getPrimaryKeys()})`);
  for (const column of info.getSchema().columns) {
    console.log(`  ${column.name.padEnd(12)} ${column.type}${column.comment ? `  -- ${column.comment}` : ""}`);
  }

  try {
    await admin.dropTable(new TablePath("quickstart", "no_such_table"));
  } catch (error) {
    if (error instanceof FlussError) console.log(`expected failure: ${error.errorCodeName} (${error.errorCode}): ${error.message}`);
    else throw error;
  }
} finally {
  await conn.close();
}
