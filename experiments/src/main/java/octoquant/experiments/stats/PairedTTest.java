package octoquant.experiments.stats;

import java.util.Locale;

/**
 * The paired t-test of the mean difference d_i = x_i − y_i against 0 (scipy.stats.ttest_rel), with the 95%
 * confidence interval of the mean difference from the t distribution with n − 1 degrees of freedom.
 *
 * <p>Edge cases, each said in {@link #note}:
 * <ul>
 *   <li>fewer than 2 pairs: the spread is unknown; sd, t, p and the interval are NaN;</li>
 *   <li>every difference the same and not 0 (see {@link PairedDifferences} for "the same"): sd = 0, the
 *       interval has zero width and p = 0, as SciPy gives (there t = ±∞; here t is NaN so nothing prints
 *       as infinity);</li>
 *   <li>every difference 0: the samples are identical, t = 0/0; t and p are NaN, as SciPy gives; the
 *       interval is [0, 0].</li>
 * </ul>
 *
 * @param n              number of pairs
 * @param meanDifference mean of x_i − y_i (NaN without pairs)
 * @param sdDifference   sample standard deviation of the differences (n − 1 in the denominator)
 * @param t              mean / (sd / √n)
 * @param df             degrees of freedom, n − 1
 * @param p              two-sided p-value
 * @param ciLow          lower end of the 95% interval of the mean difference
 * @param ciHigh         upper end
 * @param note           empty, or one sentence on why a number is NaN or degenerate
 */
public record PairedTTest(int n, double meanDifference, double sdDifference, double t, int df, double p,
                          double ciLow, double ciHigh, String note) {

    public static PairedTTest of(double[] x, double[] y) {
        return ofDifferences(PairedDifferences.of(x, y));
    }

    public static PairedTTest ofDifferences(double[] d) {
        PairedDifferences.checkFinite(d);
        int n = d.length;
        double nan = Double.NaN;
        if (n == 0) return new PairedTTest(0, nan, nan, nan, 0, nan, nan, nan, "no pairs");
        if (n == 1) {
            return new PairedTTest(1, d[0], nan, nan, 0, nan, nan, nan, "one pair: not enough to estimate the spread (need 2)");
        }
        double mean = PairedDifferences.mean(d);
        if (PairedDifferences.allEqual(d)) {
            if (PairedDifferences.maxAbs(d) == 0) {
                return new PairedTTest(n, 0, 0, nan, n - 1, nan, 0, 0,
                        "every paired difference is 0: the samples are identical and the t statistic is 0/0");
            }
            return new PairedTTest(n, mean, 0, nan, n - 1, 0, mean, mean, String.format(Locale.ROOT,
                    "every paired difference is %s: no spread, so the interval has zero width and p = 0", format(mean)));
        }
        double sd = PairedDifferences.sd(d);
        double se = sd / Math.sqrt(n);
        double t = mean / se;
        double half = StudentT.quantile(0.975, n - 1) * se;
        return new PairedTTest(n, mean, sd, t, n - 1, StudentT.twoSidedP(t, n - 1), mean - half, mean + half, "");
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%+.6g", v);
    }
}
