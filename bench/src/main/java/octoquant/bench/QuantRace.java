package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.integer.IntegerSequential;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quantized paths against float in one process, the variants taking turns round after round so a
 * change of machine load hits them alike (issue 6: {@code qat} training ≤ 1.15× float, weight-only
 * quantized inference ≤ 1.2× float, integer inference reported):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar octoquant.bench.QuantRace \
 *      train|infer mlp|cnn ROUNDS THREADS SCHEME...
 * </pre>
 *
 * {@code train}: batch-64 training steps of {@link TrainStepFixture} (Adam), each variant a model in
 * {@code qat} mode with its scheme, {@code float} first; the steps cycle over 8 fixed random batches.
 * {@code infer}: batch-64 forward passes without gradients of the model post-training quantized to the
 * scheme (weight-only: the float kernels read weights decoded from the packed storage), or, for the
 * pseudo-scheme {@code integer}, {@link IntegerSequential} built from the int8-pc weights (int8 activations).
 * Prints, per variant, the median over rounds of the wall time per step/pass and of the process CPU time
 * per step/pass, and both relative to float; lines start with {@code quantrace}.
 */
public final class QuantRace {
    private static final int BATCH = 64;
    private static final int BATCHES = 8;
    private static final long TURN_NANOS = 400_000_000L;

    private QuantRace() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: QuantRace train|infer mlp|cnn ROUNDS THREADS SCHEME... (e.g. train cnn 7 2 int8 int4-pc)");
            System.exit(2);
        }
        String what = args[0];
        String model = args[1];
        if (!what.equals("train") && !what.equals("infer")) throw new IllegalArgumentException("QuantRace: first argument must be train or infer, got '" + what + "'");
        if (!model.equals("mlp") && !model.equals("cnn")) throw new IllegalArgumentException("QuantRace: model must be mlp or cnn, got '" + model + "'");
        int rounds = Integer.parseInt(args[2]);
        Parallel.setThreads(Integer.parseInt(args[3]));
        List<String> names = new ArrayList<>();
        names.add("float");
        for (int i = 4; i < args.length; i++) if (!args[i].equals("float")) names.add(args[i]);

        TrainStepFixture shape = new TrainStepFixture(model, 1);
        Rng data = new Rng(9);
        Tensor[] batches = new Tensor[BATCHES];
        int[][] labels = new int[BATCHES][];
        for (int b = 0; b < BATCHES; b++) {
            float[] x = new float[BATCH * shape.imageSize()];
            TrainStepFixture.fillGaussian(data, x);
            batches[b] = shape.batch(x, BATCH);
            labels[b] = TrainStepFixture.randomLabels(data, BATCH);
        }

        List<Runnable> variants = new ArrayList<>();
        int[] counter = new int[1];
        for (String name : names) variants.add(variant(what, model, name, batches, labels, counter));
        // Each turn runs at least TURN_NANOS (and at least one step), so slow variants (integer CNN
        // inference) do not stretch the race; the figures are per step or pass.
        System.out.printf(Locale.ROOT, "# quantrace %s %s: %d rounds (2 more for warm-up), turns of >= %d ms per variant per round, threads %d, java %s, load %s%n",
                what, model, rounds, TURN_NANOS / 1_000_000, Parallel.threads(), System.getProperty("java.version"), loadAverage());
        double[][] wall = new double[names.size()][rounds];
        double[][] cpu = new double[names.size()][rounds];
        for (int r = -2; r < rounds; r++) { // rounds -2 and -1 warm up every variant
            for (int v = 0; v < variants.size(); v++) {
                long t0 = System.nanoTime(), c0 = ProcessStats.processCpuNanos();
                int reps = 0;
                do {
                    variants.get(v).run();
                    reps++;
                } while (System.nanoTime() - t0 < TURN_NANOS);
                if (r >= 0) {
                    wall[v][r] = (System.nanoTime() - t0) / 1e6 / reps;
                    cpu[v][r] = (ProcessStats.processCpuNanos() - c0) / 1e6 / reps;
                }
            }
        }
        double floatWall = RaceStats.median(wall[0]), floatCpu = RaceStats.median(cpu[0]);
        for (int v = 0; v < names.size(); v++) {
            double w = RaceStats.median(wall[v]), c = RaceStats.median(cpu[v]);
            System.out.printf(Locale.ROOT, "quantrace %s %s %-9s %8.3f ms/%s wall %6.3f x float   %8.3f ms CPU %6.3f x float   %9.0f images/s   (wall per round: %s)%n",
                    what, model, names.get(v), w, what.equals("train") ? "step" : "pass", w / floatWall, c, c / floatCpu,
                    BATCH * 1000 / w, rounded(wall[v]));
        }
        System.out.println("# load at the end: " + loadAverage());
    }

    /** One step (train) or one forward pass (infer) of the variant, on the next of the fixed batches. */
    private static Runnable variant(String what, String model, String name, Tensor[] batches, int[][] labels, int[] counter) {
        if (what.equals("train")) {
            TrainStepFixture f = new TrainStepFixture(model, 1, QuantScheme.parse(name));
            return () -> {
                int b = counter[0]++ % BATCHES;
                f.step(batches[b], labels[b]);
            };
        }
        boolean integer = name.equals("integer");
        TrainStepFixture f = new TrainStepFixture(model, 1);
        Quantization.ptq(f.net.parameters(), QuantScheme.parse(integer ? "int8-pc" : name));
        f.net.eval();
        if (integer) {
            IntegerSequential net = integerModel(f, batches[0]);
            return () -> net.forward(batches[counter[0]++ % BATCHES].data(), BATCH);
        }
        return () -> {
            try (Grad.Scope off = Grad.disabled()) {
                f.net.forward(batches[counter[0]++ % BATCHES]);
            }
        };
    }

    /** Integer inference of the int8-pc model, activation ranges calibrated on one batch. */
    private static IntegerSequential integerModel(TrainStepFixture f, Tensor calibration) {
        int[] s = f.imageShape;
        return IntegerSequential.of(f.net, calibration.data(), BATCH, s[0], s[1], s[2]);
    }

    private static String rounded(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double x : v) s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", x));
        return s.toString();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
