package octoquant.experiments.stats;

/**
 * The differences d_i = x_i − y_i that every paired statistic works on, the input checks they share, and the
 * one rule for when two computed differences count as the same number.
 *
 * <p>Differences of measured numbers carry the round-off of the subtraction: 97.82 − 97.69 and 98.01 − 97.88
 * differ in their last bits although both are 0.13. So differences closer than {@link #RELATIVE_TOLERANCE}
 * of the largest |d_i| are taken as equal (a tie in the rank and sign-flip tests; "every difference is the
 * same" in the t-test). SciPy compares exactly; the two agree whenever no two differences are that close
 * without being equal.
 */
public final class PairedDifferences {
    private PairedDifferences() {}

    /** Two differences closer than this fraction of the largest |d_i| count as equal. */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    /** x_i − y_i; both arrays the same length, every value finite (pair only runs that finished). */
    public static double[] of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples need equal lengths, got " + x.length + " and " + y.length);
        }
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite (" + x[i] + ", " + y[i]
                        + "): pair only runs that produced a number");
            }
            d[i] = x[i] - y[i];
        }
        return d;
    }

    static void checkFinite(double[] d) {
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) throw new IllegalArgumentException("difference " + i + " is not finite: " + d[i]);
        }
    }

    static double mean(double[] d) {
        double sum = 0;
        for (double v : d) sum += v;
        return sum / d.length;
    }

    /** Sample standard deviation (n − 1 in the denominator); 0 when every difference is the same. */
    static double sd(double[] d) {
        if (allEqual(d)) return 0;
        double mean = mean(d);
        double ss = 0;
        for (double v : d) ss += (v - mean) * (v - mean);
        return Math.sqrt(ss / (d.length - 1));
    }

    static double maxAbs(double[] d) {
        double m = 0;
        for (double v : d) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** The absolute tolerance for these differences: {@link #RELATIVE_TOLERANCE} times the largest |d_i|. */
    static double tolerance(double[] d) {
        return RELATIVE_TOLERANCE * maxAbs(d);
    }

    /** True when every difference equals every other within the tolerance (true for fewer than two). */
    static boolean allEqual(double[] d) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : d) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return d.length < 2 || hi - lo <= tolerance(d);
    }
}
