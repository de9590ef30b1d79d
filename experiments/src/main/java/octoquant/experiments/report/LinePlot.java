package octoquant.experiments.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart in SVG: one line per series (the mean over seeds) with an optional shaded band (the range
 * over seeds), axes with nice ticks, and a legend. NaN values break the line.
 */
public final class LinePlot {
    /** A line with an optional band; {@code lo}/{@code hi} may be null. */
    public record Series(String name, double[] x, double[] y, double[] lo, double[] hi) {}

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private int width = 640, height = 360;
    private Double yMinFixed, yMaxFixed;
    private double xMinStep;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot add(Series s) {
        series.add(s);
        return this;
    }

    public LinePlot size(int w, int h) {
        width = w;
        height = h;
        return this;
    }

    /** Ticks on whole numbers only (epochs, steps). */
    public LinePlot integerX() {
        xMinStep = 1;
        return this;
    }

    public LinePlot yRange(double min, double max) {
        yMinFixed = min;
        yMaxFixed = max;
        return this;
    }

    public String svg() {
        int longest = series.stream().mapToInt(x -> x.name().length()).max().orElse(8);
        double left = 70, top = 34, right = width - Math.max(150, 7 * longest + 56), bottom = height - 50;
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                xmin = Math.min(xmin, s.x()[i]);
                xmax = Math.max(xmax, s.x()[i]);
                double lo = s.lo() != null && Double.isFinite(s.lo()[i]) ? s.lo()[i] : s.y()[i];
                double hi = s.hi() != null && Double.isFinite(s.hi()[i]) ? s.hi()[i] : s.y()[i];
                ymin = Math.min(ymin, lo);
                ymax = Math.max(ymax, hi);
            }
        }
        if (yMinFixed != null) {
            ymin = yMinFixed;
            ymax = yMaxFixed;
        }
        Axis x = Axis.covering(xmin, xmax, 8, left, right, false, xMinStep);
        Axis y = Axis.covering(ymin, ymax, 6, bottom, top, true);
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        Svg.text(sb, (left + right) / 2, 20, "middle", "title", title);
        Svg.axes(sb, x, y, left, top, right, bottom, xLabel, yLabel);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String c = Svg.colour(k);
            if (s.lo() != null && s.hi() != null) band(sb, s, x, y, c);
            polyline(sb, s, x, y, c);
        }
        // Legend, right of the plot area.
        for (int k = 0; k < series.size(); k++) {
            double ly = top + 10 + k * 20;
            Svg.line(sb, right + 12, ly, right + 36, ly, Svg.colour(k), "stroke-width=\"3\"");
            Svg.text(sb, right + 42, ly + 4, "start", null, series.get(k).name());
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void polyline(StringBuilder sb, Series s, Axis x, Axis y, String c) {
        StringBuilder pts = new StringBuilder();
        int count = 0;
        for (int i = 0; i <= s.x().length; i++) {
            boolean ok = i < s.x().length && Double.isFinite(s.y()[i]);
            if (ok) {
                pts.append(Svg.n(x.toPixel(s.x()[i]))).append(',').append(Svg.n(y.toPixel(s.y()[i]))).append(' ');
                count++;
            }
            if (!ok || i == s.x().length) {
                if (count == 1) {
                    String[] p = pts.toString().trim().split(",");
                    sb.append("<circle cx=\"").append(p[0]).append("\" cy=\"").append(p[1]).append("\" r=\"3\" fill=\"")
                            .append(c).append("\"/>\n");
                } else if (count > 1) {
                    sb.append("<polyline fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"2\" points=\"")
                            .append(pts.toString().trim()).append("\"/>\n");
                }
                pts.setLength(0);
                count = 0;
            }
        }
    }

    private static void band(StringBuilder sb, Series s, Axis x, Axis y, String c) {
        StringBuilder upper = new StringBuilder(), lower = new StringBuilder();
        int n = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.lo()[i]) || !Double.isFinite(s.hi()[i])) continue;
            upper.append(Svg.n(x.toPixel(s.x()[i]))).append(',').append(Svg.n(y.toPixel(s.hi()[i]))).append(' ');
            lower.insert(0, Svg.n(x.toPixel(s.x()[i])) + "," + Svg.n(y.toPixel(s.lo()[i])) + " ");
            n++;
        }
        if (n < 2) return;
        sb.append("<polygon fill=\"").append(c).append("\" fill-opacity=\"0.18\" stroke=\"none\" points=\"")
                .append(upper).append(lower.toString().trim()).append("\"/>\n");
    }
}
