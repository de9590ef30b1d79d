package octoquant.experiments.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the reports show about one paired comparison of x against y (pairs (x_i, y_i), one per seed):
 * the mean difference x − y with its 95% paired-t interval, three two-sided p-values (paired t, sign-flip
 * permutation, Wilcoxon signed-rank), Cohen's d_z, and the Holm-adjusted p once the comparison has been put
 * in its family ({@link #holm}).
 *
 * <p>Which p decides: the paired t p enters the Holm family and the verdicts, the same test the interval
 * comes from. The sign-flip permutation p, which assumes no normal distribution of the differences, is
 * reported beside it as the distribution-free check ({@link #signFlipAgrees}), with the Wilcoxon p. The
 * sign-flip test alone cannot decide at the seed counts a 2-core machine affords: with n pairs it cannot go
 * below 2/2ⁿ ({@link SignFlipTest#smallestP}), so 5 seeds never give p &lt; 0.05, and Holm over an audit's
 * few dozen comparisons would need 11 or more seeds. Where the t test finds a difference the sign-flip test
 * cannot confirm, the reports say so: that verdict rests on the normality of the differences.
 *
 * <p>Fewer than 2 pairs: every p, the interval and d_z are NaN and {@link #note} says so.
 *
 * @param n             number of pairs
 * @param difference    mean of x_i − y_i
 * @param ciLow         lower end of its 95% interval (paired t, n − 1 degrees of freedom)
 * @param ciHigh        upper end
 * @param tP            paired t-test p
 * @param permutationP  sign-flip permutation p
 * @param wilcoxonP     Wilcoxon signed-rank p
 * @param effectSizeDz  Cohen's d_z
 * @param holmP         the paired t p after Holm–Bonferroni over the family; NaN until {@link #holm}
 * @param note          empty, or why numbers are NaN or degenerate (from {@link PairedTTest#note})
 */
public record PairedComparison(int n, double difference, double ciLow, double ciHigh, double tP,
                               double permutationP, double wilcoxonP, double effectSizeDz, double holmP,
                               String note) {

    public static PairedComparison of(double[] x, double[] y) {
        double[] d = PairedDifferences.of(x, y);
        PairedTTest t = PairedTTest.ofDifferences(d);
        if (d.length < 2) {
            double nan = Double.NaN;
            return new PairedComparison(d.length, t.meanDifference(), nan, nan, nan, nan, nan, nan, nan,
                    "not enough pairs: " + d.length + " (need at least 2)");
        }
        return new PairedComparison(d.length, t.meanDifference(), t.ciLow(), t.ciHigh(), t.p(),
                SignFlipTest.ofDifferences(d).p(), WilcoxonSignedRank.ofDifferences(d).p(),
                CohenDz.ofDifferences(d), Double.NaN, t.note());
    }

    /** The family with each member's {@link #holmP} set: Holm–Bonferroni over the paired t p-values. */
    public static List<PairedComparison> holm(List<PairedComparison> family) {
        double[] p = family.stream().mapToDouble(PairedComparison::tP).toArray();
        double[] adjusted = HolmBonferroni.adjust(p);
        List<PairedComparison> out = new ArrayList<>(family.size());
        for (int i = 0; i < adjusted.length; i++) out.add(family.get(i).withHolmP(adjusted[i]));
        return out;
    }

    public PairedComparison withHolmP(double adjusted) {
        return new PairedComparison(n, difference, ciLow, ciHigh, tP, permutationP, wilcoxonP, effectSizeDz,
                adjusted, note);
    }

    /** True when the Holm-adjusted paired t p is below 0.05: the difference stands out from seed noise. */
    public boolean distinguishable() {
        return Double.isFinite(holmP) && holmP < 0.05;
    }

    /** True when the distribution-free sign-flip test, unadjusted, also puts the difference below p = 0.05. */
    public boolean signFlipAgrees() {
        return Double.isFinite(permutationP) && permutationP < 0.05;
    }
}
