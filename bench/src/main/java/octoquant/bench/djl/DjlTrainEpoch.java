package octoquant.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import octoquant.bench.EpochOptions;
import octoquant.bench.ProcessStats;
import octoquant.bench.StepBlocks;

/**
 * PyTorch 2.7.1 driven from Java through DJL: the race's third contestant (issue 13), with the workload
 * contract of {@code bench/torch/train_epoch.py} ({@code bench/torch/README.md}). Run it with
 * {@code bash bench/djl-train-epoch.sh --model mlp|cnn [--threads N] [--train-size N] [--test-size N]}.
 *
 * <p>Random N(0,1) data of the real sets' shapes (mlp: 60,000 × 1×28×28; cnn: 50,000 × 3×32×32; 10,000
 * test images), made by libtorch and kept in native memory like the Python side's tensors; batch 64, Adam
 * (lr 1e-3, betas 0.9/0.999, eps 1e-8), mean softmax cross-entropy. Timed epoch: shuffle, gather each batch
 * (an index_select on the data), forward, loss, backward, Adam step, for all ceil(N/64) batches. Not timed:
 * making the data, building the model, and a warm-up on a throwaway model of at least 400 steps and 3 s
 * ({@code --warmup-steps}, {@code --warmup-seconds}; octoquant's {@code TrainEpoch} does the same, the Python
 * side 5 steps). Inference: forward without gradients over the test images in batches of 64,
 * one warm-up pass, the median of 3 timed passes.
 *
 * <p>Threads: PyTorch's intra-op and inter-op pools get {@code --threads} (default 2) before the engine loads;
 * the counts PyTorch then reports are printed. Lines {@code djl <model> <metric> <value>}: the metrics of
 * {@code train_epoch.py}; all other lines start with '#'. Exit code 2 for a bad option, 1 if PyTorch cannot
 * be loaded.
 */
public final class DjlTrainEpoch {
    private static final int BATCH = 64;
    private static final int CLASSES = 10;
    private static final float LR = 1e-3f;

    private DjlTrainEpoch() {}

    public static void main(String[] args) {
        EpochOptions o;
        try {
            // The warm-up of octoquant's TrainEpoch, not torch's 5 steps: this is a JVM too, and DJL's Java side
            // (the graph of small ops, Adam's per-parameter updates) runs interpreted until the JIT compiles it.
            o = EpochOptions.parse(args, 2, EpochOptions.JVM_WARMUP_STEPS, EpochOptions.JVM_WARMUP_SECONDS);
        } catch (IllegalArgumentException e) {
            System.err.println("DjlTrainEpoch: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path cache = Path.of(System.getProperty("octoquant.djl.cache",
                Path.of(System.getProperty("java.io.tmpdir"), "octoquant-djl-cache").toString()));
        Engine engine;
        try {
            engine = DjlPyTorch.load(o.threads, cache);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            System.err.println("DjlTrainEpoch: PyTorch could not be loaded through DJL (" + e
                    + "); the jars come from bench/target/djl.classpath (mvn -B -ntp -pl bench -am package -DskipTests)");
            System.exit(1);
            return;
        }
        run(o, engine);
    }

    /** Trains one epoch and measures inference; prints the figures. */
    static void run(EpochOptions o, Engine engine) {
        String m = o.model;
        engine.setRandomSeed((int) o.seed);
        System.out.printf(Locale.ROOT, "# djl %s: PyTorch %s through DJL %s, intra-op threads %d, inter-op threads %d, "
                        + "batch %d, Adam lr %s, java %s, max heap %d MB%n", m, engine.getVersion(), Engine.getDjlVersion(),
                DjlPyTorch.intraOpThreads(), DjlPyTorch.interOpThreads(), BATCH, LR, System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        Shape image = DjlModels.imageShape(m);
        try (NDManager data = NDManager.newBaseManager(engine.getEngineName())) {
            NDArray xTrain = data.randomNormal(0, 1, batchShape(o.trainSize, image), DataType.FLOAT32);
            NDArray yTrain = data.randomInteger(0, CLASSES, new Shape(o.trainSize), DataType.INT64);
            NDArray xTest = data.randomNormal(0, 1, batchShape(o.testSize, image), DataType.FLOAT32);

            long w0 = System.nanoTime();
            int steps = 0;
            try (Model scratch = newModel(m); Trainer t = newTrainer(scratch, image)) {
                for (int s = 0; s < o.warmupSteps || System.nanoTime() - w0 < o.warmupSeconds * 1e9; s++, steps++) {
                    long lo = (long) s * BATCH % Math.max(1, o.trainSize - BATCH);
                    long hi = Math.min(o.trainSize, lo + BATCH);
                    try (NDManager step = data.newSubManager()) {
                        trainStep(t, own(step, xTrain.get(new NDIndex(lo + ":" + hi))), own(step, yTrain.get(new NDIndex(lo + ":" + hi))));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "# warm-up: %d steps on a throwaway model, %.2f s%n", steps, (System.nanoTime() - w0) / 1e9);

            try (Model model = newModel(m); Trainer trainer = newTrainer(model, image)) {
                NDArray lossSum = data.zeros(new Shape(), DataType.FLOAT32);
                int batches = 0;
                long t0 = System.nanoTime(), cpu0 = ProcessStats.processCpuNanos();
                long[] order = permutation(o.trainSize, new Random(o.seed * 31 + 7));
                StepBlocks blocks = new StepBlocks(StepBlocks.RACE_STEPS);
                for (int lo = 0; lo < o.trainSize; lo += BATCH) {
                    try (NDManager step = data.newSubManager()) {
                        NDArray idx = step.create(Arrays.copyOfRange(order, lo, Math.min(o.trainSize, lo + BATCH)));
                        NDIndex rows = new NDIndex("{}", idx);
                        lossSum.addi(trainStep(trainer, own(step, xTrain.get(rows)), own(step, yTrain.get(rows))));
                    }
                    batches++;
                    blocks.stepDone();
                }
                double epoch = (System.nanoTime() - t0) / 1e9;
                double cpu = (ProcessStats.processCpuNanos() - cpu0) / 1e9;
                System.out.printf(Locale.ROOT, "# epoch: %.3f s wall, %.3f s CPU of this process (%.2f cores busy on average)%n",
                        epoch, cpu, cpu / epoch);
                if (!blocks.line().isEmpty()) System.out.println(blocks.line());
                emit(m, "train_epoch_seconds", epoch);
                if (!Double.isNaN(blocks.fastestAfterFirstMs())) emit(m, "train_fastest_block_ms", blocks.fastestAfterFirstMs());
                emit(m, "train_epoch_cpu_seconds", cpu);
                emit(m, "train_mean_loss", lossSum.getFloat() / batches);

                emit(m, "infer_images_per_second", o.testSize / inferSeconds(model.getBlock(), data, xTest, o));
            }
        }
        long rss = ProcessStats.peakRssKb();
        if (rss > 0) emit(m, "peak_rss_mb", rss / 1024.0);
    }

    /** One step: zero the gradients (a new collector does), forward, loss, backward, Adam; returns the loss. */
    static NDArray trainStep(Trainer trainer, NDArray x, NDArray y) {
        NDArray loss;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(x));
            loss = trainer.getLoss().evaluate(new NDList(y), out);
            gc.backward(loss);
        }
        trainer.step();
        return loss;
    }

    /** Median wall time of {@code inferPasses} passes over the test images without gradients (after one untimed). */
    private static double inferSeconds(Block block, NDManager data, NDArray xTest, EpochOptions o) {
        if (JniUtils.isGradMode()) throw new IllegalStateException("autograd is still recording outside training");
        ParameterStore params = new ParameterStore(data, false);
        double[] passes = new double[o.inferPasses];
        for (int p = 0; p <= o.inferPasses; p++) { // pass 0 is the warm-up
            long s0 = System.nanoTime();
            for (int lo = 0; lo < o.testSize; lo += BATCH) {
                try (NDManager step = data.newSubManager()) {
                    NDArray x = own(step, xTest.get(new NDIndex(lo + ":" + Math.min(o.testSize, lo + BATCH))));
                    block.forward(params, new NDList(x), false);
                }
            }
            if (p > 0) passes[p - 1] = (System.nanoTime() - s0) / 1e9;
        }
        Arrays.sort(passes);
        return passes.length % 2 == 1 ? passes[passes.length / 2]
                : (passes[passes.length / 2 - 1] + passes[passes.length / 2]) / 2;
    }

    static Model newModel(String name) {
        Model model = Model.newInstance(name + "-race", DjlPyTorch.ENGINE);
        model.setBlock(DjlModels.build(name));
        return model;
    }

    static Trainer newTrainer(Model model, Shape image) {
        // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights, PyTorch's default for both layer types; DJL's own
        // default (Xavier over the average fan, magnitude 6) starts the CNN at a loss near 4.5 instead of ln 10.
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1),
                        Parameter.Type.WEIGHT)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(batchShape(BATCH, image));
        return trainer;
    }

    /**
     * An operation's result belongs to the manager of the array it was called on; one taken from the whole
     * data set would live as long as the data unless moved to the step's manager, which frees it.
     */
    private static NDArray own(NDManager step, NDArray a) {
        a.attach(step);
        return a;
    }

    private static Shape batchShape(long n, Shape image) {
        return new Shape(n).addAll(image);
    }

    private static long[] permutation(int n, Random rng) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static void emit(String model, String metric, double value) {
        System.out.println("djl " + model + " " + metric + " " + String.format(Locale.ROOT, "%.6g", value));
        System.out.flush();
    }
}
