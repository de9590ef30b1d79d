package octoquant.engine.storage;

import java.util.Locale;

/**
 * A weight-storage scheme by name, shared with the CLI's {@code --methods}. Grammar (see {@link #GRAMMAR}):
 * <ul>
 *   <li>{@code float} — fp32;</li>
 *   <li>{@code quantB} — the seed's quantization: fixed grid 1/(2^B − 1), nearest-even ({@code quant} = quant8);</li>
 *   <li>{@code octalB} — the seed's octization: fixed grid, toward zero, octal-digit storage ({@code octal} = octal8);</li>
 *   <li>{@code int<B>[-pc][-fixed|-maxabs|-minmax][-nearest|-zero|-floor|-stochastic][-h<F>]} — defaults
 *       per-tensor, maxabs, nearest, headroom {@value #DEFAULT_STORAGE_HEADROOM}; e.g. {@code int4-pc},
 *       {@code int8-pc-maxabs-stochastic}, {@code int8-pc-h1}.</li>
 * </ul>
 * B is 2…16. F (a number ≥ 1, e.g. {@code h1}, {@code h1.5}, {@code h4}) is the storage training mode's
 * calibration headroom, see {@link #storageHeadroom}; it only matters for maxabs/minmax in that mode.
 *
 * @param name       the canonical name ({@link #parse} of it gives this scheme back)
 * @param kind       which storage class
 * @param bits       bit width (0 for float)
 * @param perChannel one step per output channel (row) instead of one per tensor
 * @param policy     where the step comes from (null for float)
 * @param rounding   how codes are rounded (null for float)
 * @param storageHeadroom in the {@code storage} training mode, the factor by which the initial weights'
 *                   range is widened when the (then frozen) step is calibrated, so weights can grow that
 *                   much before they clip; 1 for float and the fixed grid, which calibrate nothing
 */
public record QuantScheme(String name, Kind kind, int bits, boolean perChannel, ScalePolicy policy,
                          RoundingMode rounding, double storageHeadroom) {
    /** The storage class a scheme builds. */
    public enum Kind { FLOAT, INT, OCTAL }

    public static final String GRAMMAR = "float | quant<B> | octal<B> | int<B>[-pc][-fixed|-maxabs|-minmax]"
            + "[-nearest|-zero|-floor|-stochastic][-h<F>] with B in 2..16 and F >= 1 the storage-mode headroom"
            + " (e.g. quant8, octal8, int8-pc, int4-pc-stochastic, int8-pc-h1)";

    /**
     * The storage mode's default headroom for maxabs/minmax: the frozen step is calibrated on the initial
     * weights' range widened this many times, so every weight may double before it clips, for one bit of
     * resolution. Why 2, with the figures: {@code docs/decisions.md}.
     */
    public static final double DEFAULT_STORAGE_HEADROOM = 2.0;

    public static final QuantScheme FLOAT = new QuantScheme("float", Kind.FLOAT, 0, false, null, null, 1.0);

    /** The seed's quantizer at {@code bits}. */
    public static QuantScheme quant(int bits) {
        return new QuantScheme("quant" + bits, Kind.INT, bits, false, ScalePolicy.FIXED, RoundingMode.NEAREST_EVEN, 1.0);
    }

    /** The seed's octizer at {@code bits}. */
    public static QuantScheme octal(int bits) {
        return new QuantScheme("octal" + bits, Kind.OCTAL, bits, false, ScalePolicy.FIXED, RoundingMode.TOWARD_ZERO, 1.0);
    }

    /** A general integer scheme with the default storage headroom. */
    public static QuantScheme integer(int bits, boolean perChannel, ScalePolicy policy, RoundingMode rounding) {
        return integer(bits, perChannel, policy, rounding, policy == ScalePolicy.FIXED ? 1.0 : DEFAULT_STORAGE_HEADROOM);
    }

    /**
     * A general integer scheme; its canonical name lists every non-default option.
     *
     * @param storageHeadroom ≥ 1; ignored (1) on the fixed grid
     */
    public static QuantScheme integer(int bits, boolean perChannel, ScalePolicy policy, RoundingMode rounding,
                                      double storageHeadroom) {
        checkBits(bits, "int" + bits);
        if (!(storageHeadroom >= 1) || Double.isInfinite(storageHeadroom)) {
            throw new IllegalArgumentException("method 'int" + bits + "': headroom must be a finite number >= 1, got "
                    + storageHeadroom + "; methods: " + GRAMMAR);
        }
        if (policy == ScalePolicy.FIXED) storageHeadroom = 1.0;
        StringBuilder n = new StringBuilder("int").append(bits);
        if (perChannel) n.append("-pc");
        if (policy != ScalePolicy.MAXABS) n.append('-').append(policy.token());
        if (rounding != RoundingMode.NEAREST_EVEN) n.append('-').append(rounding.token());
        if (policy != ScalePolicy.FIXED && storageHeadroom != DEFAULT_STORAGE_HEADROOM) {
            n.append("-h").append(formatFactor(storageHeadroom));
        }
        return new QuantScheme(n.toString(), Kind.INT, bits, perChannel, policy, rounding, storageHeadroom);
    }

    /**
     * Parses a scheme name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the bad input and listing the grammar
     */
    public static QuantScheme parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("float") || s.equals("fp32")) return FLOAT;
        if (s.equals("quant")) return quant(8);
        if (s.equals("octal")) return octal(8);
        if (s.startsWith("quant") && isNumber(s.substring(5))) {
            int b = Integer.parseInt(s.substring(5));
            checkBits(b, text);
            return quant(b);
        }
        if (s.startsWith("octal") && isNumber(s.substring(5))) {
            int b = Integer.parseInt(s.substring(5));
            checkBits(b, text);
            return octal(b);
        }
        if (s.startsWith("int")) {
            String[] parts = s.substring(3).split("-", -1);
            if (!isNumber(parts[0])) throw unknown(text);
            int b = Integer.parseInt(parts[0]);
            checkBits(b, text);
            boolean pc = false;
            ScalePolicy policy = null;
            RoundingMode rounding = null;
            double headroom = Double.NaN;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (!Double.isNaN(headroom)) throw unknown(text); // -h<F> comes last
                if (p.startsWith("h") && isFactor(p.substring(1))) {
                    headroom = Double.parseDouble(p.substring(1));
                    if (headroom < 1) {
                        throw new IllegalArgumentException("method '" + text + "': headroom must be >= 1, got "
                                + p.substring(1) + "; methods: " + GRAMMAR);
                    }
                } else if (p.equals("pc") && !pc && policy == null && rounding == null) {
                    pc = true;
                } else if (ScalePolicy.fromToken(p) != null && policy == null && rounding == null) {
                    policy = ScalePolicy.fromToken(p);
                } else if (RoundingMode.fromToken(p) != null && rounding == null) {
                    rounding = RoundingMode.fromToken(p);
                } else {
                    throw unknown(text);
                }
            }
            ScalePolicy pol = policy == null ? ScalePolicy.MAXABS : policy;
            RoundingMode rnd = rounding == null ? RoundingMode.NEAREST_EVEN : rounding;
            return Double.isNaN(headroom) ? integer(b, pc, pol, rnd) : integer(b, pc, pol, rnd, headroom);
        }
        throw unknown(text);
    }

    public boolean isFloat() {
        return kind == Kind.FLOAT;
    }

    /** Whether this scheme can clamp weights (so the QAT straight-through estimator masks gradients). */
    public boolean clips() {
        return policy == ScalePolicy.MAXABS || policy == ScalePolicy.MINMAX;
    }

    /**
     * A new, all-zero storage of this scheme.
     *
     * @param seed seeds stochastic rounding (ignored otherwise)
     */
    public WeightStorage newStorage(int rows, int cols, long seed) {
        switch (kind) {
            case FLOAT:
                return new FloatStorage(rows, cols);
            case OCTAL:
                return new OctalStorage(rows, cols, bits, rounding, seed);
            default:
                return new QuantizedStorage(rows, cols, bits, policy, perChannel, rounding, seed);
        }
    }

    /** A storage of this scheme holding the encoding of {@code source}'s current values. */
    public WeightStorage encode(WeightStorage source, long seed) {
        WeightStorage s = newStorage(source.rows(), source.cols(), seed);
        s.encodeFrom(source.decodeAll());
        return s;
    }

    /**
     * The storage training mode's start: a storage of this scheme holding {@code source}'s values, its
     * step calibrated with {@link #storageHeadroom} (then frozen by the updates).
     */
    public WeightStorage encodeForStorageMode(WeightStorage source, long seed) {
        WeightStorage s = newStorage(source.rows(), source.cols(), seed);
        if (s instanceof QuantizedStorage q && storageHeadroom != 1.0) q.encodeWithHeadroom(source.decodeAll(), storageHeadroom);
        else s.encodeFrom(source.decodeAll());
        return s;
    }

    @Override
    public String toString() {
        return name;
    }

    /** A plain decimal factor such as {@code 2} or {@code 1.5}. */
    private static boolean isFactor(String s) {
        return s.matches("[0-9]{1,3}(\\.[0-9]{1,3})?");
    }

    private static String formatFactor(double f) {
        return f == Math.rint(f) ? Long.toString((long) f) : Double.toString(f);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 3 && s.chars().allMatch(Character::isDigit);
    }

    private static void checkBits(int b, String text) {
        if (b < 2 || b > 16) throw new IllegalArgumentException("method '" + text + "': bit width must be 2..16; methods: " + GRAMMAR);
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("unknown method '" + text + "'; methods: " + GRAMMAR);
    }
}
