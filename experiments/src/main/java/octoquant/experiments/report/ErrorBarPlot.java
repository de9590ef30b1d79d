package octoquant.experiments.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Per category, in the order of the methods' table: the mean as the method's marker, its 95% interval as
 * an error bar, and each seed's value as a faint dot, in the method's fixed colour; the number of seeds
 * behind each mean under its name.
 */
public final class ErrorBarPlot {
    /** One category; {@code values} holds one number per seed, NaN for a run with none (diverged). */
    public record Item(String name, double mean, double halfWidth, double[] values, MethodStyle style) {
        long finite() {
            long n = 0;
            for (double v : values) if (Double.isFinite(v)) n++;
            return n;
        }
    }

    private final String title, yLabel, note;
    private final List<Item> items = new ArrayList<>();

    /** {@code note}: the line under the title saying what the dot, bar and small dots are. */
    public ErrorBarPlot(String title, String yLabel, String note) {
        this.title = title;
        this.yLabel = yLabel;
        this.note = note;
    }

    public ErrorBarPlot add(Item i) {
        items.add(i);
        return this;
    }

    public String svg() {
        int longest = items.stream().mapToInt(i -> i.name().length()).max().orElse(6);
        double slot = Math.max(110, 7.2 * longest + 16);
        int width = (int) Math.max(640, 90 + items.size() * slot), height = 380;
        double left = 72, top = 50, right = width - 20, bottom = height - 64;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Item it : items) {
            for (double v : it.values()) {
                if (Double.isFinite(v)) {
                    ymin = Math.min(ymin, v);
                    ymax = Math.max(ymax, v);
                }
            }
            if (Double.isFinite(it.halfWidth())) {
                ymin = Math.min(ymin, it.mean() - it.halfWidth());
                ymax = Math.max(ymax, it.mean() + it.halfWidth());
            }
        }
        Axis y = Axis.covering(ymin, ymax, 6, bottom, top, true);
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        Svg.centredWithin(sb, (left + right) / 2, 20, "title", title, width);
        Svg.centredWithin(sb, (left + right) / 2, 37, "note", note, width);
        for (double t : y.ticks) {
            double py = y.toPixel(t);
            Svg.line(sb, left, py, right, py, "#e4e4e4", null);
            Svg.text(sb, left - 6, py + 4, "end", "tick", y.label(t));
        }
        sb.append("<rect x=\"").append(Svg.n(left)).append("\" y=\"").append(Svg.n(top)).append("\" width=\"")
                .append(Svg.n(right - left)).append("\" height=\"").append(Svg.n(bottom - top))
                .append("\" class=\"frame\" fill=\"none\" stroke=\"#555\"/>\n");
        sb.append("<text transform=\"translate(").append(Svg.n(left - 50)).append(',').append(Svg.n((top + bottom) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"label\">").append(Svg.esc(yLabel)).append("</text>\n");
        double step = (right - left) / Math.max(1, items.size());
        for (int k = 0; k < items.size(); k++) {
            Item it = items.get(k);
            double cx = left + step * (k + 0.5);
            String c = it.style().colour();
            Svg.text(sb, cx, bottom + 18, "middle", "label", it.name());
            long dropped = it.values().length - it.finite();
            Svg.text(sb, cx, bottom + 33, "middle", "tick", "n = " + it.finite()
                    + (dropped > 0 ? " (" + dropped + " left out)" : ""));
            sb.append("<g class=\"series\" data-series=\"").append(Svg.esc(it.name())).append("\">\n");
            for (int i = 0; i < it.values().length; i++) {
                double v = it.values()[i];
                if (!Double.isFinite(v)) continue;
                double jitter = (i - (it.values().length - 1) / 2.0) * 6;
                sb.append("<circle cx=\"").append(Svg.n(cx + 20 + jitter)).append("\" cy=\"").append(Svg.n(y.toPixel(v)))
                        .append("\" r=\"3\" fill=\"").append(c).append("\" fill-opacity=\"0.5\"/>\n");
            }
            if (Double.isFinite(it.mean())) {
                if (Double.isFinite(it.halfWidth())) {
                    double y1 = y.toPixel(it.mean() - it.halfWidth()), y2 = y.toPixel(it.mean() + it.halfWidth());
                    Svg.line(sb, cx, y1, cx, y2, c, "stroke-width=\"2\"");
                    Svg.line(sb, cx - 8, y1, cx + 8, y1, c, "stroke-width=\"2\"");
                    Svg.line(sb, cx - 8, y2, cx + 8, y2, c, "stroke-width=\"2\"");
                }
                double my = y.toPixel(it.mean());
                if (it.style().marker() == MethodStyle.Marker.NONE) {
                    sb.append("<circle cx=\"").append(Svg.n(cx)).append("\" cy=\"").append(Svg.n(my))
                            .append("\" r=\"5\" fill=\"").append(c).append("\"/>\n");
                } else {
                    it.style().drawMarker(sb, cx, my, 6);
                }
            }
            sb.append("</g>\n");
            if (!Double.isFinite(it.mean())) Svg.text(sb, cx, (top + bottom) / 2, "middle", "tick", "no finished run");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }
}
