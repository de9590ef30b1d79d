package octoquant.experiments.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A line chart in SVG: one line per series (the mean over seeds) with an optional shaded band, each in its
 * method's fixed {@link MethodStyle}; labels at the line ends (ordered as the lines end, pushed apart where
 * they would collide, with a leader line back to the end point); and, when several lines sit within a few
 * pixels of each other over the second half of the x range, a second panel that zooms onto them. NaN
 * values break a line. A plot must say what it averages and what its band is ({@link #note}).
 */
public final class LinePlot {
    /** A line with an optional band ({@code lo}/{@code hi} may be null) drawn in {@code style}. */
    public record Series(String name, double[] x, double[] y, double[] lo, double[] hi, MethodStyle style) {}

    private static final double LEFT = 72, TOP = 50, MAIN_HEIGHT = 250, ZOOM_GAP = 74, ZOOM_HEIGHT = 170;

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private int width = 720;
    private Double yMinFixed, yMaxFixed;
    private boolean yFromZero;
    private double xMinStep;
    private String note;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot add(Series s) {
        series.add(s);
        return this;
    }

    public LinePlot width(int w) {
        width = w;
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

    /** The y axis starts at 0 (quantities such as a loss, where 0 is the meaningful floor). */
    public LinePlot yFromZero() {
        yFromZero = true;
        return this;
    }

    /** The line under the title saying how many runs each line stands for and what the band is. Required. */
    public LinePlot note(String text) {
        note = text;
        return this;
    }

    public String svg() {
        if (note == null) throw new IllegalStateException("plot '" + title + "' does not say what its lines and band are");
        int longest = series.stream().mapToInt(s -> s.name().length()).max().orElse(8);
        double right = width - Math.max(130, 52 + 6.6 * longest);
        double[] xr = range(true, false), yr = range(false, true);
        double ymin = yr[0], ymax = yr[1];
        if (yFromZero && ymin > 0) ymin = 0;
        if (yMinFixed != null) {
            ymin = yMinFixed;
            ymax = yMaxFixed;
        }
        double mainBottom = TOP + MAIN_HEIGHT;
        Axis x = Axis.covering(xr[0], xr[1], 8, LEFT, right, false, xMinStep);
        Axis y = Axis.covering(ymin, ymax, 6, mainBottom, TOP, true);
        Crowd zoom = Crowd.find(series, y, xr);
        double height = mainBottom + 50 + (zoom == null ? 0 : ZOOM_GAP + ZOOM_HEIGHT);
        StringBuilder sb = new StringBuilder(Svg.open(width, (int) Math.ceil(height), title));
        Svg.centredWithin(sb, (LEFT + right) / 2, 20, "title", title, width);
        Svg.centredWithin(sb, (LEFT + right) / 2, 37, "note", note, width);
        panel(sb, x, y, right, "main");
        if (zoom != null) {
            double zTop = mainBottom + ZOOM_GAP, zBottom = zTop + ZOOM_HEIGHT;
            Axis zx = Axis.covering(zoom.x0(), xr[1], 6, LEFT, right, false, xMinStep);
            // A little room above and below, so the crowd's extreme lines do not run along the frame.
            double pad = 0.06 * (zoom.hi() - zoom.lo());
            double zlo = zoom.lo() - pad, zhi = zoom.hi() + pad;
            if (yMinFixed != null) {
                // Never beyond the quantity's own limits (a share stays within 0 to 1).
                zlo = Math.max(zlo, yMinFixed);
                zhi = Math.min(zhi, yMaxFixed);
            }
            Axis zy = Axis.covering(zlo, zhi, 5, zBottom, zTop, true);
            String range = " (" + shortLabel(xLabel) + " " + zx.label(zoom.x0()) + " to " + zx.label(xr[1]) + ")";
            String text = "Zoom" + range + " on " + String.join(", ", zoom.names()) + ", which lie within a few pixels "
                    + "of each other above";
            if (text.length() * 6.0 > width - LEFT - 10) {
                text = "Zoom" + range + " on the " + zoom.names().size() + " lines that lie within a few pixels of each "
                        + "other above";
            }
            Svg.text(sb, LEFT, zTop - 10, "start", "zoomtitle", text);
            panel(sb, zx, zy, right, "zoom");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** An axis label without its parenthesis: "training step (batch of 64)" gives "training step". */
    private static String shortLabel(String label) {
        int p = label.indexOf(" (");
        return p < 0 ? label : label.substring(0, p);
    }

    /** Axes, bands, lines, markers and end labels of one panel, clipped to its frame. */
    private void panel(StringBuilder sb, Axis x, Axis y, double right, String kind) {
        double top = y.toPixel(y.hi), bottom = y.toPixel(y.lo);
        Svg.axes(sb, x, y, LEFT, top, right, bottom, xLabel, yLabel);
        String bandClip = Svg.clipRect(sb, LEFT, top, right - LEFT, bottom - top);
        // Lines may run along the frame (a fraction stuck at 1): their clip leaves room for the stroke and markers.
        String lineClip = Svg.clipRect(sb, LEFT - 5, top - 5, right - LEFT + 10, bottom - top + 10);
        sb.append("<g clip-path=\"url(#").append(bandClip).append(")\" class=\"").append(kind).append("-bands\">\n");
        for (Series s : series) {
            if (s.lo() != null && s.hi() != null) {
                sb.append("<g class=\"band\" data-series=\"").append(Svg.esc(s.name())).append("\">\n");
                band(sb, s, x, y);
                sb.append("</g>\n");
            }
        }
        sb.append("</g>\n<g clip-path=\"url(#").append(lineClip).append(")\" class=\"").append(kind).append("\">\n");
        // Lines with markers first: a line without any (float) lying exactly on one of them stays on top, and the
        // line below still shows through its markers.
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) if (series.get(k).style().marker() != MethodStyle.Marker.NONE) order.add(k);
        for (int k = 0; k < series.size(); k++) if (series.get(k).style().marker() == MethodStyle.Marker.NONE) order.add(k);
        for (int k : order) {
            Series s = series.get(k);
            sb.append("<g class=\"series\" data-series=\"").append(Svg.esc(s.name())).append("\">\n");
            polyline(sb, s, x, y);
            markers(sb, s, x, y);
            sb.append("</g>\n");
        }
        sb.append("</g>\n");
        endLabels(sb, x, y, right, top, bottom);
    }

    /** [min, max] of x (xs) or of y including the bands (ys) over the finite points. */
    private double[] range(boolean xs, boolean withBands) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                double a = xs ? s.x()[i] : s.y()[i], b = a;
                if (!xs && withBands) {
                    if (s.lo() != null && Double.isFinite(s.lo()[i])) a = Math.min(a, s.lo()[i]);
                    if (s.hi() != null && Double.isFinite(s.hi()[i])) b = Math.max(b, s.hi()[i]);
                }
                lo = Math.min(lo, a);
                hi = Math.max(hi, b);
            }
        }
        return new double[] {lo, hi};
    }

    private static void polyline(StringBuilder sb, Series s, Axis x, Axis y) {
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
                            .append(s.style().colour()).append("\"/>\n");
                } else if (count > 1) {
                    sb.append("<polyline fill=\"none\" ").append(s.style().strokeAttributes(2))
                            .append(" stroke-linejoin=\"round\" points=\"").append(pts.toString().trim()).append("\"/>\n");
                }
                pts.setLength(0);
                count = 0;
            }
        }
    }

    /**
     * Eight markers per line (sixteen when another line shares its colour and pattern), placed along the
     * line at evenly spaced x positions, each marked line starting at its own offset: lines lying on top of
     * each other still show every line's markers, side by side instead of on top of each other.
     */
    private void markers(StringBuilder sb, Series s, Axis x, Axis y) {
        if (s.style().marker() == MethodStyle.Marker.NONE) return;
        List<Series> marked = series.stream().filter(o -> o.style().marker() != MethodStyle.Marker.NONE).toList();
        int rank = marked.indexOf(s), count = marked.size();
        boolean twin = series.stream().anyMatch(o -> o != s && o.style().colour().equals(s.style().colour())
                && java.util.Objects.equals(o.style().dash(), s.style().dash()));
        int m = twin ? 16 : 8;
        for (int j = 0; j < m; j++) {
            double xv = x.lo + (j + (rank + 0.5) / count) * (x.hi - x.lo) / m;
            double yv = interpolate(s, xv);
            if (Double.isFinite(yv)) s.style().drawMarker(sb, x.toPixel(xv), y.toPixel(yv));
        }
    }

    /** The line's y at {@code xv}, linear between its neighbouring finite points; NaN in a gap or outside. */
    private static double interpolate(Series s, double xv) {
        for (int i = 0; i + 1 < s.x().length; i++) {
            double x0 = s.x()[i], x1 = s.x()[i + 1];
            if (xv < x0 || xv > x1) continue;
            double y0 = s.y()[i], y1 = s.y()[i + 1];
            if (!Double.isFinite(y0) || !Double.isFinite(y1)) return Double.NaN;
            return x1 == x0 ? y0 : y0 + (y1 - y0) * (xv - x0) / (x1 - x0);
        }
        return Double.NaN;
    }

    private static void band(StringBuilder sb, Series s, Axis x, Axis y) {
        StringBuilder upper = new StringBuilder(), lower = new StringBuilder();
        int n = 0;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.lo()[i]) || !Double.isFinite(s.hi()[i])) continue;
            upper.append(Svg.n(x.toPixel(s.x()[i]))).append(',').append(Svg.n(y.toPixel(s.hi()[i]))).append(' ');
            lower.insert(0, Svg.n(x.toPixel(s.x()[i])) + "," + Svg.n(y.toPixel(s.lo()[i])) + " ");
            n++;
        }
        if (n < 2) return;
        sb.append("<polygon fill=\"").append(s.style().colour()).append("\" fill-opacity=\"0.16\" stroke=\"none\" points=\"")
                .append(upper).append(lower.toString().trim()).append("\"/>\n");
    }

    /**
     * One label per line, right of the panel at the height where the line ends (top to bottom in the order
     * of the final values), each with a sample of the line's style; labels that would collide are pushed
     * apart and joined to their line's end by a thin leader.
     */
    private void endLabels(StringBuilder sb, Axis x, Axis y, double right, double top, double bottom) {
        record End(Series s, double px, double py) {}
        List<End> ends = new ArrayList<>();
        for (Series s : series) {
            for (int i = s.x().length - 1; i >= 0; i--) {
                if (!Double.isFinite(s.y()[i])) continue;
                double py = y.toPixel(s.y()[i]);
                if (py >= top - 0.5 && py <= bottom + 0.5 && x.toPixel(s.x()[i]) <= right + 0.5) {
                    ends.add(new End(s, x.toPixel(s.x()[i]), py));
                }
                break;
            }
        }
        ends.sort(Comparator.comparingDouble(End::py));
        double[] at = LabelLayout.spread(ends.stream().mapToDouble(End::py).toArray(), top + 4, bottom + 8, 15);
        for (int k = 0; k < ends.size(); k++) {
            End e = ends.get(k);
            MethodStyle st = e.s().style();
            sb.append("<g class=\"key\" data-series=\"").append(Svg.esc(e.s().name())).append("\">\n");
            if (Math.abs(at[k] - e.py()) > 1.5 || e.px() < right - 1) {
                Svg.line(sb, e.px(), e.py(), right + 10, at[k], st.colour(), "stroke-width=\"0.8\" stroke-opacity=\"0.8\"");
            }
            sb.append("<line x1=\"").append(Svg.n(right + 12)).append("\" y1=\"").append(Svg.n(at[k])).append("\" x2=\"")
                    .append(Svg.n(right + 40)).append("\" y2=\"").append(Svg.n(at[k])).append("\" ")
                    .append(st.strokeAttributes(2.5)).append("/>\n");
            st.drawMarker(sb, right + 26, at[k]);
            Svg.text(sb, right + 46, at[k] + 4, "start", null, e.s().name());
            sb.append("</g>\n");
        }
    }
}
