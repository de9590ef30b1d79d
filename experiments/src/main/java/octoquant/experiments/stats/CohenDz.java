package octoquant.experiments.stats;

/**
 * Cohen's d_z, the effect size of a paired comparison: the mean paired difference divided by the standard
 * deviation of the differences (n − 1 in the denominator), i.e. how many standard deviations of the
 * seed-to-seed variation of the difference the mean difference amounts to. It equals t / √n of the paired
 * t-test. Cohen's rough marks: 0.2 small, 0.5 medium, 0.8 large. It is not the d of two independent groups
 * (which divides by the spread of the values, not of their differences): pairing removes the variation the
 * two methods share, so d_z is usually larger for the same data.
 *
 * <p>NaN with fewer than 2 pairs, and when every difference is the same (the ratio is then infinite, or
 * 0/0 when the differences are all 0).
 */
public final class CohenDz {
    private CohenDz() {}

    public static double of(double[] x, double[] y) {
        return ofDifferences(PairedDifferences.of(x, y));
    }

    public static double ofDifferences(double[] d) {
        PairedDifferences.checkFinite(d);
        if (d.length < 2 || PairedDifferences.allEqual(d)) return Double.NaN;
        return PairedDifferences.mean(d) / PairedDifferences.sd(d);
    }
}
