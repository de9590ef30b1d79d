package octoquant.engine.storage;

/**
 * The seed's octization: the fixed grid {@code w·(2^b − 1)} truncated toward zero (Python's {@code int()}),
 * each code kept as a sign bit and {@code ceil(b/3)} base-8 digits of 3 bits, packed back to back.
 * Numerically it is a {@link QuantizedStorage} with the fixed grid and toward-zero rounding — base 8 is
 * only a re-encoding of the same integer — but it is <em>bigger</em>: at 8 bits a code takes 1 + 3·3 = 10
 * bits where the sign-magnitude integer layout takes 9 (and a clipping int8 scheme 8). The wider field
 * holds magnitudes up to 8^digits − 1 (511 at 8 bits) inline; larger codes go to the overflow table.
 *
 * <p>Other rounding modes are accepted for experiments ({@code octal8} itself is toward zero).
 */
public final class OctalStorage extends QuantizedStorage {
    private final int digits; // configuration (part of describe()); the saved state is QuantizedStorage's

    /** The seed's octization: fixed grid, toward zero. */
    public OctalStorage(int rows, int cols, int bits) {
        this(rows, cols, bits, RoundingMode.TOWARD_ZERO, 0L);
    }

    public OctalStorage(int rows, int cols, int bits, RoundingMode rounding, long seed) {
        super(rows, cols, bits, ScalePolicy.FIXED, false, rounding, seed,
                OctalDigits.layout(OctalDigits.digitsFor(bits)));
        this.digits = OctalDigits.digitsFor(bits);
    }

    /** Octal digits per code: {@code ceil(b/3)}. */
    public int digitsPerCode() {
        return digits;
    }

    /** The magnitude of weight {@code i}'s code as base-8 digits, most significant first. */
    public int[] digits(int i) {
        long magnitude = Math.abs(code(i));
        int needed = OctalDigits.digitsFor(64 - Long.numberOfLeadingZeros(magnitude)); // > digits if overflowed
        return OctalDigits.toDigits(magnitude, Math.max(digits, needed));
    }

    /** The seed's notation for weight {@code i}: {@code 0o277}, {@code -0o12}, {@code 0o0}. */
    public String toOctalString(int i) {
        return OctalDigits.toOctalString(code(i));
    }

    @Override
    public String describe() {
        return "octal" + bits() + " (" + digits + " digits + sign, fixed grid, " + rounding().token() + ")";
    }
}
