package octoquant.experiments.report;

import octoquant.experiments.result.WeightHistogram;

import java.util.List;
import java.util.Locale;

/**
 * Weight histograms drawn against the quantization grid: bars for the counts (several histograms overlaid
 * as outlines), and thin vertical lines at the grid points k·step when they are few enough to see.
 */
public final class HistogramPlot {
    private HistogramPlot() {}

    public static String svg(String title, List<String> names, List<WeightHistogram> hs) {
        int width = 640, height = 340;
        double left = 70, top = 34, right = width - 150, bottom = height - 70;
        // Overlaid histograms have different bin widths: compare densities (share of weights per unit of
        // weight value), not raw counts.
        boolean density = hs.size() > 1;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, maxCount = density ? 1e-9 : 1;
        for (WeightHistogram h : hs) {
            lo = Math.min(lo, h.lo());
            hi = Math.max(hi, h.hi());
            for (long c : h.counts()) maxCount = Math.max(maxCount, height(h, c, density));
        }
        Axis x = Axis.covering(lo, hi, 8, left, right, false);
        Axis y = Axis.covering(0, maxCount, 5, bottom, top, true);
        StringBuilder sb = new StringBuilder(Svg.open(width, height, title));
        Svg.text(sb, (left + right) / 2, 20, "middle", "title", title);
        Svg.axes(sb, x, y, left, top, right, bottom, "weight value", density ? "density (share per unit)" : "weights per bin");
        double step = hs.isEmpty() ? Double.NaN : hs.get(0).gridStep();
        String gridNote;
        if (Double.isFinite(step) && step > 0) {
            long first = (long) Math.ceil(x.lo / step), last = (long) Math.floor(x.hi / step);
            long points = last - first + 1;
            if (points <= 120) {
                for (long k = first; k <= last; k++) {
                    double px = x.toPixel(k * step);
                    Svg.line(sb, px, top, px, bottom, k == 0 ? "#888" : "#bbb",
                            "stroke-width=\"" + (k == 0 ? "1" : "0.6") + "\" stroke-dasharray=\"3,3\"");
                }
                gridNote = String.format(Locale.ROOT, "grid step %.5g (dashed)", step);
            } else {
                gridNote = String.format(Locale.ROOT, "grid step %.5g: %d points, too fine to draw", step, points);
            }
        } else {
            gridNote = "no fixed grid (fp32 or per-channel)";
        }
        for (int k = 0; k < hs.size(); k++) {
            WeightHistogram h = hs.get(k);
            String c = Svg.colour(k);
            double bw = h.binWidth();
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < h.counts().length; i++) {
                double x0 = x.toPixel(h.lo() + i * bw), x1 = x.toPixel(h.lo() + (i + 1) * bw);
                double py = y.toPixel(height(h, h.counts()[i], density));
                path.append(i == 0 ? "M" + Svg.n(x0) + "," + Svg.n(bottom) + " " : "")
                        .append("L").append(Svg.n(x0)).append(',').append(Svg.n(py)).append(' ')
                        .append("L").append(Svg.n(x1)).append(',').append(Svg.n(py)).append(' ');
                if (i == h.counts().length - 1) path.append("L").append(Svg.n(x1)).append(',').append(Svg.n(bottom));
            }
            sb.append("<path d=\"").append(path).append("\" fill=\"").append(c).append("\" fill-opacity=\"")
                    .append(hs.size() == 1 ? "0.5" : "0.12").append("\" stroke=\"").append(c).append("\" stroke-width=\"1.5\"/>\n");
            double ly = top + 10 + k * 20;
            Svg.line(sb, right + 12, ly, right + 36, ly, c, "stroke-width=\"3\"");
            Svg.text(sb, right + 42, ly + 4, "start", null, names.get(k));
        }
        Svg.text(sb, left, height - 6, "start", "tick", gridNote);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double height(WeightHistogram h, long count, boolean density) {
        if (!density) return count;
        long total = 0;
        for (long c : h.counts()) total += c;
        return total == 0 ? 0 : count / (total * h.binWidth());
    }
}
