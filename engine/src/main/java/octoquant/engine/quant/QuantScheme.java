package octoquant.engine.quant;

import java.util.Locale;

/**
 * A weight-storage scheme by name, shared with the CLI's {@code --methods}. Grammar (see {@link #GRAMMAR}):
 * <ul>
 *   <li>{@code float} — fp32;</li>
 *   <li>{@code quantB} — the seed's quantization: fixed grid 1/(2^B − 1), nearest-even ({@code quant} = quant8);</li>
 *   <li>{@code octalB} — the seed's octization: fixed grid, toward zero, octal-digit storage ({@code octal} = octal8);</li>
 *   <li>{@code int<B>[-pc][-fixed|-maxabs|-minmax][-nearest|-zero|-floor|-stochastic]} — defaults per-tensor,
 *       maxabs, nearest; e.g. {@code int4-pc}, {@code int8-pc-maxabs-stochastic}.</li>
 * </ul>
 * B is 2…16.
 *
 * @param name       the canonical name ({@link #parse} of it gives this scheme back)
 * @param kind       which storage class
 * @param bits       bit width (0 for float)
 * @param perChannel one step per output channel (row) instead of one per tensor
 * @param policy     where the step comes from (null for float)
 * @param rounding   how codes are rounded (null for float)
 */
public record QuantScheme(String name, Kind kind, int bits, boolean perChannel, ScalePolicy policy,
                          RoundingMode rounding) {
    /** The storage class a scheme builds. */
    public enum Kind { FLOAT, INT, OCTAL }

    public static final String GRAMMAR = "float | quant<B> | octal<B> | int<B>[-pc][-fixed|-maxabs|-minmax]"
            + "[-nearest|-zero|-floor|-stochastic] with B in 2..16 (e.g. quant8, octal8, int8-pc, int4-pc-stochastic)";

    public static final QuantScheme FLOAT = new QuantScheme("float", Kind.FLOAT, 0, false, null, null);

    /** The seed's quantizer at {@code bits}. */
    public static QuantScheme quant(int bits) {
        return new QuantScheme("quant" + bits, Kind.INT, bits, false, ScalePolicy.FIXED, RoundingMode.NEAREST_EVEN);
    }

    /** The seed's octizer at {@code bits}. */
    public static QuantScheme octal(int bits) {
        return new QuantScheme("octal" + bits, Kind.OCTAL, bits, false, ScalePolicy.FIXED, RoundingMode.TOWARD_ZERO);
    }

    /** A general integer scheme; its canonical name lists every non-default option. */
    public static QuantScheme integer(int bits, boolean perChannel, ScalePolicy policy, RoundingMode rounding) {
        checkBits(bits, "int" + bits);
        StringBuilder n = new StringBuilder("int").append(bits);
        if (perChannel) n.append("-pc");
        if (policy != ScalePolicy.MAXABS) n.append('-').append(policy.token());
        if (rounding != RoundingMode.NEAREST_EVEN) n.append('-').append(rounding.token());
        return new QuantScheme(n.toString(), Kind.INT, bits, perChannel, policy, rounding);
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
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.equals("pc") && !pc && policy == null && rounding == null) {
                    pc = true;
                } else if (ScalePolicy.fromToken(p) != null && policy == null && rounding == null) {
                    policy = ScalePolicy.fromToken(p);
                } else if (RoundingMode.fromToken(p) != null && rounding == null) {
                    rounding = RoundingMode.fromToken(p);
                } else {
                    throw unknown(text);
                }
            }
            return integer(b, pc, policy == null ? ScalePolicy.MAXABS : policy,
                    rounding == null ? RoundingMode.NEAREST_EVEN : rounding);
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

    @Override
    public String toString() {
        return name;
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
