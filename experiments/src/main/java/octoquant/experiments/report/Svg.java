package octoquant.experiments.report;

import java.util.Locale;

/**
 * Small helpers for writing SVG by hand: escaping, number formatting, axes. Colours come from
 * {@link MethodStyle}, never from a series' position in a plot.
 */
final class Svg {
    private Svg() {}

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

    /**
     * Centred text moved sideways as far as needed to stay inside [0, width], from an estimate of its width
     * (average glyph widths of the sans-serif font at the class's size).
     */
    static void centredWithin(StringBuilder sb, double cx, double y, String cls, String s, double width) {
        double perChar = "title".equals(cls) ? 8.2 : "note".equals(cls) ? 5.6 : 6.6;
        double half = s.length() * perChar / 2 + 4;
        double x = Math.max(half, Math.min(width - half, cx));
        text(sb, x, y, "middle", cls, s);
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
                .append("\" class=\"frame\" fill=\"none\" stroke=\"#555\"/>\n");
        text(sb, (left + right) / 2, bottom + 36, "middle", "label", xLabel);
        sb.append("<text transform=\"translate(").append(n(left - 48)).append(',').append(n((top + bottom) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"label\">").append(esc(yLabel)).append("</text>\n");
    }

    /**
     * Defines a rectangular clip path and returns its id. The id is made of the rectangle itself: plots
     * inlined in one page may define the same id only for the same rectangle, so ids never conflict.
     */
    static String clipRect(StringBuilder sb, double x, double y, double w, double h) {
        String id = "clip-" + Math.round(x) + "-" + Math.round(y) + "-" + Math.round(w) + "-" + Math.round(h);
        sb.append("<defs><clipPath id=\"").append(id).append("\"><rect x=\"").append(n(x)).append("\" y=\"").append(n(y))
                .append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h)).append("\"/></clipPath></defs>\n");
        return id;
    }

    static String open(int width, int height, String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + height + "\" width=\"" + width
                + "\" height=\"" + height + "\" role=\"img\" aria-label=\"" + esc(title) + "\">\n"
                + "<style>text{font-family:sans-serif;font-size:12px;fill:#222}.tick{font-size:11px;fill:#444}"
                + ".label{font-size:12px}.title{font-size:14px;font-weight:bold}.note{font-size:11px;fill:#555}"
                + ".zoomtitle{font-size:12px;font-style:italic}</style>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    }
}
