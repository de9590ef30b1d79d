package octoquant.experiments.report;

import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.RoundingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one method or configuration looks in every plot of every report: a function of its scheme and its
 * training mode only, never of its position in a plot, so a colour learned in one figure means the same
 * thing in the next.
 *
 * <ul>
 *   <li>colour: the scheme family and its rounding (Okabe–Ito, readable with the common colour-vision
 *       deficiencies): {@code float}, the seed's {@code quant<B>} and {@code octal<B>}, and the uniform
 *       {@code int<B>} schemes by rounding mode;</li>
 *   <li>dash pattern: the training mode ({@code storage} solid, {@code qat} dashed, {@code ptq} dotted;
 *       {@code float} is solid whatever the run's mode, since no mode applies to it);</li>
 *   <li>marker: the bit width (shape), filled for one scale per tensor and hollow for one per channel.</li>
 * </ul>
 *
 * @param colour  stroke and fill colour, {@code #RRGGBB}
 * @param dash    an SVG {@code stroke-dasharray}, or null for a solid line
 * @param marker  the marker shape
 * @param hollow  whether the marker is drawn as an outline (per-channel scales)
 * @param family  what the colour stands for, in words ("int, toward zero")
 * @param mode    what the dash pattern stands for ("qat"), or "" for float
 */
public record MethodStyle(String colour, String dash, Marker marker, boolean hollow, String family, String mode) {

    /** Marker shapes; NONE for float. */
    public enum Marker { NONE, CIRCLE, SQUARE, TRIANGLE, DIAMOND, TRIANGLE_DOWN, CROSS }

    /** One colour of the palette and what it stands for. */
    public record Swatch(String colour, String meaning) {}

    static final String FLOAT = "#000000";
    static final String QUANT = "#0072B2";
    static final String OCTAL = "#D55E00";
    static final String INT_NEAREST = "#009E73";
    static final String INT_ZERO = "#CC79A7";
    static final String INT_STOCHASTIC = "#E69F00";
    static final String INT_FLOOR = "#56B4E9";
    /** A name the scheme grammar does not know: grey, so it never borrows a known method's colour. */
    static final String UNKNOWN = "#777777";

    static final String QAT_DASH = "8,4";
    static final String PTQ_DASH = "2,3";

    /** The colours in the order the key lists them. */
    public static List<Swatch> palette() {
        return List.of(new Swatch(FLOAT, "float (fp32)"),
                new Swatch(QUANT, "quant<B>: the seed's quantization (fixed grid, round to nearest)"),
                new Swatch(OCTAL, "octal<B>: the seed's octization (fixed grid, toward zero, octal storage)"),
                new Swatch(INT_NEAREST, "int<B>, round to nearest"),
                new Swatch(INT_ZERO, "int<B>, toward zero"),
                new Swatch(INT_STOCHASTIC, "int<B>, stochastic rounding"),
                new Swatch(INT_FLOOR, "int<B>, floor"));
    }

    /**
     * The style of a method in a mode.
     *
     * @param scheme a method name of the scheme grammar ({@code float}, {@code quant8}, {@code int4-pc-stochastic},
     *               {@code int8-fixed-zero}); an unknown name gets a grey solid line
     * @param mode   {@code storage}, {@code qat}, {@code ptq}, or null/"" when none applies
     */
    public static MethodStyle of(String scheme, String mode) {
        QuantScheme s;
        try {
            s = QuantScheme.parse(scheme);
        } catch (IllegalArgumentException e) {
            return new MethodStyle(UNKNOWN, null, Marker.CROSS, false, "unknown scheme", "");
        }
        if (s.isFloat()) return new MethodStyle(FLOAT, null, Marker.NONE, false, "float", "");
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        String dash = switch (m) {
            case "qat" -> QAT_DASH;
            case "ptq" -> PTQ_DASH;
            default -> null;
        };
        String name = scheme.trim().toLowerCase(Locale.ROOT);
        String colour;
        String family;
        if (name.startsWith("quant")) {
            colour = QUANT;
            family = "quant";
        } else if (s.kind() == QuantScheme.Kind.OCTAL) {
            colour = OCTAL;
            family = "octal";
        } else {
            colour = intColour(s.rounding());
            family = "int, " + roundingWords(s.rounding());
        }
        return new MethodStyle(colour, dash, marker(s.bits()), s.perChannel(), family, m);
    }

    /**
     * The style of a series label that names a scheme and a mode in any order, separated by spaces:
     * {@code "storage int4 nearest"}, {@code "qat int8 nearest"} (the gradients experiment), {@code "quant8
     * storage"}, {@code "int8-fixed-zero storage"}, {@code "float"}. Words that are not a mode are joined with
     * '-' into the scheme name ({@code int4 nearest} is {@code int4-nearest}).
     */
    public static MethodStyle ofLabel(String label) {
        String mode = "";
        List<String> scheme = new ArrayList<>();
        for (String w : label.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
            if (w.equals("storage") || w.equals("qat") || w.equals("ptq")) mode = w;
            else if (!w.isEmpty()) scheme.add(w);
        }
        return of(String.join("-", scheme), mode);
    }

    private static String intColour(RoundingMode r) {
        return switch (r) {
            case NEAREST_EVEN -> INT_NEAREST;
            case TOWARD_ZERO -> INT_ZERO;
            case STOCHASTIC -> INT_STOCHASTIC;
            case FLOOR -> INT_FLOOR;
        };
    }

    private static String roundingWords(RoundingMode r) {
        return switch (r) {
            case NEAREST_EVEN -> "round to nearest";
            case TOWARD_ZERO -> "toward zero";
            case STOCHASTIC -> "stochastic rounding";
            case FLOOR -> "floor";
        };
    }

    /** The marker of a bit width: 8 circle, 4 square, 6 triangle, 2 diamond, 3 triangle down, others a cross. */
    static Marker marker(int bits) {
        return switch (bits) {
            case 8 -> Marker.CIRCLE;
            case 4 -> Marker.SQUARE;
            case 6 -> Marker.TRIANGLE;
            case 2 -> Marker.DIAMOND;
            case 3 -> Marker.TRIANGLE_DOWN;
            default -> Marker.CROSS;
        };
    }

    /** The SVG attributes of a line in this style (stroke colour, dash pattern). */
    String strokeAttributes(double width) {
        return "stroke=\"" + colour + "\" stroke-width=\"" + Svg.n(width) + "\""
                + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    /** A marker centred at (x, y), 8 pixels across. */
    void drawMarker(StringBuilder sb, double x, double y) {
        drawMarker(sb, x, y, 4);
    }

    /** A marker centred at (x, y) with "radius" {@code r}. */
    void drawMarker(StringBuilder sb, double x, double y, double r) {
        if (marker == Marker.NONE) return;
        String paint = hollow ? "fill=\"white\" stroke=\"" + colour + "\" stroke-width=\"1.5\""
                : "fill=\"" + colour + "\" stroke=\"white\" stroke-width=\"0.8\"";
        switch (marker) {
            case CIRCLE -> sb.append("<circle cx=\"").append(Svg.n(x)).append("\" cy=\"").append(Svg.n(y))
                    .append("\" r=\"").append(Svg.n(r)).append("\" ").append(paint).append("/>\n");
            case SQUARE -> sb.append("<rect x=\"").append(Svg.n(x - r)).append("\" y=\"").append(Svg.n(y - r))
                    .append("\" width=\"").append(Svg.n(2 * r)).append("\" height=\"").append(Svg.n(2 * r)).append("\" ")
                    .append(paint).append("/>\n");
            case TRIANGLE -> polygon(sb, paint, x, y - r * 1.15, x + r * 1.15, y + r * 0.85, x - r * 1.15, y + r * 0.85);
            case TRIANGLE_DOWN -> polygon(sb, paint, x, y + r * 1.15, x + r * 1.15, y - r * 0.85, x - r * 1.15, y - r * 0.85);
            case DIAMOND -> polygon(sb, paint, x, y - r * 1.3, x + r * 1.3, y, x, y + r * 1.3, x - r * 1.3, y);
            case CROSS -> sb.append("<path d=\"M").append(Svg.n(x - r)).append(',').append(Svg.n(y - r)).append(" L")
                    .append(Svg.n(x + r)).append(',').append(Svg.n(y + r)).append(" M").append(Svg.n(x - r)).append(',')
                    .append(Svg.n(y + r)).append(" L").append(Svg.n(x + r)).append(',').append(Svg.n(y - r))
                    .append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\" fill=\"none\"/>\n");
            default -> { }
        }
    }

    private static void polygon(StringBuilder sb, String paint, double... xy) {
        sb.append("<polygon points=\"");
        for (int i = 0; i < xy.length; i += 2) {
            if (i > 0) sb.append(' ');
            sb.append(Svg.n(xy[i])).append(',').append(Svg.n(xy[i + 1]));
        }
        sb.append("\" ").append(paint).append("/>\n");
    }

    /** This colour mixed with white: {@code amount} 0 keeps it, 1 gives white (lighter shades of one series). */
    String lighter(double amount) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        return String.format(Locale.ROOT, "#%02X%02X%02X", mix(r, amount), mix(g, amount), mix(b, amount));
    }

    private static int mix(int c, double amount) {
        return (int) Math.round(c + (255 - c) * amount);
    }

    /** What the line pattern means, for keys: "solid: storage", "dashed: qat", "dotted: ptq". */
    public static String modeKey() {
        return "solid line: float or storage mode; dashed: qat; dotted: ptq";
    }

    /** What the marker means, for keys. */
    public static String markerKey() {
        return "marker shape: bit width (circle 8, triangle 6, square 4, triangle down 3, diamond 2, cross other); "
                + "filled: one scale per tensor, hollow: one per channel";
    }
}
