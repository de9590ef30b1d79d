package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time of one training step and one inference batch (batch 64) of a reference model on one thread,
 * for before/after comparisons on a shared machine:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.StepCpuTime \
 *      [--model cnn|mlp] [--steps 40] [--warmup-seconds 8] [--only train|infer|both]
 * </pre>
 *
 * With one thread the step's CPU time is the work it does; other processes on the machine raise it only
 * through the caches and the clock, and the lowest of many steps is near the figure a quiet machine
 * gives. Prints the minimum, the lower quartile and the median of the steps' CPU milliseconds, for a
 * training step and for an inference batch, as {@code step <model> <what> <statistic> <ms>} lines.
 */
public final class StepCpuTime {
    private StepCpuTime() {}

    public static void main(String[] args) {
        String model = "cnn";
        int steps = 40;
        double warmupSeconds = 8;
        String only = "both";
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) fail("option " + args[i] + " needs a value");
            switch (args[i]) {
                case "--model": model = v; break;
                case "--steps": steps = Integer.parseInt(v); break;
                case "--warmup-seconds": warmupSeconds = Double.parseDouble(v); break;
                case "--only": only = v; break;
                default: fail("unknown option " + args[i] + " (use --model, --steps, --warmup-seconds, --only)");
            }
        }
        if (!model.equals("cnn") && !model.equals("mlp")) fail("--model must be cnn or mlp, got " + model);
        if (steps < 1) fail("--steps must be at least 1");
        if (!only.equals("both") && !only.equals("train") && !only.equals("infer")) fail("--only must be train, infer or both");
        boolean train = !only.equals("infer"), infer = !only.equals("train");
        Parallel.setThreads(1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        TrainStepFixture f = new TrainStepFixture(model, 1);
        Rng rng = new Rng(2);
        float[] x = new float[64 * f.imageSize()];
        TrainStepFixture.fillGaussian(rng, x);
        Tensor batch = f.batch(x, 64);
        int[] labels = TrainStepFixture.randomLabels(rng, 64);
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < end) {
            f.step(batch, labels);
            try (Grad.Scope off = Grad.disabled()) {
                f.net.forward(batch);
            }
        }
        double[] trainMs = new double[steps], inferMs = new double[steps];
        for (int s = 0; s < steps; s++) {
            long c0 = mx.getCurrentThreadCpuTime();
            if (train) f.step(batch, labels);
            long c1 = mx.getCurrentThreadCpuTime();
            if (infer) {
                try (Grad.Scope off = Grad.disabled()) {
                    f.net.forward(batch);
                }
            }
            long c2 = mx.getCurrentThreadCpuTime();
            trainMs[s] = (c1 - c0) / 1e6;
            inferMs[s] = (c2 - c1) / 1e6;
        }
        if (train) print(model, "train_step", trainMs);
        if (infer) print(model, "infer_batch", inferMs);
    }

    private static void print(String model, String what, double[] ms) {
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "step %s %s min %.3f%nstep %s %s q1 %.3f%nstep %s %s median %.3f%n",
                model, what, ms[0], model, what, ms[ms.length / 4], model, what, ms[ms.length / 2]);
    }

    private static void fail(String message) {
        System.err.println("StepCpuTime: " + message);
        System.exit(2);
    }
}
