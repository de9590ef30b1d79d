package octoquant.experiments.report;

import java.util.Locale;

/** Small helpers for writing SVG by hand: escaping, number formatting, the colour palette. */
final class Svg {
    private Svg() {}

    /** Okabe–Ito: distinguishable for colour-blind readers and in grey-scale print. */
    static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
        "#999933"};

    static String colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static void text(StringBuilder sb, double x, double y, String anchor, String cls, String s) {
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\"").append(cls == null ? "" : " class=\"" + cls + "\"").append('>').append(esc(s))
                .append("</text>\n");
    }

    static void line(StringBuilder sb, double x1, double y1, double x2, double y2, String stroke, String extra) {
        sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" ")
                .append(extra == null ? "" : extra).append("/>\n");
    }

    /** Frame, grid lines, ticks and labels of a plot area. */
    static void axes(StringBuilder sb, Axis x, Axis y, double left, double top, double right, double bottom,
                     String xLabel, String yLabel) {
        for (double t : y.ticks) {
            double py = y.toPixel(t);
            line(sb, left, py, right, py, "#e4e4e4", null);
            text(sb, left - 6, py + 4, "end", "tick", y.label(t));
        }
        for (double t : x.ticks) {
            double px = x.toPixel(t);
            line(sb, px, top, px, bottom, "#f0f0f0", null);
            text(sb, px, bottom + 16, "middle", "tick", x.label(t));
        }
        sb.append("<rect x=\"").append(n(left)).append("\" y=\"").append(n(top)).append("\" width=\"")
                .append(n(right - left)).append("\" height=\"").append(n(bottom - top))
                .append("\" fill=\"none\" stroke=\"#555\"/>\n");
        text(sb, (left + right) / 2, bottom + 36, "middle", "label", xLabel);
        sb.append("<text transform=\"translate(").append(n(left - 48)).append(',').append(n((top + bottom) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"label\">").append(esc(yLabel)).append("</text>\n");
    }

    static String open(int width, int height, String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + height + "\" width=\"" + width
                + "\" height=\"" + height + "\" role=\"img\" aria-label=\"" + esc(title) + "\">\n"
                + "<style>text{font-family:sans-serif;font-size:12px;fill:#222}.tick{font-size:11px;fill:#444}"
                + ".label{font-size:12px}.title{font-size:14px;font-weight:bold}</style>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    }
}
