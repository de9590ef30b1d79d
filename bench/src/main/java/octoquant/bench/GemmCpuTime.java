package octoquant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A quick single-thread GEMM probe for a shared, loaded machine: besides GFLOP per wall-clock second it
 * reports GFLOP per second of this thread's CPU time, which is what the kernel achieves while it actually
 * holds a core. Not a replacement for JMH (no forks, crude warm-up); used to compare kernel variants.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar octoquant.bench.GemmCpuTime
 * backend variant m n k [seconds]}.
 */
public final class GemmCpuTime {
    private GemmCpuTime() {}

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: GemmCpuTime vector|scalar|ejml NN|NT|TN|TT m n k [seconds]");
            System.exit(2);
        }
        octoquant.engine.kernels.Parallel.setThreads(1);
        GemmOperands op = GemmOperands.of(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        double seconds = args.length > 5 ? Double.parseDouble(args[5]) : 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) op.multiply();
        long reps = 0, wall0 = System.nanoTime(), cpu0 = mx.getCurrentThreadCpuTime();
        long end = wall0 + (long) (seconds * 1e9);
        do {
            op.multiply();
            reps++;
        } while (System.nanoTime() < end);
        double wall = (System.nanoTime() - wall0) * 1e-9, cpu = (mx.getCurrentThreadCpuTime() - cpu0) * 1e-9;
        double gflop = reps * (double) op.flops() * 1e-9;
        System.out.printf(Locale.ROOT, "%s %s %dx%dx%d: %.1f GFLOP/s wall, %.1f GFLOP/s per CPU-second (%d reps)%n",
                args[0], args[1], op.m, op.n, op.k, gflop / wall, gflop / cpu, reps);
    }
}
