package octoquant.engine.integer;

/**
 * Turns an int32 accumulator into an int8 code of the next layer's scale with integer arithmetic only
 * (Jacob et al. 2018, §2.2): the real multiplier {@code M = sIn·sW / sOut} is held as a Q31 mantissa
 * {@code M0 ∈ [0.5, 1)} and a shift, {@code M = M0·2^−shift} (M is usually below 1, a right shift); the
 * product is rounded to nearest.
 */
public final class Requantizer {
    private final int mantissa; // Q31
    private final int shift;

    public Requantizer(double multiplier) {
        if (!(multiplier > 0) || multiplier >= 0x1p30 || multiplier < 0x1p-30) {
            throw new IllegalArgumentException("requantization multiplier must be in [2^-30, 2^30), got " + multiplier);
        }
        int s = 0;
        double m = multiplier;
        while (m < 0.5) {
            m *= 2;
            s++;
        }
        while (m >= 1) { // a multiplier ≥ 1 (coarse input and weights, fine output): a left shift
            m /= 2;
            s--;
        }
        long q = Math.round(m * (1L << 31));
        if (q == (1L << 31)) { // rounding reached 1.0
            q /= 2;
            s--;
        }
        this.mantissa = (int) q;
        this.shift = s;
    }

    /** {@code round(acc · M)} in integer arithmetic, saturated to the int range. */
    public int apply(int acc) {
        long prod = (long) acc * mantissa; // Q31, |prod| < 2^62
        int total = 31 + shift; // in [1, 61]
        long half = 1L << (total - 1);
        long r = (prod + half) >> total; // rounds half up; the int8 clamp follows
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
    }

    public double multiplier() {
        return mantissa / (double) (1L << 31) / Math.pow(2, shift);
    }
}
