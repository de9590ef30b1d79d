package octoquant.experiments.stats;

import java.util.SplittableRandom;

/**
 * The sign-flip permutation test of the mean paired difference: under "no difference between the two
 * methods" each d_i = x_i − y_i is as likely to have come out with the other sign, so the observed mean is
 * compared with the means of all 2ⁿ sign patterns. Two-sided: p is the fraction of patterns whose |mean| is
 * at least the observed |mean|. No normality assumption; with n pairs p cannot go below 2/2ⁿ
 * ({@link #smallestP}). Matches scipy.stats.permutation_test(..., permutation_type='samples',
 * alternative='two-sided') with an exhaustive enumeration.
 *
 * <p>Float ties: a pattern counts when its |sum| ≥ the observed |sum| − {@link PairedDifferences#RELATIVE_TOLERANCE}
 * · Σ|d_i| (sums that are equal in exact arithmetic can differ in their last bits).
 *
 * <p>Up to {@link #MAX_EXACT_N} pairs every pattern is enumerated. Beyond, a deterministic Monte-Carlo:
 * {@link #MONTE_CARLO_PATTERNS} random sign patterns from a generator with the fixed seed
 * {@link #MONTE_CARLO_SEED}, p = (1 + hits) / (1 + patterns), which counts the observed pattern once and
 * keeps the test valid (never below the true p on average). Fewer than 2 pairs: p is NaN (SciPy refuses).
 *
 * @param n        number of pairs
 * @param p        two-sided p-value
 * @param patterns how many sign patterns were compared (2ⁿ when exact)
 * @param exact    true when every pattern was enumerated
 */
public record SignFlipTest(int n, double p, long patterns, boolean exact) {

    public static final int MAX_EXACT_N = 20;
    public static final int MONTE_CARLO_PATTERNS = 200_000;
    public static final long MONTE_CARLO_SEED = 0x5176_F11BL;

    public static SignFlipTest of(double[] x, double[] y) {
        return ofDifferences(PairedDifferences.of(x, y));
    }

    public static SignFlipTest ofDifferences(double[] d) {
        PairedDifferences.checkFinite(d);
        int n = d.length;
        if (n < 2) return new SignFlipTest(n, Double.NaN, 0, true);
        double observed = 0, scale = 0;
        for (double v : d) {
            observed += v;
            scale += Math.abs(v);
        }
        double threshold = Math.abs(observed) - PairedDifferences.RELATIVE_TOLERANCE * scale;
        return n <= MAX_EXACT_N ? exact(d, threshold) : monteCarlo(d, threshold);
    }

    /** The smallest p-value any data can give with n pairs: both all-same-sign patterns, 2/2ⁿ. */
    public static double smallestP(int n) {
        return n < 2 ? Double.NaN : Math.scalb(1.0, 1 - n);
    }

    /**
     * Every pattern. Pattern and its complement have sums s and −s exactly (negation commutes with rounding),
     * so only the patterns that keep the last sign are summed, and each counts twice.
     */
    private static SignFlipTest exact(double[] d, double threshold) {
        int n = d.length;
        long half = 1L << (n - 1);
        long hits = 0;
        for (long mask = 0; mask < half; mask++) {
            double s = d[n - 1];
            for (int i = 0; i < n - 1; i++) s += ((mask >>> i) & 1) != 0 ? -d[i] : d[i];
            if (Math.abs(s) >= threshold) hits++;
        }
        return new SignFlipTest(n, (double) hits / half, 2 * half, true);
    }

    private static SignFlipTest monteCarlo(double[] d, double threshold) {
        SplittableRandom random = new SplittableRandom(MONTE_CARLO_SEED);
        long hits = 0;
        for (int k = 0; k < MONTE_CARLO_PATTERNS; k++) {
            double s = 0;
            for (double v : d) s += random.nextBoolean() ? -v : v;
            if (Math.abs(s) >= threshold) hits++;
        }
        return new SignFlipTest(d.length, (1.0 + hits) / (1.0 + MONTE_CARLO_PATTERNS), MONTE_CARLO_PATTERNS, false);
    }
}
