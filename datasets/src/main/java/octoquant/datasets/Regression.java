package octoquant.datasets;

/**
 * The seed's toy regression, made explicit: a seeded synthetic linear problem with Gaussian noise.
 *
 * <pre>
 *   x ~ N(0, 1)^10                      (10 independent standard normal features)
 *   y = x · W_TRUE + B_TRUE + 3 · ε,    ε ~ N(0, 1)
 *   W_TRUE = [9, -7.5, 6, -4.5, 3, 8, -6, 5, -3.5, 2],  B_TRUE = 2
 * </pre>
 *
 * Var(y) = |W_TRUE|² + 3² = 343.75 + 9, so a model that predicts 0 starts at an MSE of about
 * 343.75 + 4 + 9 ≈ 357 — the "hundreds" of the seed's epoch-1 losses (382.4 and 98.1) — and predictions
 * spread over roughly ±19 (one standard deviation), like the seed's 26.5, 14.1, −12.9. The best possible
 * test MSE is the noise variance, 9. Default sizes: 1,000 training and 200 test examples.
 *
 * <p>Drawing order, all from one {@link SplitMix64}(seed) with the polar-method normals: for each training
 * example its 10 features then its noise, then the same for each test example.
 */
public final class Regression {
    public static final int FEATURES = 10;
    public static final int DEFAULT_TRAIN = 1000;
    public static final int DEFAULT_TEST = 200;
    public static final double NOISE_STD = 3.0;
    public static final double TRUE_BIAS = 2.0;
    private static final double[] TRUE_WEIGHTS = {9, -7.5, 6, -4.5, 3, 8, -6, 5, -3.5, 2};

    /** {@code n} examples: {@code x} row-major n×features, {@code y} n targets. */
    public record Data(float[] x, float[] y, int n, int features) {}

    /** Training and test parts drawn from the same distribution. */
    public record Split(Data train, Data test) {}

    private Regression() {}

    /** The generating weights (a copy). */
    public static double[] trueWeights() {
        return TRUE_WEIGHTS.clone();
    }

    /** The default sizes: 1,000 training and 200 test examples. */
    public static Split generate(long seed) {
        return generate(seed, DEFAULT_TRAIN, DEFAULT_TEST);
    }

    public static Split generate(long seed, int trainSize, int testSize) {
        if (trainSize < 0 || testSize < 0) throw new IllegalArgumentException("sizes must be >= 0");
        SplitMix64 rng = new SplitMix64(seed);
        Data train = draw(rng, trainSize);
        Data test = draw(rng, testSize);
        return new Split(train, test);
    }

    private static Data draw(SplitMix64 rng, int n) {
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = TRUE_BIAS;
            for (int j = 0; j < FEATURES; j++) {
                float v = (float) rng.nextGaussian();
                x[i * FEATURES + j] = v;
                t += TRUE_WEIGHTS[j] * v;
            }
            y[i] = (float) (t + NOISE_STD * rng.nextGaussian());
        }
        return new Data(x, y, n, FEATURES);
    }
}
