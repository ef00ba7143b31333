/*
 * Log throughput driver for the official Apache Fluss Java client (org.apache.fluss:fluss-client),
 * run by bench/log-throughput.ts next to fluss-edge and pyfluss on the same cluster and tables.
 *
 * Build + classpath:  CP=$(bash bench/peers/build-java-bench.sh)   (with BenchSupport.java)
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
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.Decimal;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.TimestampLtz;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class JavaLogBench {

    private static final long SCAN_TIMEOUT_MS = 600_000;

    public static void main(String[] argv) throws Exception {
        PrintStream out = BenchSupport.jsonStdout();
        BenchSupport.Args args = BenchSupport.Args.parse(out, argv,
                "--bootstrap", "--database", "--table", "--rows", "--phase", "--schema", "--conf");
        String bootstrap = args.get("--bootstrap", null), database = args.get("--database", null);
        String table = args.get("--table", null), phase = args.get("--phase", "both");
        String schema = args.get("--schema", "bench/log-schema.json");
        long rows = Long.parseLong(args.get("--rows", "-1"));
        if (bootstrap == null || database == null || table == null || rows < 0
                || !(phase.equals("append") || phase.equals("scan") || phase.equals("both"))) {
            BenchSupport.fail(out, "usage: JavaLogBench --bootstrap h:p --database d --table t --rows N [--phase append|scan|both]");
        }
        double bytesPerRow = bytesPerRow(schema);

        StringBuilder json = new StringBuilder();
        json.append("{\"client\":\"java\",\"rows\":").append(rows).append(",\"bytesPerRow\":").append(bytesPerRow);
        try {
            // Not closed: Connection#close() waits out netty's quiet period; the JVM is halted below.
            Connection connection = ConnectionFactory.createConnection(
                    BenchSupport.configuration(out, bootstrap, args.all("--conf")));
            Table t = connection.getTable(TablePath.of(database, table));
            if (t.getTableInfo().getRowType().getFieldCount() != 10) {
                throw new IllegalStateException("table " + database + "." + table + " is not the 10-column bench table");
            }
            if (!phase.equals("scan")) {
                BenchSupport.Timing timing = append(t, rows);
                json.append(",\"append\":").append(phaseJson(rows, timing, bytesPerRow,
                        "AppendWriter.append(GenericRow) per row + one flush()", null));
            }
            if (!phase.equals("append")) {
                long[] sum = new long[1];
                BenchSupport.Timing timing = scan(t, rows, sum);
                json.append(",\"scan\":").append(phaseJson(rows, timing, bytesPerRow,
                        "LogScanner.poll(100 ms) (row records)", sum[0]));
            }
        } catch (Throwable e) {
            e.printStackTrace(System.err);
            BenchSupport.fail(out, String.valueOf(e));
        }
        json.append('}');
        BenchSupport.succeed(out, json.toString());
    }

    private static BenchSupport.Timing append(Table table, long rows) throws Exception {
        AppendWriter writer = table.newAppend().createWriter();
        BenchSupport.Failures failures = new BenchSupport.Failures();
        char[] s16 = "s16-000000000000".toCharArray();
        char[] s32 = "payload-000000000000000000000000".toCharArray();
        BenchSupport.PhaseClock clock = new BenchSupport.PhaseClock();
        for (long i = 0; i < rows; i++) {
            GenericRow row = new GenericRow(10);
            row.setField(0, i);
            row.setField(1, (int) ((i * 7) % 1000003));
            row.setField(2, i * 1000003L);
            row.setField(3, i * 0.5);
            row.setField(4, (float) ((i % 1000) * 0.25));
            row.setField(5, i % 3 == 0);
            row.setField(6, BinaryString.fromString(BenchSupport.padded(s16, 4, i)));
            row.setField(7, BinaryString.fromString(BenchSupport.padded(s32, 8, i)));
            row.setField(8, TimestampLtz.fromEpochMillis(1_700_000_000_000L + i));
            row.setField(9, Decimal.fromUnscaledLong(i % 10_000_000L, 10, 2));
            failures.watch(writer.append(row));
        }
        writer.flush();
        BenchSupport.Timing timing = clock.stop();
        failures.check("appends");
        return timing;
    }

    private static BenchSupport.Timing scan(Table table, long rows, long[] idSum) throws Exception {
        int buckets = table.getTableInfo().getNumBuckets();
        BenchSupport.PhaseClock clock = new BenchSupport.PhaseClock();
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
        BenchSupport.Timing timing = clock.stop();
        if (seen != rows) {
            throw new IllegalStateException("scan read " + seen + " rows, expected " + rows);
        }
        idSum[0] = sum;
        return timing;
    }

    private static String phaseJson(long rows, BenchSupport.Timing timing, double bytesPerRow, String api, Long idSum) {
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
}
