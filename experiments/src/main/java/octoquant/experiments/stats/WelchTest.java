package octoquant.experiments.stats;

/**
 * Welch's unequal-variance t-test of two groups of per-seed numbers, and the 95% confidence interval of the
 * difference of their means (a − b), with the Welch–Satterthwaite degrees of freedom.
 *
 * @param difference mean(a) − mean(b)
 * @param halfWidth  half-width of the 95% interval of the difference (NaN when not estimable)
 * @param t          the t statistic
 * @param df         Welch–Satterthwaite degrees of freedom
 * @param p          two-sided p-value (NaN when not estimable: fewer than two values in a group)
 */
public record WelchTest(double difference, double halfWidth, double t, double df, double p) {

    public static WelchTest of(double[] a, double[] b) {
        Summary sa = Summary.of(a), sb = Summary.of(b);
        double diff = sa.mean() - sb.mean();
        if (sa.n() < 2 || sb.n() < 2) return new WelchTest(diff, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double va = sa.std() * sa.std() / sa.n();
        double vb = sb.std() * sb.std() / sb.n();
        double se2 = va + vb;
        if (se2 == 0) {
            // Both groups are constant: identical means cannot be told apart, different ones differ surely.
            return new WelchTest(diff, 0, diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff),
                    sa.n() + sb.n() - 2, diff == 0 ? 1 : 0);
        }
        double se = Math.sqrt(se2);
        double t = diff / se;
        double df = se2 * se2 / (va * va / (sa.n() - 1) + vb * vb / (sb.n() - 1));
        double p = StudentT.twoSidedP(t, df);
        double half = StudentT.quantile(0.975, df) * se;
        return new WelchTest(diff, half, t, df, p);
    }

    /** True when the 5% test rejects "same mean": the difference stands out from seed-to-seed noise. */
    public boolean distinguishable() {
        return Double.isFinite(p) && p < 0.05;
    }
}
