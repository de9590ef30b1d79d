package octoquant.experiments.stats;

/** Student's t distribution: CDF and quantiles for any positive degrees of freedom (not only integers). */
public final class StudentT {
    private StudentT() {}

    /** P(T ≤ t) for T ~ t(df). */
    public static double cdf(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) return Double.NaN;
        if (t == Double.POSITIVE_INFINITY) return 1;
        if (t == Double.NEGATIVE_INFINITY) return 0;
        double tail = 0.5 * SpecialFunctions.regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** The two-sided p-value P(|T| ≥ |t|). */
    public static double twoSidedP(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return 0;
        return SpecialFunctions.regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
    }

    /**
     * The quantile q with P(T ≤ q) = p. Solved by bisection on the CDF (monotone, so it cannot fail), then
     * polished with Newton steps on the density; accurate to ~1e-12 relative.
     */
    public static double quantile(double p, double df) {
        checkDf(df);
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("quantile needs 0 < p < 1, got " + p);
        if (p == 0.5) return 0;
        if (p < 0.5) return -quantile(1 - p, df);
        double lo = 0, hi = 1;
        while (cdf(hi, df) < p) {
            lo = hi;
            hi *= 2;
            if (hi > 1e300) return Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid, df) < p) lo = mid; else hi = mid;
        }
        double q = 0.5 * (lo + hi);
        for (int i = 0; i < 3; i++) {
            double step = (cdf(q, df) - p) / density(q, df);
            if (!Double.isFinite(step)) break;
            double next = q - step;
            if (next < lo || next > hi) break;
            q = next;
        }
        return q;
    }

    /** The probability density of t(df) at t. */
    public static double density(double t, double df) {
        double logNorm = SpecialFunctions.logGamma((df + 1) / 2) - SpecialFunctions.logGamma(df / 2)
                - 0.5 * Math.log(df * Math.PI);
        return Math.exp(logNorm - (df + 1) / 2 * Math.log1p(t * t / df));
    }

    private static void checkDf(double df) {
        if (!(df > 0)) throw new IllegalArgumentException("degrees of freedom must be positive, got " + df);
    }
}
