package octoquant.engine.storage;

/** Where the quantization step (and zero point) of a {@link QuantizedStorage} comes from. */
public enum ScalePolicy {
    /**
     * The seed's grid: step {@code 1/(2^b − 1)}, no zero point, unbounded range (nothing is clipped; codes
     * that do not fit the packed field go to an overflow table). No scale is stored: it is implied.
     */
    FIXED("fixed"),
    /** Symmetric: step = max|w| / (2^(b−1) − 1), codes in [−(2^(b−1) − 1), 2^(b−1) − 1], clipped. */
    MAXABS("maxabs"),
    /**
     * Affine: [min(w, 0), max(w, 0)] onto codes [0, 2^b − 1] with an integer zero point (so 0 is exact);
     * the step is widened just enough that the rounded zero point leaves both ends inside the range.
     * Clipped (in storage-mode updates that leave the calibrated range).
     */
    MINMAX("minmax");

    private final String token;

    ScalePolicy(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static ScalePolicy fromToken(String token) {
        for (ScalePolicy p : values()) if (p.token.equals(token)) return p;
        return null;
    }
}
