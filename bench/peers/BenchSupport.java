/*
 * What the Java benchmark drivers (JavaLogBench, JavaKvBench) share, compiled with them by
 * bench/peers/build-java-bench.sh: their stdout kept for ONE JSON line, `--name value` arguments,
 * the client configuration, the phase clock (wall time and the JVM's process CPU, as every driver
 * reports them), counting failed writes without awaiting each, and the end of the process.
 */

import org.apache.fluss.config.Configuration;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

final class BenchSupport {

    private BenchSupport() {}

    /**
     * Quiet client logs, and stdout kept for the result: whatever else the JVM or the client
     * prints goes to stderr, so that the orchestrator's last line of stdout is the JSON.
     */
    static PrintStream jsonStdout() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        return out;
    }

    /** `--name value` pairs; a name may be given more than once (--conf). Unknown names fail. */
    static final class Args {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        static Args parse(PrintStream out, String[] argv, String... names) {
            Args args = new Args();
            Set<String> known = Set.of(names);
            for (int i = 0; i < argv.length; i += 2) {
                if (!known.contains(argv[i])) {
                    fail(out, "unknown argument " + argv[i]);
                }
                if (i + 1 >= argv.length) {
                    fail(out, argv[i] + " requires a value");
                }
                args.values.computeIfAbsent(argv[i], k -> new ArrayList<>()).add(argv[i + 1]);
            }
            return args;
        }

        /** The last value given for `name`, or `fallback`. */
        String get(String name, String fallback) {
            List<String> v = values.get(name);
            return v == null ? fallback : v.get(v.size() - 1);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }

    /** The client configuration: `bootstrap.servers` and each `--conf key=value`. */
    static Configuration configuration(PrintStream out, String bootstrap, List<String> conf) {
        Configuration configuration = new Configuration();
        configuration.setString("bootstrap.servers", bootstrap);
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                fail(out, "--conf expects key=value");
            }
            configuration.setString(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return configuration;
    }

    /** A phase's wall time and the CPU time of the whole JVM (every thread: JIT, GC, netty), as the other drivers report them. */
    record Timing(double seconds, long cpuMs) {}

    /** Started right before a phase, like the other drivers' clocks. */
    static final class PhaseClock {
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

    /** Counts the writes that failed, from callbacks: the bulk loops do not await their futures one by one. */
    static final class Failures {
        private final AtomicLong count = new AtomicLong();
        private final AtomicReference<Throwable> first = new AtomicReference<>();

        void watch(CompletableFuture<?> future) {
            future.whenComplete((r, e) -> {
                if (e != null && count.getAndIncrement() == 0) {
                    first.set(e);
                }
            });
        }

        /** Throws when any watched write failed (call after flush()). */
        void check(String what) {
            if (count.get() > 0) {
                throw new IllegalStateException(count.get() + " " + what + " failed", first.get());
            }
        }
    }

    /** The template with `i` written as zero-padded decimal digits from `from` to its end. */
    static String padded(char[] template, int from, long i) {
        for (int k = template.length - 1; k >= from; k--) {
            template[k] = (char) ('0' + (i % 10));
            i /= 10;
        }
        return new String(template);
    }

    /** Prints the result line and ends the JVM at once (Connection#close() would wait out netty's quiet period). */
    static void succeed(PrintStream out, String json) {
        out.println(json);
        out.flush();
        Runtime.getRuntime().halt(0);
    }

    static void fail(PrintStream out, String message) {
        out.println("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"}");
        out.flush();
        Runtime.getRuntime().halt(1);
    }
}
