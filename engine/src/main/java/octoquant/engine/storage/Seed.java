package octoquant.engine.storage;

/**
 * The seed document's two functions, word for word, for test vectors and teaching. Both compute
 * {@code w·(2^b − 1)} in double, as numpy does in float64.
 */
public final class Seed {
    private Seed() {}

    /** {@code quantize_weights}: {@code np.round(w·(2^b − 1)).astype(np.int32)} — nearest, ties to even. */
    public static int quantize(double w, int bits) {
        return (int) Math.rint(w * ((1L << bits) - 1));
    }

    /** {@code float_to_octal}: {@code oct(int(w·(2^b − 1)))} — truncated toward zero, Python notation. */
    public static String octize(double w, int bits) {
        return OctalDigits.toOctalString((long) (w * ((1L << bits) - 1)));
    }

    /** The dequantization the seed's grid implies (it never writes one): {@code q / (2^b − 1)}. */
    public static double dequantize(long code, int bits) {
        return code / (double) ((1L << bits) - 1);
    }
}
