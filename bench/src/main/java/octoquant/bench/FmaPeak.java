package octoquant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's FMA peak from Java (the C twin is {@code bench/fma/fma_peak.c}; {@code bench/fma-peak.sh}
 * runs both): independent chains of Vector API fused multiply-adds, GFLOP/s on 1 and 2 threads.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.FmaPeak [seconds per run]
 * </pre>
 *
 * Each thread keeps 16 accumulators of the preferred species (512 bits, 16 floats, on an AVX-512 CPU) and
 * updates each with one FMA per iteration; the chains are independent, so the core can keep as many FMAs in
 * flight as pipes × latency (2 × 4 on AMD Zen 4/5). The accumulators are separate locals, never an array
 * or a helper's arguments, so C2 keeps them in registers instead of boxing them. Each figure is the best of
 * 5 runs after a warm-up that gets the loop compiled. Prints {@code fma java <metric> <value>} lines and
 * '#' comments; exit code 2 for a bad argument.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int CHAINS = 16;
    private static final int RUNS = 5;

    private FmaPeak() {}

    public static void main(String[] args) throws InterruptedException {
        double seconds = 0.3;
        try {
            if (args.length > 1) throw new NumberFormatException();
            if (args.length == 1) seconds = Double.parseDouble(args[0]);
            if (!(seconds > 0 && seconds <= 60)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            System.err.println("FmaPeak: the only argument is the seconds per run, in (0, 60], got '" + String.join(" ", args) + "'");
            System.exit(2);
        }
        System.out.println("# CPU: " + cpuLine());
        System.out.printf(Locale.ROOT, "# fma java: %d independent chains of %d-bit Vector API FMAs per thread (%d flops each), "
                + "best of %d runs of ~%.2f s, java %s%n", CHAINS, S.vectorBitSize(), 2 * S.length(), RUNS, seconds,
                System.getProperty("java.version"));
        long w0 = System.nanoTime();
        while (System.nanoTime() - w0 < 1_000_000_000L) chains(10_000, 1f); // C2 compiles the loop
        long probe = 4_000_000;
        long iters = (long) (probe / timed(1, probe) * seconds);
        for (int threads = 1; threads <= 2; threads++) {
            double best = 0;
            for (int r = 0; r < RUNS; r++) {
                double gflops = (double) threads * iters * CHAINS * S.length() * 2 / timed(threads, iters) / 1e9;
                best = Math.max(best, gflops);
            }
            System.out.printf(Locale.ROOT, "fma java gflops_%d%s %.1f%n", threads, threads == 1 ? "thread" : "threads", best);
        }
    }

    /** Wall seconds for {@code threads} threads each running {@code iters} iterations at once. */
    private static double timed(int threads, long iters) throws InterruptedException {
        float[] sink = new float[threads];
        double dt = Together.run(threads, id -> sink[id] = chains(iters, 1f + id));
        if (sink[0] == 12345.678f) System.out.println("#"); // the results are used, so the loop stays
        return dt;
    }

    /** acc = acc·m + a on 16 independent accumulators; m slightly below 1 keeps every value finite. */
    static float chains(long iters, float seed) {
        FloatVector m = FloatVector.broadcast(S, 1f - seed * 1e-7f), a = FloatVector.broadcast(S, seed * 1e-3f);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = FloatVector.broadcast(S, seed + 1);
        FloatVector c2 = FloatVector.broadcast(S, seed + 2), c3 = FloatVector.broadcast(S, seed + 3);
        FloatVector c4 = FloatVector.broadcast(S, seed + 4), c5 = FloatVector.broadcast(S, seed + 5);
        FloatVector c6 = FloatVector.broadcast(S, seed + 6), c7 = FloatVector.broadcast(S, seed + 7);
        FloatVector c8 = FloatVector.broadcast(S, seed + 8), c9 = FloatVector.broadcast(S, seed + 9);
        FloatVector c10 = FloatVector.broadcast(S, seed + 10), c11 = FloatVector.broadcast(S, seed + 11);
        FloatVector c12 = FloatVector.broadcast(S, seed + 12), c13 = FloatVector.broadcast(S, seed + 13);
        FloatVector c14 = FloatVector.broadcast(S, seed + 14), c15 = FloatVector.broadcast(S, seed + 15);
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a);
            c4 = c4.fma(m, a); c5 = c5.fma(m, a); c6 = c6.fma(m, a); c7 = c7.fma(m, a);
            c8 = c8.fma(m, a); c9 = c9.fma(m, a); c10 = c10.fma(m, a); c11 = c11.fma(m, a);
            c12 = c12.fma(m, a); c13 = c13.fma(m, a); c14 = c14.fma(m, a); c15 = c15.fma(m, a);
        }
        FloatVector s = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)))
                .add(c8.add(c9).add(c10.add(c11)).add(c12.add(c13).add(c14.add(c15))));
        return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** "family F, model M, model name N" from /proc/cpuinfo's first processor, or why not. */
    static String cpuLine() {
        String family = "?", model = "?", name = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
                if (key.equals("cpu family") && family.equals("?")) family = value;
                else if (key.equals("model") && model.equals("?")) model = value;
                else if (key.equals("model name") && name.equals("?")) name = value;
            }
        } catch (IOException e) {
            return "/proc/cpuinfo not readable (" + e.getMessage() + ")";
        }
        return "family " + family + ", model " + model + ", model name " + name;
    }
}
