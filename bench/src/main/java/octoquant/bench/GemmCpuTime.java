package octoquant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A quick single-thread GEMM probe for a shared, loaded machine: besides GFLOP per wall-clock second it
 * reports GFLOP per second of CPU time (this thread's with 1 thread, the whole process's otherwise), which
 * is what the kernel achieves while it actually holds the cores, and GFLOP/s of the fastest single call (the one
 * least disturbed by other jobs). Not a replacement for JMH (no forks,
 * crude warm-up); used for side-by-side runs against OpenBLAS ({@code bench/gemm-vs-openblas.sh}).
 * Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar octoquant.bench.GemmCpuTime
 * backend variant m n k [seconds [threads]]}.
 */
public final class GemmCpuTime {
    private GemmCpuTime() {}

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: GemmCpuTime vector|scalar|ejml NN|NT|TN|TT m n k [seconds [threads]]");
            System.exit(2);
        }
        int threads = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        octoquant.engine.kernels.Parallel.setThreads(threads);
        GemmOperands op = GemmOperands.of(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        double seconds = args.length > 5 ? Double.parseDouble(args[5]) : 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.util.function.LongSupplier cpuNanos = threads == 1 ? mx::getCurrentThreadCpuTime : os::getProcessCpuTime;
        // At least 1.5 s: on a loaded machine C2 may take over a second to compile the micro-kernel, and
        // two-thread runs measured in C1's non-intrinsified Vector API code read 0.1 GFLOP/s.
        long warmEnd = System.nanoTime() + (long) (Math.max(1.5, seconds * 0.5) * 1e9);
        while (System.nanoTime() < warmEnd) op.multiply();
        long reps = 0, wall0 = System.nanoTime(), cpu0 = cpuNanos.getAsLong();
        long end = wall0 + (long) (seconds * 1e9), best = Long.MAX_VALUE, t = wall0;
        do {
            op.multiply();
            reps++;
            long t1 = System.nanoTime();
            best = Math.min(best, t1 - t);
            t = t1;
        } while (t < end);
        double wall = (System.nanoTime() - wall0) * 1e-9, cpu = (cpuNanos.getAsLong() - cpu0) * 1e-9;
        double gflop = reps * (double) op.flops() * 1e-9;
        System.out.printf(Locale.ROOT, "%s(%d threads) %s %dx%dx%d: %.1f GFLOP/s wall, %.1f GFLOP/s per CPU-second, %.1f GFLOP/s fastest call (%d reps)%n",
                args[0], threads, args[1], op.m, op.n, op.k, gflop / wall, gflop / cpu, op.flops() / (double) best, reps);
    }
}
