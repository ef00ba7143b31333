/*
 * Primary-key table driver for the official Apache Fluss Java client (org.apache.fluss:fluss-client),
 * run by bench/kv-throughput.ts next to fluss-edge and pyfluss on the same cluster.
 *
 * Build + classpath:  CP=$(bash bench/peers/build-java-bench.sh)   (with BenchSupport.java)
 * Run:                java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" JavaKvBench \
 *                         --bootstrap 127.0.0.1:9123 --database db --table t --rows 200000 \
 *                         --phase upsert|lookup|latency [--lookups 20000] [--chunk 1000] [--conf k=v]...
 *
 * The table is the one of bench/kv-bench-schema.ts (the orchestrator creates it), holding rows
 * 0..rows-1 for the lookup phases; rows and lookup keys follow that file's formulas. Each phase is
 * timed from its first client call to its last (connecting, opening the table and creating the
 * writer or lookuper are not):
 *   upsert   row i as a GenericRow built in the loop, UpsertWriter#upsert per row (the futures are
 *            not awaited one by one: a callback counts failures), then ONE flush().
 *   lookup   --lookups keys in chunks of --chunk: every Lookuper#lookup(key row) of a chunk made,
 *            then their CompletableFutures joined, then the next chunk (one Lookuper).
 *   latency  --lookups keys one after the other: lookup(key row).join(), each timed.
 * Every lookup's row is checked (found, with its key's name). Prints ONE JSON line on stdout: the
 * KvPhaseResult of bench/kv-bench-schema.ts. Exit 1 with {"error": "..."} on failure.
 */

import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.lookup.LookupResult;
import org.apache.fluss.client.lookup.Lookuper;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.row.InternalRow;
import org.apache.fluss.row.TimestampLtz;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

public final class JavaKvBench {

    /** bench/kv-bench-schema.ts */
    private static final long LOOKUP_KEY_STRIDE = 7919;

    /** Mutated in place by BenchSupport.padded: "name-" + 12 digits. */
    private static final char[] NAME = "name-000000000000".toCharArray();

    public static void main(String[] argv) {
        PrintStream out = BenchSupport.jsonStdout();
        BenchSupport.Args args = BenchSupport.Args.parse(out, argv,
                "--bootstrap", "--database", "--table", "--rows", "--phase", "--lookups", "--chunk", "--conf");
        String bootstrap = args.get("--bootstrap", null), database = args.get("--database", null);
        String table = args.get("--table", null), phase = args.get("--phase", "");
        long rows = Long.parseLong(args.get("--rows", "0"));
        int lookups = Integer.parseInt(args.get("--lookups", "0"));
        int chunk = Integer.parseInt(args.get("--chunk", "1000"));
        if (bootstrap == null || database == null || table == null || rows <= 0 || chunk <= 0
                || !(phase.equals("upsert") || phase.equals("lookup") || phase.equals("latency"))) {
            BenchSupport.fail(out, "usage: JavaKvBench --bootstrap h:p --database d --table t --rows N --phase upsert|lookup|latency");
        }
        try {
            // Not closed: Connection#close() waits out netty's quiet period; the JVM is halted.
            Connection connection = ConnectionFactory.createConnection(
                    BenchSupport.configuration(out, bootstrap, args.all("--conf")));
            Table t = connection.getTable(TablePath.of(database, table));
            if (!t.getTableInfo().getPrimaryKeys().equals(List.of("id"))) {
                throw new IllegalStateException("table " + database + "." + table + " is not the KV bench table");
            }
            String json = phase.equals("upsert") ? upsert(t, rows)
                    : phase.equals("lookup") ? lookups(t, rows, lookups, chunk)
                    : latency(t, rows, lookups);
            BenchSupport.succeed(out, json);
        } catch (Throwable e) {
            e.printStackTrace(System.err);
            BenchSupport.fail(out, String.valueOf(e));
        }
    }

    private static String upsert(Table table, long rows) {
        UpsertWriter writer = table.newUpsert().createWriter();
        BenchSupport.Failures failures = new BenchSupport.Failures();
        BenchSupport.PhaseClock clock = new BenchSupport.PhaseClock();
        for (long i = 0; i < rows; i++) {
            GenericRow row = new GenericRow(5);
            row.setField(0, i);
            row.setField(1, BinaryString.fromString(BenchSupport.padded(NAME, 5, i)));
            row.setField(2, i * 0.5);
            row.setField(3, TimestampLtz.fromEpochMillis(1_700_000_000_000L + i));
            row.setField(4, (int) ((i * 7) % 1000003));
            failures.watch(writer.upsert(row));
        }
        writer.flush();
        BenchSupport.Timing timing = clock.stop();
        failures.check("upserts");
        return json(rows, timing, "UpsertWriter.upsert(GenericRow) per row + one flush()", "");
    }

    private static String lookups(Table table, long rows, int lookups, int chunk) {
        Lookuper lookuper = table.newLookup().createLookuper();
        List<CompletableFuture<LookupResult>> pending = new ArrayList<>(chunk);
        BenchSupport.PhaseClock clock = new BenchSupport.PhaseClock();
        for (long start = 0; start < lookups; start += chunk) {
            pending.clear();
            long end = Math.min(lookups, start + chunk);
            for (long j = start; j < end; j++) {
                pending.add(lookuper.lookup(GenericRow.of(lookupKey(j, rows))));
            }
            for (int k = 0; k < pending.size(); k++) {
                check(pending.get(k).join(), lookupKey(start + k, rows));
            }
        }
        BenchSupport.Timing timing = clock.stop();
        return json(lookups, timing, "Lookuper.lookup(GenericRow) CompletableFutures joined in chunks of " + chunk + " (one Lookuper)",
                ",\"checked\":" + lookups);
    }

    private static String latency(Table table, long rows, int lookups) {
        Lookuper lookuper = table.newLookup().createLookuper();
        StringBuilder latencies = new StringBuilder(",\"checked\":" + lookups + ",\"latenciesMs\":[");
        BenchSupport.PhaseClock clock = new BenchSupport.PhaseClock();
        for (long j = 0; j < lookups; j++) {
            long key = lookupKey(j, rows);
            long t0 = System.nanoTime();
            LookupResult result = lookuper.lookup(GenericRow.of(key)).join();
            double ms = (System.nanoTime() - t0) / 1e6;
            check(result, key);
            latencies.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", ms));
        }
        BenchSupport.Timing timing = clock.stop();
        return json(lookups, timing, "Lookuper.lookup(GenericRow).join() one after the other (one Lookuper)", latencies.append(']').toString());
    }

    private static long lookupKey(long j, long rows) {
        return (j * LOOKUP_KEY_STRIDE) % rows;
    }

    /** A lookup's row must be there and be its key's: a benchmark that finds nothing must not look fast. */
    private static void check(LookupResult result, long key) {
        InternalRow row = result.getSingletonRow();
        if (row == null) {
            throw new IllegalStateException("lookup of key " + key + " found no row");
        }
        String expected = BenchSupport.padded(NAME, 5, key);
        String name = row.getString(1).toString();
        if (!name.equals(expected)) {
            throw new IllegalStateException("lookup of key " + key + " found name " + name + ", expected " + expected);
        }
    }

    private static String json(long operations, BenchSupport.Timing timing, String api, String extra) {
        double seconds = timing.seconds();
        return "{\"operations\":" + operations
                + ",\"seconds\":" + String.format(Locale.ROOT, "%.4f", seconds)
                + ",\"cpuMs\":" + timing.cpuMs()
                + ",\"perSec\":" + String.format(Locale.ROOT, "%.1f", operations / seconds)
                + ",\"api\":\"" + api + "\",\"client\":\"java\"" + extra + "}";
    }
}
