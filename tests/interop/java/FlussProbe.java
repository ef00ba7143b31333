/*
 * Interop peer: a command-line probe around the official Apache Fluss Java client
 * (org.apache.fluss:fluss-client). Tests in tests/interop drive it to check that fluss-edge
 * and the official clients agree on what the cluster holds.
 *
 * Build + classpath:  CP=$(bash scripts/build-java-probe.sh)
 * Run:                java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" FlussProbe \
 *                         --bootstrap 127.0.0.1:9123 [--conf key=value]... <command> [json-arg]
 *
 * Prints exactly ONE JSON document on stdout; logs go to stderr.
 *   exit 0  success
 *   exit 1  {"error": {"code": <Fluss error code, or -2 for client-side errors>, "message", "exception"}}
 *   exit 2  usage error (also printed as {"error": {"code": -2, ...}})
 *
 * Commands (same CLI as tests/interop/python/probe.py):
 *   list-databases
 *   create-database   {"name", "comment"?, "customProperties"?, "ignoreIfExists"?}
 *   describe-database {"name"}
 *   drop-database     {"name", "ignoreIfNotExists"?, "cascade"?}
 *   list-tables       {"database"}
 *   create-table      {"database", "table", "columns": [{"name", "type", "comment"?}], "primaryKeys"?,
 *                      "partitionKeys"?, "bucketCount"?, "bucketKeys"?, "properties"?,
 *                      "customProperties"?, "comment"?, "logFormat"?, "kvFormat"?, "ignoreIfExists"?}
 *   describe-table    {"database", "table"}
 *   drop-table        {"database", "table", "ignoreIfNotExists"?}
 *   create-partition  {"database", "table", "spec": {k: v}, "ignoreIfExists"?}
 *   drop-partition    {"database", "table", "spec": {k: v}, "ignoreIfNotExists"?}
 *   list-partitions   {"database", "table"}
 *   append-rows       {"database", "table", "rows": [[v, ...], ...]}  (log tables; one AppendWriter,
 *                      flushed once; the table's log compression applies)
 *   encode-keys       {"columns", "primaryKeys"?, "partitionKeys"?, "bucketKeys"?, "numBuckets",
 *                      "properties"?, "rowEncodings"? (default true), "rows"} → per row {"bucketKey", "bucket", "key",
 *                      "partition", "compacted", "indexed"} (hex bytes; "error" when Java refuses the
 *                      row): what the client's own KeyEncoder / HashBucketAssigner / PartitionGetter /
 *                      row encoders produce. No cluster is contacted. With "tables": [{"bucketKeys",
 *                      ...}, ...] the table fields come from each element in turn: one result list each.
 *   hash-bytes        {"inputs": [hex, ...], "numBuckets"} → per input {"hash", "murmurInt", "fluss",
 *                      "paimon", "iceberg"}: MurmurHashUtils / MathUtils / BucketingFunction.
 *                      Both also take {"argFile": path} holding the JSON argument (for large inputs).
 *   scan-rows         {"database", "table", "expected": n, "timeoutMs"?} → [{"bucket", "offset",
 *                      "changeType", "row": [v, ...]}, ...] once n rows arrived (all buckets, from
 *                      the beginning), sorted by bucket then offset
 *   upsert-rows       {"database", "table", "rows"?: [[v, ...], ...], "partialUpdate"?: [name, ...],
 *                      "deleteKeys"?: [[k, ...], ...]} → {"ok", "upserted", "deleted"} (primary-key
 *                      tables; one UpsertWriter, partialUpdate(names) when given, that upserts the
 *                      rows (whole rows in column order: null for the columns a partial update leaves
 *                      out), then deletes the keys (primary-key values in key order), flushed once).
 *                      {"steps": [{"rows"?, "partialUpdate"?, "deleteKeys"?}, ...]} runs several such
 *                      writers one after another in one JVM, each flushed before the next starts.
 *   delete-keys       {"database", "table", "keys": [[k, ...], ...]} → {"ok", "deleted"}: upsert-rows
 *                      with deleteKeys only.
 *   lookup-rows       {"database", "table", "keys": [[k, ...], ...]} → [[v, ...] or null, ...]: one
 *                      Lookuper, every key looked up at once (primary-key values in key order), the
 *                      rows in column order, null where the table holds no row with that key.
 *
 * Row values in JSON (both directions), by column type: BOOLEAN true/false; TINYINT/SMALLINT/INT
 * and DATE (days since epoch) numbers; BIGINT a decimal string; FLOAT/DOUBLE a number or "NaN",
 * "Infinity", "-Infinity"; DECIMAL a plain decimal string; CHAR/STRING a string; BINARY/BYTES a hex
 * string; TIME nanoseconds of day (Fluss keeps milliseconds); TIMESTAMP/TIMESTAMP_LTZ
 * {"millis": epoch ms, "nanos": nano of millisecond}; ARRAY an array; MAP an array of [key, value];
 * ROW an array in field order; null for NULL.
 *
 * Column types are Fluss type strings parsed by Fluss's own org.apache.fluss.types.DataTypeParser
 * (e.g. "INT NOT NULL", "DECIMAL(10, 2)", "TIMESTAMP_LTZ(3)", "ARRAY<STRING>", "MAP<STRING, INT>",
 * "ROW<a INT, b STRING>"). Types are printed with DataType#toString() (== asSummaryString()),
 * e.g. "ROW<`a` INT, `b` STRING> NOT NULL", "TIMESTAMP_LTZ(3)", "DECIMAL(10, 2)".
 *
 * Only JDK classes and the public fluss-client API are used (no shaded internals), so the
 * same source compiles against newer client versions. encode-keys / hash-bytes also call the
 * client's internal (unshaded) bucketing and encoding classes (org.apache.fluss.bucketing,
 * row.encode, client.write.HashBucketAssigner, client.table.getter.PartitionGetter), since
 * reproducing exactly those is their point.
 */

import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.scanner.ScanRecord;
import org.apache.fluss.client.table.scanner.log.LogScanner;
import org.apache.fluss.client.table.scanner.log.ScanRecords;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.exception.ApiException;
import org.apache.fluss.metadata.DatabaseDescriptor;
import org.apache.fluss.metadata.DatabaseInfo;
import org.apache.fluss.metadata.KvFormat;
import org.apache.fluss.metadata.LogFormat;
import org.apache.fluss.metadata.PartitionInfo;
import org.apache.fluss.metadata.PartitionSpec;
import org.apache.fluss.metadata.Schema;
import org.apache.fluss.metadata.TableDescriptor;
import org.apache.fluss.metadata.TableInfo;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.DataGetters;
import org.apache.fluss.row.Decimal;
import org.apache.fluss.row.GenericArray;
import org.apache.fluss.row.GenericMap;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalArray;
import org.apache.fluss.row.InternalMap;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;
import org.apache.fluss.row.TimestampNtz;
import org.apache.fluss.rpc.protocol.Errors;
import org.apache.fluss.types.ArrayType;
import org.apache.fluss.types.BinaryType;
import org.apache.fluss.types.CharType;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.DataTypeParser;
import org.apache.fluss.types.DecimalType;
import org.apache.fluss.types.LocalZonedTimestampType;
import org.apache.fluss.types.MapType;
import org.apache.fluss.types.RowType;
import org.apache.fluss.types.TimestampType;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

public final class FlussProbe {

    private static final int CLIENT_ERROR = -2;
    private static final long TIMEOUT_SECONDS = 60;

    /** Raised for bad probe input (not a Fluss error). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] argv) {
        // slf4j-simple logs to stderr; keep the client quiet unless asked otherwise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // stdout carries exactly one JSON document; everything else (client logs) goes to stderr.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);

        String bootstrap = null;
        Map<String, String> conf = new LinkedHashMap<>();
        String command = null;
        String jsonArg = null;
        try {
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                if (a.equals("--bootstrap")) {
                    bootstrap = requireValue(argv, ++i, a);
                } else if (a.equals("--conf")) {
                    String kv = requireValue(argv, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--conf expects key=value, got: " + kv);
                    }
                    conf.put(kv.substring(0, eq), kv.substring(eq + 1));
                } else if (command == null) {
                    command = a;
                } else if (jsonArg == null) {
                    jsonArg = a;
                } else {
                    throw new UsageException("unexpected argument: " + a);
                }
            }
            if (bootstrap == null) {
                bootstrap = System.getenv("FLUSS_BOOTSTRAP_SERVERS");
            }
            if (bootstrap == null || command == null) {
                throw new UsageException(
                        "usage: FlussProbe --bootstrap host:port [--conf k=v]... <command> [json-arg]");
            }
        } catch (UsageException e) {
            out.println(Json.write(errorDoc(CLIENT_ERROR, e.getMessage(), "UsageException")));
            System.exit(2);
            return;
        }

        int exit;
        String result;
        long t0 = System.nanoTime();
        try {
            Map<String, Object> arg = jsonArg == null || jsonArg.isBlank()
                    ? new LinkedHashMap<>()
                    : asObject(Json.parse(jsonArg), "json-arg");
            if (LOCAL_COMMANDS.contains(command)) {
                // Computed with the client's own classes alone: no connection, no cluster.
                out.println(Json.write(runLocal(command, arg)));
                out.flush();
                Runtime.getRuntime().halt(0);
            }
            Configuration configuration = new Configuration();
            configuration.setString("bootstrap.servers", bootstrap);
            conf.forEach(configuration::setString);
            // The connection is deliberately not closed: Connection#close() waits for netty's
            // graceful shutdown (a 2 s quiet period), and every admin call below has completed
            // (its future was awaited) before we print the result and halt the JVM.
            long tConnect = System.nanoTime();
            Connection connection = ConnectionFactory.createConnection(configuration);
            Admin admin = connection.getAdmin();
            long tRun = System.nanoTime();
            Object value = run(connection, admin, command, arg);
            System.err.printf("[FlussProbe] connect %d ms, %s %d ms%n",
                    (tRun - tConnect) / 1_000_000, command, (System.nanoTime() - tRun) / 1_000_000);
            result = Json.write(value);
            exit = 0;
        } catch (Throwable t) {
            Throwable cause = unwrap(t);
            if (cause instanceof UsageException) {
                result = Json.write(errorDoc(CLIENT_ERROR, cause.getMessage(), "UsageException"));
                exit = 2;
            } else {
                // A Fluss error may arrive wrapped (e.g. an AuthenticationException inside the
                // IllegalStateException of a failed connect): report the first ApiException's code.
                Throwable api = cause;
                while (api != null && !(api instanceof ApiException) && api.getCause() != api) {
                    api = api.getCause();
                }
                int code = api instanceof ApiException ? Errors.forException(api).code() : CLIENT_ERROR;
                String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
                result = Json.write(errorDoc(code, message, cause.getClass().getName()));
                exit = 1;
                System.err.println("[FlussProbe] " + command + " failed:");
                cause.printStackTrace(System.err);
            }
        }
        System.err.printf("[FlussProbe] %s took %d ms%n", command, (System.nanoTime() - t0) / 1_000_000);
        out.println(result);
        out.flush();
        // Client threads (netty) may linger; do not wait for them.
        Runtime.getRuntime().halt(exit);
    }

    private static String requireValue(String[] argv, int i, String flag) {
        if (i >= argv.length) {
            throw new UsageException(flag + " requires a value");
        }
        return argv[i];
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Map<String, Object> errorDoc(int code, String message, String exception) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code);
        err.put("message", message);
        err.put("exception", exception);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", err);
        return doc;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------
    // commands
    // ------------------------------------------------------------------------------------------

    private static Object run(Connection connection, Admin admin, String command, Map<String, Object> arg)
            throws Exception {
        switch (command) {
            case "list-databases":
                return sorted(await(admin.listDatabases()));
            case "create-database": {
                String name = str(arg, "name");
                DatabaseDescriptor.Builder b = DatabaseDescriptor.builder();
                if (arg.get("comment") != null) {
                    b.comment(str(arg, "comment"));
                }
                b.customProperties(strMap(arg, "customProperties"));
                await(admin.createDatabase(name, b.build(), bool(arg, "ignoreIfExists", false)));
                return ok();
            }
            case "describe-database": {
                DatabaseInfo info = await(admin.getDatabaseInfo(str(arg, "name")));
                DatabaseDescriptor d = info.getDatabaseDescriptor();
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", info.getDatabaseName());
                o.put("comment", d.getComment().orElse(null));
                o.put("customProperties", new TreeMap<>(d.getCustomProperties()));
                o.put("createdTime", info.getCreatedTime());
                o.put("modifiedTime", info.getModifiedTime());
                return o;
            }
            case "drop-database":
                await(admin.dropDatabase(str(arg, "name"), bool(arg, "ignoreIfNotExists", false),
                        bool(arg, "cascade", true)));
                return ok();
            case "list-tables":
                return sorted(await(admin.listTables(str(arg, "database"))));
            case "create-table":
                return createTable(admin, arg);
            case "describe-table":
                return describeTable(admin, path(arg));
            case "drop-table":
                await(admin.dropTable(path(arg), bool(arg, "ignoreIfNotExists", false)));
                return ok();
            case "create-partition":
                await(admin.createPartition(path(arg), new PartitionSpec(strMap(arg, "spec")),
                        bool(arg, "ignoreIfExists", false)));
                return ok();
            case "drop-partition":
                await(admin.dropPartition(path(arg), new PartitionSpec(strMap(arg, "spec")),
                        bool(arg, "ignoreIfNotExists", false)));
                return ok();
            case "list-partitions":
                return partitions(await(admin.listPartitionInfos(path(arg))));
            case "append-rows":
                return appendRows(connection, arg);
            case "scan-rows":
                return scanRows(connection, arg);
            case "upsert-rows":
                return upsertRows(connection, arg);
            case "delete-keys": {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("deleteKeys", list(arg, "keys"));
                Map<String, Object> done = upsertStep(connection.getTable(path(arg)), step);
                Map<String, Object> o = ok();
                o.put("deleted", done.get("deleted"));
                return o;
            }
            case "lookup-rows":
                return lookupRows(connection, arg);
            default:
                throw new UsageException("unknown command: " + command);
        }
    }

    private static Object createTable(Admin admin, Map<String, Object> arg) throws Exception {
        TablePath path = path(arg);
        Schema.Builder sb = Schema.newBuilder();
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (Object c : list(arg, "columns")) {
            Map<String, Object> col = asObject(c, "column");
            String name = str(col, "name");
            DataType type;
            try {
                type = DataTypeParser.parse(str(col, "type"));
            } catch (RuntimeException e) {
                throw new UsageException("cannot parse type of column " + name + ": " + e.getMessage());
            }
            sb.column(name, type);
            if (col.get("comment") != null) {
                sb.withComment(str(col, "comment"));
            }
            parsed.add(column(name, type, (String) col.get("comment")));
        }
        List<String> pk = strList(arg, "primaryKeys");
        if (!pk.isEmpty()) {
            sb.primaryKey(pk);
        }
        TableDescriptor.Builder tb = TableDescriptor.builder().schema(sb.build());
        List<String> partitionKeys = strList(arg, "partitionKeys");
        if (!partitionKeys.isEmpty()) {
            tb.partitionedBy(partitionKeys);
        }
        Integer bucketCount = arg.get("bucketCount") == null ? null : ((Number) arg.get("bucketCount")).intValue();
        List<String> bucketKeys = strList(arg, "bucketKeys");
        if (bucketCount != null || !bucketKeys.isEmpty()) {
            tb.distributedBy(bucketCount, bucketKeys);
        }
        if (arg.get("logFormat") != null) {
            tb.logFormat(LogFormat.fromString(str(arg, "logFormat")));
        }
        if (arg.get("kvFormat") != null) {
            tb.kvFormat(KvFormat.fromString(str(arg, "kvFormat")));
        }
        tb.properties(strMap(arg, "properties"));
        tb.customProperties(strMap(arg, "customProperties"));
        if (arg.get("comment") != null) {
            tb.comment(str(arg, "comment"));
        }
        await(admin.createTable(path, tb.build(), bool(arg, "ignoreIfExists", false)));
        Map<String, Object> o = ok();
        o.put("columns", parsed);
        return o;
    }

    private static Object describeTable(Admin admin, TablePath path) throws Exception {
        TableInfo info = await(admin.getTableInfo(path));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tableId", info.getTableId());
        o.put("schemaId", info.getSchemaId());
        o.put("numBuckets", info.getNumBuckets());
        List<Object> columns = new ArrayList<>();
        for (Schema.Column c : info.getSchema().getColumns()) {
            columns.add(column(c.getName(), c.getDataType(), c.getComment().orElse(null)));
        }
        o.put("columns", columns);
        o.put("primaryKeys", info.getPrimaryKeys());
        o.put("partitionKeys", info.getPartitionKeys());
        o.put("bucketKeys", info.getBucketKeys());
        o.put("properties", new TreeMap<>(info.getProperties().toMap()));
        o.put("customProperties", new TreeMap<>(info.getCustomProperties().toMap()));
        o.put("comment", info.getComment().orElse(null));
        o.put("partitions", info.isPartitioned() ? partitions(await(admin.listPartitionInfos(path))) : List.of());
        o.put("createdTime", info.getCreatedTime());
        o.put("modifiedTime", info.getModifiedTime());
        return o;
    }

    private static Map<String, Object> column(String name, DataType type, String comment) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type.toString());
        if (comment != null) {
            m.put("comment", comment);
        }
        return m;
    }

    private static List<Object> partitions(List<PartitionInfo> infos) {
        List<PartitionInfo> sorted = new ArrayList<>(infos);
        sorted.sort((a, b) -> a.getPartitionName().compareTo(b.getPartitionName()));
        List<Object> out = new ArrayList<>();
        for (PartitionInfo p : sorted) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partitionId", p.getPartitionId());
            m.put("partitionName", p.getPartitionName());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        return m;
    }

    private static List<String> sorted(List<String> in) {
        List<String> l = new ArrayList<>(in);
        l.sort(null);
        return l;
    }


    // ------------------------------------------------------------------------------------------
    // rows (log tables)
    // ------------------------------------------------------------------------------------------

    private static Object appendRows(Connection connection, Map<String, Object> arg) throws Exception {
        Table table = connection.getTable(path(arg));
        RowType rowType = table.getTableInfo().getRowType();
        AppendWriter writer = table.newAppend().createWriter();
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        int n = 0;
        for (Object r : list(arg, "rows")) {
            pending.add(writer.append(toRow(rowType, r, "rows[" + n + "]")));
            n++;
        }
        writer.flush();
        for (java.util.concurrent.CompletableFuture<?> f : pending) {
            await(f);
        }
        Map<String, Object> o = ok();
        o.put("appended", n);
        return o;
    }

    private static Object scanRows(Connection connection, Map<String, Object> arg) throws Exception {
        Table table = connection.getTable(path(arg));
        TableInfo info = table.getTableInfo();
        RowType rowType = info.getRowType();
        long expected = ((Number) arg.get("expected")).longValue();
        long timeoutMs = arg.get("timeoutMs") == null ? 30_000 : ((Number) arg.get("timeoutMs")).longValue();
        List<Map<String, Object>> out = new ArrayList<>();
        try (LogScanner scanner = table.newScan().createLogScanner()) {
            for (int b = 0; b < info.getNumBuckets(); b++) {
                scanner.subscribeFromBeginning(b);
            }
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (out.size() < expected && System.nanoTime() < deadline) {
                ScanRecords records = scanner.poll(Duration.ofMillis(200));
                for (org.apache.fluss.metadata.TableBucket bucket : records.buckets()) {
                    for (ScanRecord record : records.records(bucket)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("bucket", bucket.getBucket());
                        m.put("offset", record.logOffset());
                        m.put("changeType", record.getChangeType().shortString());
                        m.put("row", fromRow(rowType, record.getRow()));
                        out.add(m);
                    }
                }
            }
        }
        out.sort((a, b) -> {
            int c = Integer.compare((Integer) a.get("bucket"), (Integer) b.get("bucket"));
            return c != 0 ? c : Long.compare((Long) a.get("offset"), (Long) b.get("offset"));
        });
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // rows (primary-key tables)
    // ------------------------------------------------------------------------------------------

    private static Object upsertRows(Connection connection, Map<String, Object> arg) throws Exception {
        Table table = connection.getTable(path(arg));
        List<Object> steps = arg.get("steps") == null ? List.of(arg) : list(arg, "steps");
        long upserted = 0;
        long deleted = 0;
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> done = upsertStep(table, asObject(steps.get(i), "steps[" + i + "]"));
            upserted += (Long) done.get("upserted");
            deleted += (Long) done.get("deleted");
        }
        Map<String, Object> o = ok();
        o.put("upserted", upserted);
        o.put("deleted", deleted);
        return o;
    }

    /** One UpsertWriter: the step's upserts, then its deletes, flushed and every result awaited. */
    private static Map<String, Object> upsertStep(Table table, Map<String, Object> step) throws Exception {
        TableInfo info = table.getTableInfo();
        RowType rowType = info.getRowType();
        org.apache.fluss.client.table.writer.Upsert upsert = table.newUpsert();
        List<String> partial = strList(step, "partialUpdate");
        if (!partial.isEmpty()) {
            upsert = upsert.partialUpdate(partial.toArray(new String[0]));
        }
        org.apache.fluss.client.table.writer.UpsertWriter writer = upsert.createWriter();
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        List<Object> rows = step.get("rows") == null ? List.of() : list(step, "rows");
        for (int i = 0; i < rows.size(); i++) {
            pending.add(writer.upsert(toRow(rowType, rows.get(i), "rows[" + i + "]")));
        }
        List<Object> keys = step.get("deleteKeys") == null ? List.of() : list(step, "deleteKeys");
        for (int i = 0; i < keys.size(); i++) {
            // The Java writer takes a whole row and reads the primary-key columns from it.
            pending.add(writer.delete(keyAsWholeRow(info, keys.get(i), "deleteKeys[" + i + "]")));
        }
        writer.flush();
        for (java.util.concurrent.CompletableFuture<?> f : pending) {
            await(f);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("upserted", (long) rows.size());
        o.put("deleted", (long) keys.size());
        return o;
    }

    private static Object lookupRows(Connection connection, Map<String, Object> arg) throws Exception {
        Table table = connection.getTable(path(arg));
        TableInfo info = table.getTableInfo();
        RowType rowType = info.getRowType();
        RowType keyType = rowType.project(info.getPrimaryKeys());
        org.apache.fluss.client.lookup.Lookuper lookuper = table.newLookup().createLookuper();
        List<java.util.concurrent.CompletableFuture<org.apache.fluss.client.lookup.LookupResult>> pending =
                new ArrayList<>();
        List<Object> keys = list(arg, "keys");
        for (int i = 0; i < keys.size(); i++) {
            // The lookup key row holds the primary-key columns alone, in key order.
            pending.add(lookuper.lookup(toRow(keyType, keys.get(i), "keys[" + i + "]")));
        }
        List<Object> out = new ArrayList<>();
        for (java.util.concurrent.CompletableFuture<org.apache.fluss.client.lookup.LookupResult> f : pending) {
            InternalRow row = await(f).getSingletonRow();
            out.add(row == null ? null : fromRow(rowType, row));
        }
        return out;
    }

    /** A whole row (every column) holding the key's primary-key values and nulls elsewhere. */
    private static GenericRow keyAsWholeRow(TableInfo info, Object json, String where) {
        RowType rowType = info.getRowType();
        List<String> pk = info.getPrimaryKeys();
        GenericRow key = toRow(rowType.project(pk), json, where);
        GenericRow row = new GenericRow(rowType.getFieldCount());
        for (int k = 0; k < pk.size(); k++) {
            int index = rowType.getFieldIndex(pk.get(k));
            row.setField(index, key.getField(k));
        }
        return row;
    }

    private static GenericRow toRow(RowType rowType, Object json, String where) {
        if (!(json instanceof List)) {
            throw new UsageException(where + " must be an array of column values");
        }
        List<?> values = (List<?>) json;
        if (values.size() != rowType.getFieldCount()) {
            throw new UsageException(where + " has " + values.size() + " values, the table has "
                    + rowType.getFieldCount() + " columns");
        }
        GenericRow row = new GenericRow(values.size());
        for (int i = 0; i < values.size(); i++) {
            row.setField(i, toValue(rowType.getTypeAt(i), values.get(i), where + "[" + i + "]"));
        }
        return row;
    }

    private static Object toValue(DataType type, Object v, String where) {
        if (v == null) {
            return null;
        }
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return (Boolean) v;
            case TINYINT:
                return ((Number) v).byteValue();
            case SMALLINT:
                return ((Number) v).shortValue();
            case INTEGER:
            case DATE:
                return ((Number) v).intValue();
            case TIME_WITHOUT_TIME_ZONE:
                return (int) (((Number) v).longValue() / 1_000_000L);
            case BIGINT:
                return Long.parseLong(v.toString());
            case FLOAT:
                return v instanceof String ? Float.parseFloat((String) v) : ((Number) v).floatValue();
            case DOUBLE:
                return v instanceof String ? Double.parseDouble((String) v) : ((Number) v).doubleValue();
            case DECIMAL: {
                DecimalType d = (DecimalType) type;
                return Decimal.fromBigDecimal(new BigDecimal(v.toString()), d.getPrecision(), d.getScale());
            }
            case CHAR:
            case STRING:
                return BinaryString.fromString((String) v);
            case BINARY:
            case BYTES:
                return hexToBytes((String) v);
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                Map<String, Object> t = asObject(v, where);
                return TimestampNtz.fromMillis(((Number) t.get("millis")).longValue(),
                        ((Number) t.get("nanos")).intValue());
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                Map<String, Object> t = asObject(v, where);
                return TimestampLtz.fromEpochMillis(((Number) t.get("millis")).longValue(),
                        ((Number) t.get("nanos")).intValue());
            }
            case ARRAY: {
                DataType element = ((ArrayType) type).getElementType();
                List<?> l = (List<?>) v;
                Object[] a = new Object[l.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = toValue(element, l.get(i), where + "[" + i + "]");
                }
                return new GenericArray(a);
            }
            case MAP: {
                MapType mt = (MapType) type;
                Map<Object, Object> m = new LinkedHashMap<>();
                for (Object e : (List<?>) v) {
                    List<?> kv = (List<?>) e;
                    m.put(toValue(mt.getKeyType(), kv.get(0), where + ".key"),
                            toValue(mt.getValueType(), kv.get(1), where + ".value"));
                }
                return new GenericMap(m);
            }
            case ROW:
                return toRow((RowType) type, v, where);
            default:
                throw new UsageException(where + ": unsupported type " + type);
        }
    }

    private static List<Object> fromRow(RowType rowType, InternalRow row) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            out.add(fromValue(rowType.getTypeAt(i), row, i));
        }
        return out;
    }

    private static Object fromValue(DataType type, DataGetters g, int i) {
        if (g.isNullAt(i)) {
            return null;
        }
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return g.getBoolean(i);
            case TINYINT:
                return (int) g.getByte(i);
            case SMALLINT:
                return (int) g.getShort(i);
            case INTEGER:
            case DATE:
                return g.getInt(i);
            case TIME_WITHOUT_TIME_ZONE:
                return g.getInt(i) * 1_000_000L;
            case BIGINT:
                return Long.toString(g.getLong(i));
            case FLOAT: {
                float f = g.getFloat(i);
                return Float.isNaN(f) || Float.isInfinite(f) ? Float.toString(f) : (Object) (double) f;
            }
            case DOUBLE: {
                double d = g.getDouble(i);
                return Double.isNaN(d) || Double.isInfinite(d) ? Double.toString(d) : (Object) d;
            }
            case DECIMAL: {
                DecimalType d = (DecimalType) type;
                return g.getDecimal(i, d.getPrecision(), d.getScale()).toBigDecimal().toPlainString();
            }
            case CHAR:
                return g.getChar(i, ((CharType) type).getLength()).toString();
            case STRING:
                return g.getString(i).toString();
            case BINARY:
                return bytesToHex(g.getBinary(i, ((BinaryType) type).getLength()));
            case BYTES:
                return bytesToHex(g.getBytes(i));
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                TimestampNtz t = g.getTimestampNtz(i, ((TimestampType) type).getPrecision());
                return timestamp(t.getMillisecond(), t.getNanoOfMillisecond());
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                TimestampLtz t = g.getTimestampLtz(i, ((LocalZonedTimestampType) type).getPrecision());
                return timestamp(t.getEpochMillisecond(), t.getNanoOfMillisecond());
            }
            case ARRAY: {
                DataType element = ((ArrayType) type).getElementType();
                InternalArray a = g.getArray(i);
                List<Object> l = new ArrayList<>();
                for (int k = 0; k < a.size(); k++) {
                    l.add(fromValue(element, a, k));
                }
                return l;
            }
            case MAP: {
                MapType mt = (MapType) type;
                InternalMap m = g.getMap(i);
                InternalArray keys = m.keyArray();
                InternalArray values = m.valueArray();
                List<Object> l = new ArrayList<>();
                for (int k = 0; k < m.size(); k++) {
                    List<Object> kv = new ArrayList<>();
                    kv.add(fromValue(mt.getKeyType(), keys, k));
                    kv.add(fromValue(mt.getValueType(), values, k));
                    l.add(kv);
                }
                return l;
            }
            case ROW: {
                RowType rt = (RowType) type;
                return fromRow(rt, g.getRow(i, rt.getFieldCount()));
            }
            default:
                throw new UsageException("unsupported type " + type);
        }
    }

    private static Map<String, Object> timestamp(long millis, int nanos) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("millis", millis);
        t.put("nanos", nanos);
        return t;
    }

    private static byte[] hexToBytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static String bytesToHex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%02x", x & 0xff));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------
    // keys and buckets (computed locally with the client's own classes; no cluster is contacted)
    // ------------------------------------------------------------------------------------------

    /** Commands answered without a connection (main() runs them before connecting). */
    private static final java.util.Set<String> LOCAL_COMMANDS = java.util.Set.of("encode-keys", "hash-bytes");

    private static Object runLocal(String command, Map<String, Object> arg) throws Exception {
        if (arg.get("argFile") != null) {
            // Large arguments (thousands of rows) exceed the OS limit of one command-line argument.
            arg = asObject(Json.parse(java.nio.file.Files.readString(java.nio.file.Path.of(str(arg, "argFile")))),
                    "argFile");
        }
        switch (command) {
            case "encode-keys":
                if (arg.get("tables") != null) {
                    // Several table layouts over the same columns and rows, in one JVM.
                    List<Object> results = new ArrayList<>();
                    for (Object t : list(arg, "tables")) {
                        Map<String, Object> merged = new LinkedHashMap<>(arg);
                        merged.remove("tables");
                        merged.putAll(asObject(t, "tables[]"));
                        results.add(encodeKeys(merged));
                    }
                    return results;
                }
                return encodeKeys(arg);
            case "hash-bytes":
                return hashBytes(arg);
            default:
                throw new UsageException("unknown command: " + command);
        }
    }

    /**
     * encode-keys: what the Java client computes for each row before it sends it. The encoders are
     * picked exactly as the client's writers pick them: AppendWriterImpl uses
     * KeyEncoder.ofBucketKeyEncoder; UpsertWriterImpl encodes the physical primary key with
     * KeyEncoder.ofPrimaryKeyEncoder and reuses it as bucket key encoder when the bucket key is the
     * default one; WriterClient assigns the bucket with HashBucketAssigner and
     * BucketingFunction.of(lake format); PartitionGetter derives the partition name. Every row is
     * also encoded as a whole in COMPACTED and INDEXED format (fresh encoders per row, because
     * Java's reused array writers leave stale slot bytes behind null elements).
     */
    private static Object encodeKeys(Map<String, Object> arg) throws Exception {
        Schema.Builder sb = Schema.newBuilder();
        for (Object c : list(arg, "columns")) {
            Map<String, Object> col = asObject(c, "column");
            sb.column(str(col, "name"), DataTypeParser.parse(str(col, "type")));
        }
        List<String> pk = strList(arg, "primaryKeys");
        if (!pk.isEmpty()) {
            sb.primaryKey(pk);
        }
        TableDescriptor.Builder tb = TableDescriptor.builder().schema(sb.build());
        List<String> partitionKeys = strList(arg, "partitionKeys");
        if (!partitionKeys.isEmpty()) {
            tb.partitionedBy(partitionKeys);
        }
        tb.distributedBy(((Number) arg.get("numBuckets")).intValue(), strList(arg, "bucketKeys"));
        tb.properties(strMap(arg, "properties"));
        TableInfo info = TableInfo.of(TablePath.of("probe", "encode_keys"), 1L, 1, tb.build(), 0L, 0L);

        RowType rowType = info.getRowType();
        org.apache.fluss.metadata.DataLakeFormat lake = info.getTableConfig().getDataLakeFormat().orElse(null);
        org.apache.fluss.row.encode.KeyEncoder pkEncoder = info.hasPrimaryKey()
                ? org.apache.fluss.row.encode.KeyEncoder.ofPrimaryKeyEncoder(rowType,
                        info.getPhysicalPrimaryKeys(), info.getTableConfig(), info.isDefaultBucketKey())
                : null;
        org.apache.fluss.row.encode.KeyEncoder bucketEncoder = info.getBucketKeys().isEmpty()
                ? null
                : pkEncoder != null && info.isDefaultBucketKey()
                        ? pkEncoder
                        : org.apache.fluss.row.encode.KeyEncoder.ofBucketKeyEncoder(rowType, info.getBucketKeys(), lake);
        org.apache.fluss.client.write.HashBucketAssigner assigner = bucketEncoder == null
                ? null
                : new org.apache.fluss.client.write.HashBucketAssigner(info.getNumBuckets(),
                        org.apache.fluss.bucketing.BucketingFunction.of(lake));
        org.apache.fluss.client.table.getter.PartitionGetter partitions = info.isPartitioned()
                ? new org.apache.fluss.client.table.getter.PartitionGetter(rowType, info.getPartitionKeys())
                : null;
        DataType[] types = rowType.getChildren().toArray(new DataType[0]);

        List<Object> rows = list(arg, "rows");
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            GenericRow row;
            try {
                row = toRow(rowType, rows.get(i), "rows[" + i + "]");
            } catch (RuntimeException e) {
                m.put("error", String.valueOf(e));
                out.add(m);
                continue;
            }
            try {
                if (bucketEncoder != null) {
                    byte[] bucketKey = bucketEncoder.encodeKey(row);
                    m.put("bucketKey", bytesToHex(bucketKey));
                    m.put("bucket", assigner.assignBucket(bucketKey));
                }
                if (pkEncoder != null) {
                    m.put("key", bytesToHex(pkEncoder.encodeKey(row)));
                }
                if (partitions != null) {
                    m.put("partition", partitions.getPartition(row));
                }
            } catch (RuntimeException e) {
                m.put("error", String.valueOf(e));
            }
            if (!bool(arg, "rowEncodings", true)) {
                out.add(m);
                continue;
            }
            try {
                m.put("compacted", encodeRow(new org.apache.fluss.row.encode.CompactedRowEncoder(types), types, row));
            } catch (RuntimeException e) {
                m.put("compactedError", String.valueOf(e));
            }
            try {
                m.put("indexed", encodeRow(new org.apache.fluss.row.encode.IndexedRowEncoder(types), types, row));
            } catch (RuntimeException e) {
                m.put("indexedError", String.valueOf(e));
            }
            out.add(m);
        }
        return out;
    }

    private static String encodeRow(org.apache.fluss.row.encode.RowEncoder encoder, DataType[] types, InternalRow row) {
        encoder.startNewRow();
        for (int i = 0; i < types.length; i++) {
            encoder.encodeField(i, InternalRow.createFieldGetter(types[i], i).getFieldOrNull(row));
        }
        org.apache.fluss.row.BinaryRow binary = encoder.finishRow();
        byte[] bytes = new byte[binary.getSizeInBytes()];
        binary.copyTo(bytes, 0);
        return bytesToHex(bytes);
    }

    /**
     * hash-bytes {"inputs": [hex, ...], "numBuckets"}: per input, MurmurHashUtils.hashBytes (Fluss's
     * seed-42 hash), MathUtils.murmurHash of it, and the bucket of each BucketingFunction.
     */
    private static Object hashBytes(Map<String, Object> arg) {
        int numBuckets = ((Number) arg.get("numBuckets")).intValue();
        org.apache.fluss.bucketing.BucketingFunction fluss = org.apache.fluss.bucketing.BucketingFunction.of(null);
        org.apache.fluss.bucketing.BucketingFunction paimon =
                org.apache.fluss.bucketing.BucketingFunction.of(org.apache.fluss.metadata.DataLakeFormat.PAIMON);
        org.apache.fluss.bucketing.BucketingFunction iceberg =
                org.apache.fluss.bucketing.BucketingFunction.of(org.apache.fluss.metadata.DataLakeFormat.ICEBERG);
        List<Object> out = new ArrayList<>();
        for (Object o : list(arg, "inputs")) {
            byte[] bytes = hexToBytes((String) o);
            Map<String, Object> m = new LinkedHashMap<>();
            int hash = org.apache.fluss.utils.MurmurHashUtils.hashBytes(bytes);
            m.put("hash", hash);
            m.put("murmurInt", org.apache.fluss.utils.MathUtils.murmurHash(hash));
            m.put("paimon", paimon.bucketing(bytes, numBuckets));
            if (bytes.length > 0) {
                m.put("fluss", fluss.bucketing(bytes, numBuckets));
                m.put("iceberg", iceberg.bucketing(bytes, numBuckets));
            }
            out.add(m);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // argument access
    // ------------------------------------------------------------------------------------------

    private static TablePath path(Map<String, Object> arg) {
        return TablePath.of(str(arg, "database"), str(arg, "table"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new UsageException(what + " must be a JSON object");
        }
        return (Map<String, Object>) o;
    }

    private static String str(Map<String, Object> arg, String key) {
        Object v = arg.get(key);
        if (!(v instanceof String)) {
            throw new UsageException("\"" + key + "\" must be a string");
        }
        return (String) v;
    }

    private static boolean bool(Map<String, Object> arg, String key, boolean dflt) {
        Object v = arg.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean)) {
            throw new UsageException("\"" + key + "\" must be a boolean");
        }
        return (Boolean) v;
    }

    private static List<Object> list(Map<String, Object> arg, String key) {
        Object v = arg.get(key);
        if (!(v instanceof List)) {
            throw new UsageException("\"" + key + "\" must be an array");
        }
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) v;
        return l;
    }

    private static List<String> strList(Map<String, Object> arg, String key) {
        if (arg.get(key) == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : list(arg, key)) {
            if (!(o instanceof String)) {
                throw new UsageException("\"" + key + "\" must be an array of strings");
            }
            out.add((String) o);
        }
        return out;
    }

    private static Map<String, String> strMap(Map<String, Object> arg, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (arg.get(key) == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : asObject(arg.get(key), "\"" + key + "\"").entrySet()) {
            Object v = e.getValue();
            // Fluss properties are strings; accept JSON numbers/booleans for convenience.
            out.put(e.getKey(), v instanceof String ? (String) v : Json.write(v));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Minimal JSON reader/writer (JDK only).
    // ------------------------------------------------------------------------------------------

    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            p.ws();
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) {
                throw p.fail("trailing characters");
            }
            return v;
        }

        private UsageException fail(String why) {
            return new UsageException("invalid JSON argument at offset " + i + ": " + why);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            if (i >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek('}')) {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        if (!peek('"')) {
                            throw fail("expected string key");
                        }
                        String k = string();
                        ws();
                        expect(':');
                        ws();
                        m.put(k, value());
                        ws();
                        if (peek(',')) {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek(']')) {
                        i++;
                        return l;
                    }
                    while (true) {
                        ws();
                        l.add(value());
                        ws();
                        if (peek(',')) {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    return number();
            }
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        private void literal(String word) {
            if (!s.startsWith(word, i)) {
                throw fail("expected " + word);
            }
            i += word.length();
        }

        private Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            if (n.isEmpty()) {
                throw fail("unexpected character '" + s.charAt(start) + "'");
            }
            if (n.contains(".") || n.contains("e") || n.contains("E")) {
                return Double.parseDouble(n);
            }
            return Long.parseLong(n);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: b.append(e);
                }
            }
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof String) {
                quote(b, (String) v);
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else if (v instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (v instanceof Iterable) {
                b.append('[');
                boolean first = true;
                for (Object o : (Iterable<?>) v) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, o);
                }
                b.append(']');
            } else {
                quote(b, v.toString());
            }
        }

        private static void quote(StringBuilder b, String s) {
            b.append('"');
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"': b.append("\\\""); break;
                    case '\\': b.append("\\\\"); break;
                    case '\n': b.append("\\n"); break;
                    case '\r': b.append("\\r"); break;
                    case '\t': b.append("\\t"); break;
                    default:
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                }
            }
            b.append('"');
        }
    }
}
