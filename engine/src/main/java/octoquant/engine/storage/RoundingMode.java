package octoquant.engine.storage;

import octoquant.engine.util.Rng;

/**
 * How a real-valued code {@code x = w / step} becomes an integer. The names follow what the seed's Python
 * does: {@code np.round} (nearest, ties to even) in its quantizer, {@code int()} (toward zero) in its
 * octizer.
 */
public enum RoundingMode {
    /** numpy's {@code np.round}: nearest integer, exact halves go to the even neighbour. */
    NEAREST_EVEN("nearest"),
    /** Python's {@code int()}: drops the fraction, so |code| never grows — a dead zone |x| &lt; 1 maps to 0. */
    TOWARD_ZERO("zero"),
    /** Toward −∞: always under-estimates, by less than one step. */
    FLOOR("floor"),
    /**
     * Up with probability equal to the fractional part, else down: unbiased, {@code E[round(x)] = x}. The
     * draws come from a seeded {@link Rng}, so the same seed gives the same codes.
     */
    STOCHASTIC("stochastic");

    private final String token;

    RoundingMode(String token) {
        this.token = token;
    }

    /** The name used in scheme strings ({@code int8-stochastic}). */
    public String token() {
        return token;
    }

    /** Whether {@link #round} reads from its generator. */
    public boolean needsRng() {
        return this == STOCHASTIC;
    }

    /**
     * Rounds {@code x} (computed in double, like numpy's float64) to an integer.
     *
     * @param rng only read for {@link #STOCHASTIC}; may be null otherwise
     */
    public long round(double x, Rng rng) {
        switch (this) {
            case NEAREST_EVEN:
                return (long) Math.rint(x);
            case TOWARD_ZERO:
                return (long) x; // Java's cast truncates, like Python's int()
            case FLOOR:
                return (long) Math.floor(x);
            case STOCHASTIC:
                // frac == 0 consumes a draw as well, so the sequence of draws depends only on the count
                // of values rounded, not on the values: same seed, same stream position.
                return stochastic(x, rng.nextDouble());
            default:
                throw new AssertionError(this);
        }
    }

    /** Stochastic rounding of {@code x} with the uniform draw {@code u} in [0, 1): up when {@code u} is below x's fraction. */
    static long stochastic(double x, double u) {
        double down = Math.floor(x);
        double frac = x - down;
        return (long) down + (u < frac ? 1 : 0);
    }

    /** Parses a scheme-string token ({@code nearest}, {@code zero}, {@code floor}, {@code stochastic}). */
    public static RoundingMode fromToken(String token) {
        for (RoundingMode m : values()) if (m.token.equals(token)) return m;
        return null;
    }
}
