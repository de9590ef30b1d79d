package octoquant.experiments.stats;

/**
 * The special functions the t and normal distributions need: log-gamma, the regularized incomplete beta
 * function and the regularized upper incomplete gamma function. Written out here so the experiments carry no
 * numerics dependency.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {}

    // Lanczos approximation, g = 7, nine coefficients: ~15 significant digits for x > 0.
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7
    };

    /** ln Γ(x) for x > 0. */
    public static double logGamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
        if (x < 0.5) {
            // Reflection keeps the approximation in its accurate range.
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        x -= 1;
        double a = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. */
    public static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(a > 0) || !(b > 0)) throw new IllegalArgumentException("incomplete beta needs a, b > 0");
        if (!(x >= 0 && x <= 1)) throw new IllegalArgumentException("incomplete beta needs 0 <= x <= 1, got " + x);
        if (x == 0) return 0;
        if (x == 1) return 1;
        double logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
        // on the other side.
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * betaContinuedFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * betaContinuedFraction(1 - x, b, a) / b;
    }

    /** The continued fraction for I_x(a,b), evaluated with the modified Lentz method. */
    private static double betaContinuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        final double eps = 1e-16;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < eps) return h;
        }
        throw new ArithmeticException("incomplete beta continued fraction did not converge for x=" + x
                + " a=" + a + " b=" + b);
    }

    /**
     * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) for a > 0 and x ≥ 0, to about
     * 1e-15 relative: the power series of P = 1 − Q below x = a + 1, the continued fraction of Q above (each
     * converges fast on its side, and computing the small one directly keeps tails accurate).
     */
    public static double regularizedGammaQ(double a, double x) {
        if (!(a > 0)) throw new IllegalArgumentException("incomplete gamma needs a > 0, got " + a);
        if (!(x >= 0)) throw new IllegalArgumentException("incomplete gamma needs x >= 0, got " + x);
        if (x == 0) return 1;
        if (x == Double.POSITIVE_INFINITY) return 0;
        double logFront = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) return 1 - Math.exp(logFront) * gammaSeries(a, x);
        return Math.exp(logFront) * gammaContinuedFraction(a, x);
    }

    /** Σ_k x^k / (a (a+1) … (a+k)), so that P(a, x) = x^a e^(−x) / Γ(a) times this sum. */
    private static double gammaSeries(double a, double x) {
        double term = 1 / a;
        double sum = term;
        for (int k = 1; k <= 10_000; k++) {
            term *= x / (a + k);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * 1e-17) return sum;
        }
        throw new ArithmeticException("incomplete gamma series did not converge for a=" + a + " x=" + x);
    }

    /** The continued fraction with Q(a, x) = x^a e^(−x) / Γ(a) times this value, by the modified Lentz method. */
    private static double gammaContinuedFraction(double a, double x) {
        final double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i <= 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) return h;
        }
        throw new ArithmeticException("incomplete gamma continued fraction did not converge for a=" + a + " x=" + x);
    }
}
