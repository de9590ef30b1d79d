package octoquant.experiments.report;

import java.util.Map;

/**
 * The "how to read the plots" key at the top of a report: every series with a sample of its line, and
 * what colour, line pattern and marker stand for. Plain HTML and CSS, no script.
 */
public final class StyleKey {
    private StyleKey() {}

    public static final String CSS = ".key{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0.5em 0;padding:0;list-style:none}"
            + ".swatch{display:inline-block;width:28px;height:0;margin:0 6px 3px 0;vertical-align:middle;"
            + "border-top-width:3px}svg{max-width:100%;height:auto}";

    /** A short sample of a line in {@code style}: its colour, dashed or dotted like the line. */
    public static String swatch(MethodStyle style) {
        String pattern = style.dash() == null ? "solid" : style.dash().equals(MethodStyle.PTQ_DASH) ? "dotted" : "dashed";
        return "<span class=\"swatch\" style=\"border-top-style:" + pattern + ";border-top-color:" + style.colour()
                + "\"></span>";
    }

    static void append(StringBuilder h, Map<String, MethodStyle> series) {
        if (series.isEmpty()) return;
        h.append("<h2>How to read the plots</h2>\n<ul class=\"key\">\n");
        for (Map.Entry<String, MethodStyle> e : series.entrySet()) {
            h.append("<li data-series=\"").append(Svg.esc(e.getKey())).append("\">").append(swatch(e.getValue()))
                    .append(Svg.esc(e.getKey())).append("</li>\n");
        }
        h.append("</ul>\n<p class=\"small\">Each method keeps its look in every plot of every report. Colour: the "
                + "scheme family and its rounding:");
        for (MethodStyle.Swatch c : MethodStyle.palette()) {
            h.append(" <span class=\"swatch\" style=\"border-top-style:solid;border-top-color:").append(c.colour())
                    .append("\"></span>").append(Svg.esc(c.meaning())).append(';');
        }
        h.setLength(h.length() - 1);
        h.append(". ").append(Svg.esc(MethodStyle.modeKey())).append(". ").append(Svg.esc(MethodStyle.markerKey()))
                .append(". The labels at the right of a plot follow the order in which its lines end; where lines lie "
                        + "within a few pixels of each other, a second panel zooms onto them.</p>\n");
    }
}
