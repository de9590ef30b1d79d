package octoquant.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import octoquant.engine.kernels.Kernels;
import octoquant.engine.kernels.VectorizationProvider;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How steady the machine is, part by part: on a shared host a slow spell can come from the cores (another
 * guest's work on the same physical core) or from the caches and memory they share. Each probe runs on
 * {@code --threads} threads at once for {@code --seconds}, timed in windows of about a millisecond, and
 * reports the windows' per-thread throughput:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.HostNoise \
 *      [--threads 2] [--seconds 2]
 * </pre>
 *
 * Probes: {@code fma} (GFLOP/s of {@link FmaPeak}'s independent FMA chains: the cores alone), then
 * {@code y += a·x} over two arrays per thread (GB/s, 12 bytes per element) sized to stay in a core's L2
 * ({@code l2}: a quarter of it), in the shared L3 ({@code l3}: all threads together a quarter of it) and
 * beyond it ({@code dram}: four times it). Cache sizes come from {@code /sys/devices/system/cpu/cpu0/cache}
 * (1 MB and 32 MB when not readable). Prints {@code noise <probe> median <value>} and
 * {@code noise <probe> p5_over_median <ratio>} lines (the 5th percentile over the median: 1 on a steady
 * machine, lower the more the slow windows cost) and '#' comments. Bad arguments: one line on stderr, exit 2.
 */
public final class HostNoise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Work per timed window: about a millisecond on the machines these sessions get (0.4–2 ms). */
    private static final long FMA_ITERATIONS = 400_000;
    private static final long STREAM_BYTES_PER_WINDOW = 128L << 20;

    private HostNoise() {}

    public static void main(String[] args) throws InterruptedException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("HostNoise: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(o, System.out);
    }

    static void run(Options o, PrintStream out) throws InterruptedException {
        long l2 = cacheBytes(2, 1L << 20), l3 = cacheBytes(3, 32L << 20);
        out.printf(Locale.ROOT, "# host noise: %d thread(s), %.1f s per probe, windows of ~1 ms; L2 %d KB per core, L3 %d KB; %s%n",
                o.threads, o.seconds, l2 >> 10, l3 >> 10, FmaPeak.cpuLine());
        report(out, "fma_gflops", windows(o, id -> fmaWindow(1f + id)));
        report(out, "l2_stream_gbs", streams(o, l2 / 4 / 2 / Float.BYTES));
        report(out, "l3_stream_gbs", streams(o, l3 / 4 / o.threads / 2 / Float.BYTES));
        report(out, "dram_stream_gbs", streams(o, l3 * 4 / o.threads / 2 / Float.BYTES));
    }

    /** One timed window of the FMA chains, in GFLOP/s. */
    private static double fmaWindow(float seed) {
        long t0 = System.nanoTime();
        float s = FmaPeak.chains(FMA_ITERATIONS, seed);
        long dt = System.nanoTime() - t0;
        if (s == 12345.678f) System.out.println("#"); // the result is used, so the loop stays
        return (double) FMA_ITERATIONS * FmaPeak.CHAINS * S.length() * 2 / dt;
    }

    /** The stream probe with two arrays of {@code floats} floats per thread, in GB/s per window. */
    private static double[] streams(Options o, long floats) throws InterruptedException {
        int n = (int) Math.max(S.length(), Math.min(Integer.MAX_VALUE - 64, floats) / S.length() * S.length());
        int passes = (int) Math.max(1, STREAM_BYTES_PER_WINDOW / (12L * n));
        float[][] xs = new float[o.threads][], ys = new float[o.threads][];
        for (int t = 0; t < o.threads; t++) {
            xs[t] = new float[n];
            ys[t] = new float[n];
            Arrays.fill(xs[t], 1f);
        }
        // The engine's own y += a·x (two loads and a store per vector on the Vector API backend).
        Kernels kern = VectorizationProvider.get().kernels();
        return windows(o, id -> {
            long t0 = System.nanoTime();
            for (int p = 0; p < passes; p++) kern.axpy(1e-7f, xs[id], 0, ys[id], 0, n);
            return 12.0 * n * passes / (System.nanoTime() - t0);
        });
    }

    @FunctionalInterface
    interface Window {
        /** One timed window on thread {@code id}: its throughput. */
        double run(int id);
    }

    /**
     * Runs {@code window} over and over on every thread at once: a warm-up of a quarter of the time (the
     * JIT, the arrays paged in), then {@code o.seconds}; returns every thread's window throughputs, sorted.
     */
    private static double[] windows(Options o, Window window) throws InterruptedException {
        double[][] results = new double[o.threads][];
        int[] counts = new int[o.threads];
        long warmNanos = (long) (o.seconds * 0.25e9), runNanos = (long) (o.seconds * 1e9);
        Together.run(o.threads, id -> {
            long warmEnd = System.nanoTime() + warmNanos;
            while (System.nanoTime() < warmEnd) window.run(id);
            double[] r = new double[1024];
            int c = 0;
            long end = System.nanoTime() + runNanos;
            while (c == 0 || System.nanoTime() < end) {
                if (c == r.length) r = Arrays.copyOf(r, 2 * c);
                r[c++] = window.run(id);
            }
            results[id] = r;
            counts[id] = c;
        });
        int total = 0;
        for (int c : counts) total += c;
        double[] all = new double[total];
        for (int t = 0, at = 0; t < o.threads; at += counts[t], t++) System.arraycopy(results[t], 0, all, at, counts[t]);
        Arrays.sort(all);
        return all;
    }

    /** The lines for one probe from its sorted window throughputs. */
    static void report(PrintStream out, String probe, double[] sorted) {
        double median = percentile(sorted, 50), p5 = percentile(sorted, 5);
        out.printf(Locale.ROOT, "# %s: %d windows, p5 %.1f, median %.1f, p95 %.1f%n", probe, sorted.length, p5, median,
                percentile(sorted, 95));
        out.printf(Locale.ROOT, "noise %s median %.1f%n", probe, median);
        out.printf(Locale.ROOT, "noise %s p5_over_median %.3f%n", probe, p5 / median);
    }

    /** The value at {@code pct} percent of a sorted, non-empty array (nearest rank). */
    static double percentile(double[] sorted, double pct) {
        int rank = (int) Math.ceil(pct / 100 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** A cache level's size in bytes from cpu0's sysfs entry (per core for L2, shared for L3), or the fallback. */
    private static long cacheBytes(int level, long fallback) {
        for (int index = 0; index < 8; index++) {
            Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index);
            try {
                if (!Files.readString(dir.resolve("level")).trim().equals(String.valueOf(level))) continue;
                if (Files.readString(dir.resolve("type")).trim().equals("Instruction")) continue;
                String size = Files.readString(dir.resolve("size")).trim();
                long unit = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1 << 20 : 1;
                return Long.parseLong(size.replaceAll("[KM]$", "")) * unit;
            } catch (IOException | NumberFormatException e) {
                // not there or not readable: try the next index, then the fallback
            }
        }
        return fallback;
    }

    /** The command line, checked. */
    static final class Options {
        int threads = 2;
        double seconds = 2;

        static Options parse(String[] args) {
            Options o = new Options();
            OptionValues.pairs(args, 0, (flag, v) -> {
                switch (flag) {
                    case "--threads": o.threads = OptionValues.positive(flag, v); break;
                    case "--seconds": o.seconds = OptionValues.seconds(flag, v); break;
                    default: throw new IllegalArgumentException("unknown option " + flag + " (use --threads, --seconds)");
                }
            });
            if (o.seconds <= 0) throw new IllegalArgumentException("--seconds must be positive");
            return o;
        }
    }
}
