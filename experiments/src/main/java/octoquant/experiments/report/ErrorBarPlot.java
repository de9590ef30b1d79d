package octoquant.experiments.report;

import java.util.ArrayList;
import java.util.List;

/** Per category: the mean as a dot, its 95% interval as an error bar, and each seed's value as a faint dot. */
public final class ErrorBarPlot {
    public record Item(String name, double mean, double halfWidth, double[] values) {}

    private final String title, yLabel;
    private final List<Item> items = new ArrayList<>();

    public ErrorBarPlot(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    public ErrorBarPlot add(Item i) {
        items.add(i);
        return this;
    }

    public String svg() {
        int width = Math.max(360, 120 + items.size() * 110), height = 360;
        double left = 70, top = 34, right = width - 20, bottom = height - 50;
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
        Svg.text(sb, (left + right) / 2, 20, "middle", "title", title);
        for (double t : y.ticks) {
            double py = y.toPixel(t);
            Svg.line(sb, left, py, right, py, "#e4e4e4", null);
            Svg.text(sb, left - 6, py + 4, "end", "tick", y.label(t));
        }
        sb.append("<rect x=\"").append(Svg.n(left)).append("\" y=\"").append(Svg.n(top)).append("\" width=\"")
                .append(Svg.n(right - left)).append("\" height=\"").append(Svg.n(bottom - top))
                .append("\" fill=\"none\" stroke=\"#555\"/>\n");
        sb.append("<text transform=\"translate(").append(Svg.n(left - 48)).append(',').append(Svg.n((top + bottom) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"label\">").append(Svg.esc(yLabel)).append("</text>\n");
        double slot = (right - left) / Math.max(1, items.size());
        for (int k = 0; k < items.size(); k++) {
            Item it = items.get(k);
            double cx = left + slot * (k + 0.5);
            String c = Svg.colour(k);
            Svg.text(sb, cx, bottom + 18, "middle", "label", it.name());
            for (int i = 0; i < it.values().length; i++) {
                double v = it.values()[i];
                if (!Double.isFinite(v)) continue;
                double jitter = (i - (it.values().length - 1) / 2.0) * 6;
                sb.append("<circle cx=\"").append(Svg.n(cx + 18 + jitter)).append("\" cy=\"").append(Svg.n(y.toPixel(v)))
                        .append("\" r=\"3\" fill=\"").append(c).append("\" fill-opacity=\"0.45\"/>\n");
            }
            if (!Double.isFinite(it.mean())) {
                Svg.text(sb, cx, (top + bottom) / 2, "middle", "tick", "no finished run");
                continue;
            }
            if (Double.isFinite(it.halfWidth())) {
                double y1 = y.toPixel(it.mean() - it.halfWidth()), y2 = y.toPixel(it.mean() + it.halfWidth());
                Svg.line(sb, cx, y1, cx, y2, c, "stroke-width=\"2\"");
                Svg.line(sb, cx - 8, y1, cx + 8, y1, c, "stroke-width=\"2\"");
                Svg.line(sb, cx - 8, y2, cx + 8, y2, c, "stroke-width=\"2\"");
            }
            sb.append("<circle cx=\"").append(Svg.n(cx)).append("\" cy=\"").append(Svg.n(y.toPixel(it.mean())))
                    .append("\" r=\"5\" fill=\"").append(c).append("\"/>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }
}
