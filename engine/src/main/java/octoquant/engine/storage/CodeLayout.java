package octoquant.engine.storage;

/**
 * How one integer code is laid out in its packed bit field. A layout either covers the whole code range
 * of its scheme (clipping schemes) or has an escape value that sends codes it cannot hold to the
 * storage's {@link OverflowTable} (the seed's unbounded fixed grid).
 */
interface CodeLayout {
    /** Bits per packed code. */
    int width();

    /** Whether {@code code} can be stored inline. */
    boolean fits(long code);

    /** The packed field for an inline code ({@link #fits} must hold). */
    int pack(long code);

    /** The code a packed field holds; only called when {@code field != escape()}. */
    long unpack(int field);

    /** The packed field that means "look in the overflow table", or −1 when this layout has none. */
    int escape();

    /** For offset-binary layouts, the code of field 0 (then code = field + offset); else unsupported. */
    default long offset() {
        throw new UnsupportedOperationException("not an offset layout");
    }

    /** Whether {@link #offset()} applies: decoders may then skip the escape check and the call. */
    default boolean isOffset() {
        return false;
    }

    /**
     * Whether a field is a sign bit (the top bit) over a binary magnitude, "−0" being the escape: then
     * decoders may read fields through a table or bit arithmetic instead of {@link #unpack}.
     */
    default boolean isSignMagnitude() {
        return false;
    }

    /**
     * Sign-magnitude: the top bit is the sign, the rest the magnitude; negative zero is the escape. With
     * {@code b} magnitude bits the seed's 8-bit fixed grid holds ±255, i.e. every w in [−1, 1], inline.
     */
    static CodeLayout signMagnitude(int magnitudeBits) {
        return new CodeLayout() {
            final long maxMag = (1L << magnitudeBits) - 1;
            final int signBit = 1 << magnitudeBits;

            public int width() {
                return magnitudeBits + 1;
            }

            public boolean fits(long code) {
                return Math.abs(code) <= maxMag;
            }

            public int pack(long code) {
                return code < 0 ? signBit | (int) -code : (int) code;
            }

            public long unpack(int field) {
                long mag = field & (signBit - 1);
                return (field & signBit) != 0 ? -mag : mag;
            }

            public int escape() {
                return signBit; // "−0"
            }

            public boolean isSignMagnitude() {
                return true;
            }
        };
    }

    /** Offset binary: field = code − min, for a scheme whose codes always lie in [min, max]. */
    static CodeLayout offset(long min, long max, int width) {
        if (max - min >= (1L << width)) {
            throw new IllegalArgumentException("codes [" + min + ", " + max + "] do not fit " + width + " bits");
        }
        return new CodeLayout() {
            public int width() {
                return width;
            }

            public boolean fits(long code) {
                return code >= min && code <= max;
            }

            public int pack(long code) {
                return (int) (code - min);
            }

            public long unpack(int field) {
                return field + min;
            }

            public int escape() {
                return -1;
            }

            public long offset() {
                return min;
            }

            public boolean isOffset() {
                return true;
            }
        };
    }
}
