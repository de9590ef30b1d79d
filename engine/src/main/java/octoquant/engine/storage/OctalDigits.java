package octoquant.engine.storage;

/**
 * Base-8 digits of an integer code and Python's {@code oct()} notation ({@code 0o277}, {@code -0o12},
 * {@code 0o0}). Base 8 is a lossless re-encoding of the integer: three bits a digit.
 */
public final class OctalDigits {
    private OctalDigits() {}

    /** Digits needed for a b-bit magnitude: {@code ceil(b/3)}. */
    public static int digitsFor(int bits) {
        return (bits + 2) / 3;
    }

    /** The {@code count} base-8 digits of {@code magnitude}, most significant first (zero-padded). */
    public static int[] toDigits(long magnitude, int count) {
        if (magnitude < 0) throw new IllegalArgumentException("magnitude must be ≥ 0, got " + magnitude);
        if (count < 21 && magnitude >= (1L << (3 * count))) {
            throw new IllegalArgumentException(magnitude + " needs more than " + count + " octal digits");
        }
        int[] d = new int[count];
        for (int i = count - 1; i >= 0; i--) {
            d[i] = (int) (magnitude & 7);
            magnitude >>>= 3;
        }
        return d;
    }

    /** The magnitude of base-8 digits, most significant first. */
    public static long fromDigits(int[] digits) {
        long v = 0;
        for (int d : digits) {
            if (d < 0 || d > 7) throw new IllegalArgumentException("not an octal digit: " + d);
            v = (v << 3) | d;
        }
        return v;
    }

    /** Python's {@code oct(code)}. */
    public static String toOctalString(long code) {
        return (code < 0 ? "-0o" : "0o") + Long.toOctalString(Math.abs(code));
    }

    /** Inverse of {@link #toOctalString}: accepts {@code 0o277}, {@code -0o12}, {@code 0o0}. */
    public static long parseOctalString(String s) {
        boolean neg = s.startsWith("-");
        String body = neg ? s.substring(1) : s;
        if (!body.startsWith("0o") || body.length() == 2) {
            throw new IllegalArgumentException("not a Python octal literal: '" + s + "' (expected e.g. 0o277 or -0o12)");
        }
        long mag = Long.parseLong(body.substring(2), 8);
        return neg ? -mag : mag;
    }

    /**
     * The layout of {@link OctalStorage}: a sign bit, then {@code count} 3-bit digit fields, most
     * significant first; negative zero is the overflow escape.
     */
    static CodeLayout layout(int count) {
        return new CodeLayout() {
            final int signBit = 1 << (3 * count);
            final long maxMag = signBit - 1L;

            public int width() {
                return 3 * count + 1;
            }

            public boolean fits(long code) {
                return Math.abs(code) <= maxMag;
            }

            public int pack(long code) {
                long magnitude = Math.abs(code);
                int field = 0;
                for (int k = count - 1; k >= 0; k--) {
                    int digit = (int) ((magnitude >>> (3 * k)) & 7); // base-8 digit k, most significant first
                    field = (field << 3) | digit;
                }
                return code < 0 ? field | signBit : field;
            }

            public long unpack(int field) {
                long mag = 0;
                for (int k = count - 1; k >= 0; k--) mag = (mag << 3) | ((field >>> (3 * k)) & 7);
                return (field & signBit) != 0 ? -mag : mag;
            }

            public int escape() {
                return signBit;
            }

            /** Digits most significant first, 3 bits each, make the magnitude's own binary: see unpack. */
            public boolean isSignMagnitude() {
                return true;
            }
        };
    }
}
