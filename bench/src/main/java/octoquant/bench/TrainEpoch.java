package octoquant.bench;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.Arrays;
import java.util.Locale;

/**
 * octoquant's side of the speed race against PyTorch (issue 6; the PyTorch side and the contract are in
 * {@code bench/torch/train_epoch.py} and {@code bench/torch/README.md}):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Doctoquant.threads=2 -cp bench/target/benchmarks.jar \
 *      octoquant.bench.TrainEpoch --model mlp|cnn [--threads N] [--train-size N] [--test-size N]
 * </pre>
 *
 * Trains the reference model for one epoch on random N(0,1) data shaped like the real set (mlp: 60,000 ×
 * 1×28×28; cnn: 50,000 × 3×32×32) with batch 64 and Adam (lr 1e-3), then times inference over 10,000
 * test-shaped images in batches of 64 without gradients (one warm-up pass, median of 3). Timed epoch:
 * shuffle, gather each batch, forward, loss, backward, Adam step for all ceil(N/64) batches. Not timed:
 * making the data, building the model, and a warm-up of at least {@code --warmup-steps} (400) training
 * steps and at least {@code --warmup-seconds} (3) on a throwaway model (the PyTorch side does 5 steps; a
 * JVM needs more for its JIT compilers to finish, and that one-time cost is what the warm-up exists to
 * keep out: {@link EpochOptions#JVM_WARMUP_STEPS}).
 *
 * <p>Prints {@code octoquant <model> <metric> <value>} lines: {@code train_epoch_seconds},
 * {@code train_epoch_cpu_seconds} (CPU time of the whole process during the epoch),
 * {@code train_fastest_block_ms} (ms per step of the epoch's fastest block of 100 steps after the first,
 * {@link StepBlocks}; only with at least two full blocks), {@code train_mean_loss},
 * {@code infer_images_per_second}, {@code peak_rss_mb}; other lines start with '#'.
 */
public final class TrainEpoch {
    private static final int BATCH = 64;

    private TrainEpoch() {}

    public static void main(String[] args) {
        try {
            run(EpochOptions.parse(args, Parallel.threads(), EpochOptions.JVM_WARMUP_STEPS, EpochOptions.JVM_WARMUP_SECONDS));
        } catch (IllegalArgumentException e) {
            System.err.println("TrainEpoch: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(EpochOptions o) {
        Parallel.setThreads(o.threads);
        String m = o.model;
        System.out.printf(Locale.ROOT, "# octoquant %s: backend %s (%d float lanes), threads %d, batch %d, Adam lr %s, "
                        + "java %s, max heap %d MB%n", m, VectorizationProvider.get().kernels().name(), VectorizationProvider.get().kernels().floatLanes(),
                Parallel.threads(), BATCH, TrainStepFixture.LR, System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);

        TrainStepFixture shape = new TrainStepFixture(m, o.seed);
        int img = shape.imageSize();
        Rng data = new Rng(o.seed ^ 0x5DEECE66DL);
        float[] xTrain = new float[Math.multiplyExact(o.trainSize, img)];
        TrainStepFixture.fillGaussian(data, xTrain);
        int[] yTrain = TrainStepFixture.randomLabels(data, o.trainSize);
        float[] xTest = new float[Math.multiplyExact(o.testSize, img)];
        TrainStepFixture.fillGaussian(data, xTest);

        // Warm-up on a throwaway model: JIT compilation and first-use buffers stay out of the timed epoch.
        long w0 = System.nanoTime();
        TrainStepFixture scratch = new TrainStepFixture(m, o.seed);
        float[] xb = new float[BATCH * img];
        int[] yb = new int[BATCH];
        // At least --warmup-steps steps and at least --warmup-seconds (see main).
        int steps = 0;
        for (int s = 0; s < o.warmupSteps || System.nanoTime() - w0 < o.warmupSeconds * 1e9; s++, steps++) {
            int lo = (int) ((long) s * BATCH % Math.max(1, o.trainSize - BATCH));
            int n = Math.min(BATCH, o.trainSize - lo);
            System.arraycopy(xTrain, lo * img, xb, 0, n * img);
            scratch.step(scratch.batch(n == BATCH ? xb : Arrays.copyOf(xb, n * img), n), Arrays.copyOfRange(yTrain, lo, lo + n));
        }
        System.out.printf(Locale.ROOT, "# warm-up: %d steps on a throwaway model, %.2f s%n", steps, (System.nanoTime() - w0) / 1e9);
        // The warm-up's garbage goes before the timed epoch, as Python frees torch's throwaway model: the
        // throwaway model's buffers were promoted to the old generation, where only a full collection frees
        // them; left there, the epoch's own promotions would touch fresh pages (peak RSS, docs/decisions.md).
        scratch = null;
        System.gc();

        TrainStepFixture run = new TrainStepFixture(m, o.seed);
        Rng shuffle = new Rng(o.seed * 31 + 7);
        double lossSum = 0;
        int batches = 0;
        long t0 = System.nanoTime(), cpu0 = ProcessStats.processCpuNanos();
        int[] order = new int[o.trainSize];
        for (int i = 0; i < order.length; i++) order[i] = i;
        shuffle.shuffle(order);
        // Milliseconds per step over blocks of 100 steps: a first block slower than the rest is the JIT
        // still compiling, or the machine's load, not the engine's steady speed.
        StepBlocks blocks = new StepBlocks(StepBlocks.RACE_STEPS);
        for (int lo = 0; lo < o.trainSize; lo += BATCH) {
            int n = Math.min(BATCH, o.trainSize - lo);
            // Gather into one reused batch array: a step is finished (graph cut) before the next gather.
            float[] x = n == BATCH ? xb : new float[n * img];
            int[] y = n == BATCH ? yb : new int[n];
            for (int r = 0; r < n; r++) {
                int src = order[lo + r];
                System.arraycopy(xTrain, src * img, x, r * img, img);
                y[r] = yTrain[src];
            }
            lossSum += run.step(run.batch(x, n), y);
            batches++;
            blocks.stepDone();
        }
        double epoch = (System.nanoTime() - t0) / 1e9;
        double cpu = (ProcessStats.processCpuNanos() - cpu0) / 1e9;
        // On a shared machine the wall time includes waiting for a core; CPU time says how much work it was.
        System.out.printf(Locale.ROOT, "# epoch: %.3f s wall, %.3f s CPU of this process (%.2f cores busy on average)%n",
                epoch, cpu, cpu / epoch);
        if (!blocks.line().isEmpty()) System.out.println(blocks.line());
        emit(m, "train_epoch_seconds", epoch);
        if (!Double.isNaN(blocks.fastestAfterFirstMs())) emit(m, "train_fastest_block_ms", blocks.fastestAfterFirstMs());
        emit(m, "train_epoch_cpu_seconds", cpu);
        emit(m, "train_mean_loss", lossSum / batches);

        run.net.eval();
        double[] passes = new double[o.inferPasses];
        try (Grad.Scope off = Grad.disabled()) {
            for (int p = 0; p <= o.inferPasses; p++) { // pass 0 is the warm-up
                long s0 = System.nanoTime();
                for (int lo = 0; lo < o.testSize; lo += BATCH) {
                    int n = Math.min(BATCH, o.testSize - lo);
                    float[] x = n == BATCH ? xb : new float[n * img];
                    System.arraycopy(xTest, lo * img, x, 0, n * img);
                    run.net.forward(run.batch(x, n));
                }
                if (p > 0) passes[p - 1] = (System.nanoTime() - s0) / 1e9;
            }
        }
        // Each pass, not only the median: on two cores the MLP figure is bimodal from run to run of the same
        // jar (about 350k or 660k images/s), and the passes show whether a run changed regime midway.
        StringBuilder each = new StringBuilder();
        for (double s : passes) each.append(String.format(Locale.ROOT, " %.0f", o.testSize / s));
        System.out.println("# inference passes, images/s:" + each);
        Arrays.sort(passes);
        double median = passes.length % 2 == 1 ? passes[passes.length / 2]
                : (passes[passes.length / 2 - 1] + passes[passes.length / 2]) / 2;
        emit(m, "infer_images_per_second", o.testSize / median);
        long rss = ProcessStats.peakRssKb();
        if (rss > 0) emit(m, "peak_rss_mb", rss / 1024.0);
    }

    private static void emit(String model, String metric, double value) {
        System.out.println("octoquant " + model + " " + metric + " " + String.format(Locale.ROOT, "%.6g", value));
        System.out.flush();
    }
}
