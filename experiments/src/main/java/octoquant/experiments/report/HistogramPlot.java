package octoquant.experiments.report;

import octoquant.experiments.result.WeightHistogram;

import java.util.List;
import java.util.Locale;

/**
 * Weight histograms of one method drawn against the quantization grid, in the method's colour: one
 * histogram as filled bars, or several stages of the same training (initial, after epoch 1, …) as
 * outlines going from a grey dashed start to the full colour at the end; thin vertical lines at the grid
 * points k·step when they are few enough to see.
 */
public final class HistogramPlot {
    private HistogramPlot() {}

    /**
     * @param series the method or configuration the weights belong to (named in the SVG for checks)
     * @param note   the line under the title: which seed, how many weights
     * @param names  one legend entry per histogram (the stage, or the method when there is one)
     */
    public static String svg(String title, String note, String series, MethodStyle style, List<String> names,
                             List<WeightHistogram> hs) {
        int longest = names.stream().mapToInt(String::length).max().orElse(8);
        int width = 720, height = 360;
        double left = 72, top = 50, right = width - Math.max(130, 52 + 6.6 * longest), bottom = height - 74;
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
        Svg.centredWithin(sb, (left + right) / 2, 20, "title", title, width);
        Svg.centredWithin(sb, (left + right) / 2, 37, "note", note, width);
        Svg.axes(sb, x, y, left, top, right, bottom, "weight value (dimensionless)",
                density ? "share of weights per unit of weight value" : "weights per bin");
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
                gridNote = String.format(Locale.ROOT, "grid step %.5g (dashed grey lines)", step);
            } else {
                gridNote = String.format(Locale.ROOT, "grid step %.5g: %d points, too fine to draw", step, points);
            }
        } else {
            gridNote = "no fixed grid (fp32 or one scale per channel)";
        }
        for (int k = 0; k < hs.size(); k++) {
            WeightHistogram h = hs.get(k);
            boolean last = k == hs.size() - 1;
            // Earlier stages: lighter shades of the method's colour; the start grey and dashed.
            String c = last ? style.colour() : k == 0 ? "#8C8C8C" : style.lighter(0.6 * (hs.size() - 1 - k) / (hs.size() - 1));
            String dash = !last && k == 0 ? " stroke-dasharray=\"5,3\"" : "";
            String fillOpacity = hs.size() == 1 ? "0.5" : last ? "0.12" : "0";
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
            String group = last ? "<g class=\"series\" data-series=\"" + Svg.esc(series) + "\">\n" : "<g class=\"stage\">\n";
            sb.append(group).append("<path d=\"").append(path).append("\" fill=\"").append(c).append("\" fill-opacity=\"")
                    .append(fillOpacity).append("\" stroke=\"").append(c).append("\" stroke-width=\"")
                    .append(last ? "1.8" : "1.3").append('"').append(dash).append("/>\n</g>\n");
            double ly = top + 10 + k * 20;
            sb.append(last ? "<g class=\"key\" data-series=\"" + Svg.esc(series) + "\">\n" : "<g class=\"stage\">\n");
            Svg.line(sb, right + 12, ly, right + 40, ly, c, "stroke-width=\"3\"" + dash);
            Svg.text(sb, right + 46, ly + 4, "start", null, names.get(k));
            sb.append("</g>\n");
        }
        Svg.text(sb, left, height - 8, "start", "tick", gridNote);
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
