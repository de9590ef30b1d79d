package octoquant.bench;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A quick single-thread probe (Parallel set to 1 thread) of {@code decodeRows} for a shared, loaded machine: millions of decoded
 * weights per second of this thread's CPU time (and per wall-clock second), for the MNIST MLP's first
 * layer (128 × 784) in each scheme given. Not a replacement for {@link QuantDecodeBenchmark} (no forks,
 * crude warm-up); it shows what the decoder does while it holds a core. Usage: {@code java -cp
 * benchmarks.jar octoquant.bench.QuantDecodeCpuTime seconds scheme...}.
 */
public final class QuantDecodeCpuTime {
    private QuantDecodeCpuTime() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: QuantDecodeCpuTime seconds scheme... (e.g. 2 int8-pc quant8 octal8)");
            System.exit(2);
        }
        double seconds = Double.parseDouble(args[0]);
        octoquant.engine.kernels.Parallel.setThreads(1); // one thread: its CPU time is the whole cost
        int rows = QuantDecodeBenchmark.ROWS, cols = QuantDecodeBenchmark.COLS, n = rows * cols;
        Rng rng = new Rng(11);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) (rng.nextGaussian() * 0.35);
        float[] out = new float[n];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int a = 1; a < args.length; a++) {
            WeightStorage s = QuantScheme.parse(args[a]).newStorage(rows, cols, 5);
            s.encodeFrom(values);
            long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
            while (System.nanoTime() < warmEnd) s.decodeRows(0, rows, out, 0);
            long reps = 0, wall0 = System.nanoTime(), cpu0 = mx.getCurrentThreadCpuTime();
            long end = wall0 + (long) (seconds * 1e9);
            do {
                s.decodeRows(0, rows, out, 0);
                reps++;
            } while (System.nanoTime() < end);
            double wall = (System.nanoTime() - wall0) * 1e-9, cpu = (mx.getCurrentThreadCpuTime() - cpu0) * 1e-9;
            double elements = reps * (double) n * 1e-6;
            System.out.printf(Locale.ROOT, "%-16s %8.0f M/s cpu  %8.0f M/s wall  (%s)%n", args[a], elements / cpu,
                    elements / wall, s.describe());
        }
    }
}
