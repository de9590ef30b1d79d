package octoquant.experiments.stats;

/** The standard normal distribution's tails, accurate far out (p-values of large z stay relatively exact). */
public final class StandardNormal {
    private StandardNormal() {}

    /** P(Z ≥ z) for Z ~ N(0, 1). */
    public static double upperTail(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        // P(Z ≥ z) = erfc(z/√2)/2 and erfc(u) = Q(1/2, u²) for u ≥ 0.
        double tail = 0.5 * SpecialFunctions.regularizedGammaQ(0.5, 0.5 * z * z);
        return z >= 0 ? tail : 1 - tail;
    }

    /** The two-sided p-value P(|Z| ≥ |z|). */
    public static double twoSidedP(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        return Math.min(1, 2 * upperTail(Math.abs(z)));
    }
}
