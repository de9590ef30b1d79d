package octoquant.experiments.run;

/**
 * Derives independent seeds from a run's seed and a purpose, so the model initialisation, the batch order
 * and the rounding streams never share a random sequence. The same run seed gives every method the same
 * initial weights and the same batches: methods are compared on paired runs.
 */
public final class Seeds {
    private Seeds() {}

    public static final long INIT = 1, QUANT = 2, DATA = 3;

    /** A SplitMix64 finalizer of (seed, purpose). */
    public static long mix(long seed, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + purpose * 0xD1B54A32D192ED03L + 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
