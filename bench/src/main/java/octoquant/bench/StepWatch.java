package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether the machine is steady: one reference model's training step (or inference batch, batch 64) run
 * over and over for a while, one line per time window with that window's median and lowest milliseconds:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.StepWatch \
 *      [--model cnn|mlp] [--only train|infer] [--threads 1] [--seconds 60] [--window 3] [--warmup-seconds 8]
 * </pre>
 *
 * A process whose windows all agree saw a steady machine; a run of windows 1.4× slower than the rest is a
 * disturbance from outside the process (the code and its compilation do not change between windows once
 * warm). Run one per core ({@code taskset -c 0 ...} and {@code taskset -c 1 ...} at once) to see whether a
 * disturbance hits one core or both. Prints {@code watch <model> <what> <seconds> <steps> <median ms>
 * <min ms>} lines: the seconds since the measurement began at the window's end, wall milliseconds per
 * step; other lines start with '#'.
 */
public final class StepWatch {
    private StepWatch() {}

    public static void main(String[] args) {
        try {
            run(Options.parse(args), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("StepWatch: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(Options o, PrintStream out) {
        Parallel.setThreads(o.threads);
        TrainStepFixture f = new TrainStepFixture(o.model, 1);
        Rng rng = new Rng(2);
        float[] x = new float[64 * f.imageSize()];
        TrainStepFixture.fillGaussian(rng, x);
        Tensor batch = f.batch(x, 64);
        int[] labels = TrainStepFixture.randomLabels(rng, 64);
        boolean train = o.only.equals("train");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        out.printf(Locale.ROOT, "# %s %s, threads %d, windows of %.2f s for %.1f s after %.1f s of warm-up, java %s%n",
                o.model, train ? "training step" : "inference batch", Parallel.threads(), o.window, o.seconds,
                o.warmupSeconds, System.getProperty("java.version"));
        long warmEnd = System.nanoTime() + (long) (o.warmupSeconds * 1e9);
        while (System.nanoTime() < warmEnd) once(f, batch, labels, train);
        long start = System.nanoTime(), end = start + (long) (o.seconds * 1e9);
        double[] ms = new double[1024];
        long cpuStart = mx.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
            long windowEnd = Math.min(end, System.nanoTime() + (long) (o.window * 1e9));
            int n = 0;
            while (n == 0 || System.nanoTime() < windowEnd) {
                long t0 = System.nanoTime();
                once(f, batch, labels, train);
                if (n == ms.length) ms = Arrays.copyOf(ms, 2 * n);
                ms[n++] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms, 0, n);
            out.printf(Locale.ROOT, "watch %s %s %.1f %d %.3f %.3f%n", o.model, train ? "train_step" : "infer_batch",
                    (System.nanoTime() - start) / 1e9, n, ms[n / 2], ms[0]);
        }
        out.printf(Locale.ROOT, "# this thread's CPU over the measurement: %.1f s in %.1f s%n",
                (mx.getCurrentThreadCpuTime() - cpuStart) / 1e9, (System.nanoTime() - start) / 1e9);
    }

    private static void once(TrainStepFixture f, Tensor batch, int[] labels, boolean train) {
        if (train) {
            f.step(batch, labels);
        } else {
            try (Grad.Scope off = Grad.disabled()) {
                f.net.forward(batch);
            }
        }
    }

    /** The command line, checked. */
    static final class Options {
        String model = "cnn";
        String only = "train";
        int threads = 1;
        double seconds = 60;
        double window = 3;
        double warmupSeconds = 8;

        static Options parse(String[] args) {
            Options o = new Options();
            OptionValues.pairs(args, 0, (flag, v) -> {
                switch (flag) {
                    case "--model": o.model = OptionValues.oneOf(flag, v, "cnn", "mlp"); break;
                    case "--only": o.only = OptionValues.oneOf(flag, v, "train", "infer"); break;
                    case "--threads": o.threads = OptionValues.positive(flag, v); break;
                    case "--seconds": o.seconds = OptionValues.seconds(flag, v); break;
                    case "--window": o.window = OptionValues.seconds(flag, v); break;
                    case "--warmup-seconds": o.warmupSeconds = OptionValues.seconds(flag, v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + flag
                                + " (use --model, --only, --threads, --seconds, --window, --warmup-seconds)");
                }
            });
            if (o.seconds <= 0 || o.window <= 0) throw new IllegalArgumentException("--seconds and --window must be positive");
            return o;
        }
    }
}
