package octoquant.bench;

/**
 * The command line shared by the race's Java contestants ({@link TrainEpoch} and
 * {@code octoquant.bench.djl.DjlTrainEpoch}): {@code --model mlp|cnn} (required), {@code --threads},
 * {@code --train-size}, {@code --test-size}, {@code --warmup-steps}, {@code --warmup-seconds},
 * {@code --infer-passes}, {@code --seed}. A bad flag or value throws {@link IllegalArgumentException}
 * with one line naming it; the mains print that line and exit with code 2.
 */
public final class EpochOptions {
    /**
     * The Java contestants' warm-up unless given: at least this many training steps on a throwaway model
     * and at least {@link #JVM_WARMUP_SECONDS}. A JVM runs its first steps in the interpreter and C1 code
     * while C2 compiles the hot paths; the warm-up keeps that one-time cost out of the timed epoch, as torch's
     * 5 steps keep its own out (the numbers: docs/decisions.md, session 20).
     */
    public static final int JVM_WARMUP_STEPS = 400;
    /** See {@link #JVM_WARMUP_STEPS}. */
    public static final double JVM_WARMUP_SECONDS = 3;

    /** {@code mlp} or {@code cnn}. */
    public final String model;
    public final int threads;
    public final int trainSize;
    public final int testSize;
    /** The warm-up runs at least this many training steps on a throwaway model ... */
    public final int warmupSteps;
    /** ... and for at least this long. */
    public final double warmupSeconds;
    /** Timed inference passes over the test images (their median is reported), after one untimed pass. */
    public final int inferPasses;
    public final long seed;

    private EpochOptions(Builder b) {
        model = b.model;
        threads = b.threads;
        trainSize = b.trainSize < 0 ? defaultTrainSize(b.model) : b.trainSize;
        testSize = b.testSize;
        warmupSteps = b.warmupSteps;
        warmupSeconds = b.warmupSeconds;
        inferPasses = b.inferPasses;
        seed = b.seed;
    }

    /** Training images of the race for this model: 60,000 for the MLP (MNIST), 50,000 for the CNN (CIFAR-10). */
    public static int defaultTrainSize(String model) {
        return model.equals("mlp") ? 60_000 : 50_000;
    }

    /** Parses {@code args}; the defaults not given on the command line are the caller's. */
    public static EpochOptions parse(String[] args, int defaultThreads, int defaultWarmupSteps, double defaultWarmupSeconds) {
        Builder o = new Builder();
        o.threads = defaultThreads;
        o.warmupSteps = defaultWarmupSteps;
        o.warmupSeconds = defaultWarmupSeconds;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value (see the class comment)");
            String v = args[++i];
            switch (flag) {
                case "--model": o.model = v; break;
                case "--threads": o.threads = OptionValues.positive(flag, v); break;
                case "--train-size": o.trainSize = OptionValues.positive(flag, v); break;
                case "--test-size": o.testSize = OptionValues.positive(flag, v); break;
                case "--warmup-steps": o.warmupSteps = OptionValues.nonNegative(flag, v); break;
                case "--warmup-seconds": o.warmupSeconds = OptionValues.seconds(flag, v); break;
                case "--infer-passes": o.inferPasses = OptionValues.positive(flag, v); break;
                case "--seed": o.seed = OptionValues.integer(flag, v); break;
                default: throw new IllegalArgumentException("unknown option " + flag
                        + " (use --model mlp|cnn, --threads, --train-size, --test-size, --warmup-steps, --warmup-seconds, --infer-passes, --seed)");
            }
        }
        if (o.model == null) throw new IllegalArgumentException("--model mlp|cnn is required");
        if (!o.model.equals("mlp") && !o.model.equals("cnn")) {
            throw new IllegalArgumentException("--model must be mlp or cnn, got '" + o.model + "'");
        }
        return new EpochOptions(o);
    }

    private static final class Builder {
        String model;
        int threads;
        int trainSize = -1;
        int testSize = 10_000;
        int warmupSteps;
        double warmupSeconds;
        int inferPasses = 3;
        long seed = 1;
    }
}
