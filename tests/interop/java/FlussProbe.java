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
 *
 * Column types are Fluss type strings parsed by Fluss's own org.apache.fluss.types.DataTypeParser
 * (e.g. "INT NOT NULL", "DECIMAL(10, 2)", "TIMESTAMP_LTZ(3)", "ARRAY<STRING>", "MAP<STRING, INT>",
 * "ROW<a INT, b STRING>"). Types are printed with DataType#toString() (== asSummaryString()),
 * e.g. "ROW<`a` INT, `b` STRING> NOT NULL", "TIMESTAMP_LTZ(3)", "DECIMAL(10, 2)".
 *
 * Only JDK classes and the public fluss-client API are used (no shaded internals), so the
 * same source compiles against newer client versions.
 */

import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
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
import org.apache.fluss.rpc.protocol.Errors;
import org.apache.fluss.types.DataType;
import org.apache.fluss.types.DataTypeParser;

import java.io.PrintStream;
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
            Object value = run(admin, command, arg);
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

    private static Object run(Admin admin, String command, Map<String, Object> arg) throws Exception {
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
