/*
 * Log throughput driver for the official Apache Fluss Java client (org.apache.fluss:fluss-client),
 * run by bench/log-throughput.ts next to fluss-edge and pyfluss on the same cluster and tables.
 *
 * Build + classpath:  CP=$(bash bench/peers/build-java-bench.sh)
 * Run:                java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" JavaLogBench \
 *                         --bootstrap 127.0.0.1:9123 --database db --table t --rows 1000000 \
 *                         [--phase append|scan|both] [--schema bench/log-schema.json] [--conf k=v]...
 *
 * The table must exist with the 10 columns of bench/log-schema.json (the orchestrator creates it).
 * Phases, each timed from its first client call to its last (connection setup excluded):
 *   append  row i of the schema's formulas as a GenericRow built in the loop, AppendWriter#append
 *           for every row (the futures are not awaited one by one: a callback counts failures),
 *           then ONE flush(). This is the Java client's normal bulk path (it batches into Arrow).
 *   scan    LogScanner subscribed from the beginning of every bucket, poll(100 ms) until N records
 *           arrived; every record's row is touched (id summed) so nothing is left unread.
 * Prints ONE JSON line on stdout:
 *   {"client":"java","rows":N,"bytesPerRow":B,"append":{"rows","seconds","cpuMs","rowsPerSec","mbPerSec",
 *    "api"},"scan":{...,"idSum"}}
 * MB = rows × bytesPerRow / 10^6 (bench/log-schema.json). Logs go to stderr. Exit 1 on failure
 * with {"error": "..."}.
 */

import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.scanner.ScanRecord;
import org.apache.fluss.client.table.scanner.log.LogScanner;
import org.apache.fluss.client.table.scanner.log.ScanRecords;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.Decimal;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.TimestampLtz;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class JavaLogBench {

    private static final long SCAN_TIMEOUT_MS = 600_000;

    public static void main(String[] argv) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        String bootstrap = null, database = null, table = null, phase = "both", schema = "bench/log-schema.json";
        long rows = -1;
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            String v = i + 1 < argv.length ? argv[i + 1] : null;
            if (v == null) {
                fail(out, a + " requires a value");
            }
            i++;
            switch (a) {
                case "--bootstrap": bootstrap = v; break;
                case "--database": database = v; break;
                case "--table": table = v; break;
                case "--rows": rows = Long.parseLong(v); break;
                case "--phase": phase = v; break;
                case "--schema": schema = v; break;
                case "--conf": {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        fail(out, "--conf expects key=value");
                    }
                    conf.put(v.substring(0, eq), v.substring(eq + 1));
                    break;
                }
                default: fail(out, "unknown argument " + a);
            }
        }
        if (bootstrap == null || database == null || table == null || rows < 0
                || !(phase.equals("append") || phase.equals("scan") || phase.equals("both"))) {
            fail(out, "usage: JavaLogBench --bootstrap h:p --database d --table t --rows N [--phase append|scan|both]");
        }
        double bytesPerRow = bytesPerRow(schema);

        Configuration configuration = new Configuration();
        configuration.setString("bootstrap.servers", bootstrap);
        conf.forEach(configuration::setString);
        StringBuilder json = new StringBuilder();
        json.append("{\"client\":\"java\",\"rows\":").append(rows).append(",\"bytesPerRow\":").append(bytesPerRow);
        try {
            // Not closed: Connection#close() waits out netty's quiet period; the JVM is halted below.
            Connection connection = ConnectionFactory.createConnection(configuration);
            Table t = connection.getTable(TablePath.of(database, table));
            if (t.getTableInfo().getRowType().getFieldCount() != 10) {
                throw new IllegalStateException("table " + database + "." + table + " is not the 10-column bench table");
            }
            if (!phase.equals("scan")) {
                Timing timing = append(t, rows);
                json.append(",\"append\":").append(phaseJson(rows, timing, bytesPerRow,
                        "AppendWriter.append(GenericRow) per row + one flush()", null));
            }
            if (!phase.equals("append")) {
                long[] sum = new long[1];
                Timing timing = scan(t, rows, sum);
                json.append(",\"scan\":").append(phaseJson(rows, timing, bytesPerRow,
                        "LogScanner.poll(100 ms) (row records)", sum[0]));
            }
        } catch (Throwable e) {
            e.printStackTrace(System.err);
            fail(out, String.valueOf(e));
        }
        json.append('}');
        out.println(json);
        out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** A phase's wall time and the CPU time of the whole JVM (every thread: JIT, GC, netty), as the other drivers report them. */
    private record Timing(double seconds, long cpuMs) {}

    /** Started right before a phase, like the other drivers' clocks. */
    private static final class PhaseClock {
        private final long t0 = System.nanoTime();
        private final long cpu0 = processCpuNanos();

        long elapsedNanos() {
            return System.nanoTime() - t0;
        }

        Timing stop() {
            double seconds = elapsedNanos() / 1e9;
            return new Timing(seconds, Math.round((processCpuNanos() - cpu0) / 1e6));
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    private static Timing append(Table table, long rows) throws Exception {
        AppendWriter writer = table.newAppend().createWriter();
        AtomicLong failures = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        char[] s16 = "s16-000000000000".toCharArray();
        char[] s32 = "payload-000000000000000000000000".toCharArray();
        PhaseClock clock = new PhaseClock();
        for (long i = 0; i < rows; i++) {
            GenericRow row = new GenericRow(10);
            row.setField(0, i);
            row.setField(1, (int) ((i * 7) % 1000003));
            row.setField(2, i * 1000003L);
            row.setField(3, i * 0.5);
            row.setField(4, (float) ((i % 1000) * 0.25));
            row.setField(5, i % 3 == 0);
            row.setField(6, BinaryString.fromString(padded(s16, 4, i)));
            row.setField(7, BinaryString.fromString(padded(s32, 8, i)));
            row.setField(8, TimestampLtz.fromEpochMillis(1_700_000_000_000L + i));
            row.setField(9, Decimal.fromUnscaledLong(i % 10_000_000L, 10, 2));
            writer.append(row).whenComplete((r, e) -> {
                if (e != null && failures.getAndIncrement() == 0) {
                    firstFailure.set(e);
                }
            });
        }
        writer.flush();
        Timing timing = clock.stop();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " appends failed", firstFailure.get());
        }
        return timing;
    }

    private static Timing scan(Table table, long rows, long[] idSum) throws Exception {
        int buckets = table.getTableInfo().getNumBuckets();
        PhaseClock clock = new PhaseClock();
        long seen = 0;
        long sum = 0;
        try (LogScanner scanner = table.newScan().createLogScanner()) {
            for (int b = 0; b < buckets; b++) {
                scanner.subscribeFromBeginning(b);
            }
            while (seen < rows) {
                if (clock.elapsedNanos() > SCAN_TIMEOUT_MS * 1_000_000L) {
                    throw new IllegalStateException("scan timed out after " + seen + " of " + rows + " rows");
                }
                ScanRecords records = scanner.poll(Duration.ofMillis(100));
                for (ScanRecord record : records) {
                    sum += record.getRow().getLong(0);
                    seen++;
                }
            }
        }
        Timing timing = clock.stop();
        if (seen != rows) {
            throw new IllegalStateException("scan read " + seen + " rows, expected " + rows);
        }
        idSum[0] = sum;
        return timing;
    }

    /** The template with `i` written as zero-padded decimal digits from `from` to its end. */
    private static String padded(char[] template, int from, long i) {
        for (int k = template.length - 1; k >= from; k--) {
            template[k] = (char) ('0' + (i % 10));
            i /= 10;
        }
        return new String(template);
    }

    private static String phaseJson(long rows, Timing timing, double bytesPerRow, String api, Long idSum) {
        double seconds = timing.seconds();
        StringBuilder b = new StringBuilder();
        b.append("{\"rows\":").append(rows)
                .append(",\"seconds\":").append(String.format(Locale.ROOT, "%.4f", seconds))
                .append(",\"cpuMs\":").append(timing.cpuMs())
                .append(",\"rowsPerSec\":").append(String.format(Locale.ROOT, "%.1f", rows / seconds))
                .append(",\"mbPerSec\":").append(String.format(Locale.ROOT, "%.3f", rows * bytesPerRow / 1e6 / seconds))
                .append(",\"api\":\"").append(api).append('"');
        if (idSum != null) {
            b.append(",\"idSum\":\"").append(idSum).append('"');
        }
        return b.append('}').toString();
    }

    private static double bytesPerRow(String schemaPath) throws Exception {
        String text = Files.readString(Path.of(schemaPath));
        Matcher m = Pattern.compile("\"bytesPerRow\"\\s*:\\s*([0-9.]+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no bytesPerRow in " + schemaPath);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void fail(PrintStream out, String message) {
        out.println("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"}");
        out.flush();
        Runtime.getRuntime().halt(1);
    }
}
