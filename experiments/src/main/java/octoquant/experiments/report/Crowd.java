package octoquant.experiments.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lines of a plot that crowd together: over the second half of the x range their means lie within
 * {@link #CROWDED_PX} of each other in the main panel. A line plot zooms onto such a crowd in a second
 * panel, from {@code x0} on and over the crowd's value range [lo, hi].
 *
 * @param names the crowded lines, top to bottom
 */
record Crowd(double x0, double lo, double hi, List<String> names) {
    /** Lines whose second-half means lie closer than this (pixels) count as one crowd. */
    static final double CROWDED_PX = 10;
    /** A zoom panel is drawn only if it magnifies the crowd's range at least this much. */
    static final double MIN_MAGNIFICATION = 3;

    /**
     * The largest crowd of {@code series} drawn on the y axis {@code y} over the x range {@code xr}, if a panel
     * fitted to its values there magnifies them at least {@link #MIN_MAGNIFICATION} times; null otherwise
     * (no two lines close, or lines so identical that no zoom separates them).
     */
    static Crowd find(List<LinePlot.Series> series, Axis y, double[] xr) {
        if (series.size() < 2 || !(xr[1] > xr[0])) return null;
        double mid = (xr[0] + xr[1]) / 2;
        double x0 = Double.POSITIVE_INFINITY;
        for (LinePlot.Series s : series) for (double v : s.x()) if (v >= mid) x0 = Math.min(x0, v);
        if (!(x0 < xr[1])) return null;
        record Tail(LinePlot.Series s, double meanPx, double lo, double hi) {}
        List<Tail> tails = new ArrayList<>();
        for (LinePlot.Series s : series) {
            double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            int n = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (s.x()[i] < x0 || !Double.isFinite(s.y()[i])) continue;
                sum += s.y()[i];
                lo = Math.min(lo, s.y()[i]);
                hi = Math.max(hi, s.y()[i]);
                n++;
            }
            if (n > 0) tails.add(new Tail(s, y.toPixel(sum / n), lo, hi));
        }
        tails.sort(Comparator.comparingDouble(Tail::meanPx));
        List<Tail> best = List.of(), run = new ArrayList<>();
        for (int i = 0; i < tails.size(); i++) {
            if (i > 0 && tails.get(i).meanPx() - tails.get(i - 1).meanPx() >= CROWDED_PX) run = new ArrayList<>();
            run.add(tails.get(i));
            if (run.size() > best.size()) best = List.copyOf(run);
        }
        if (best.size() < 2) return null;
        double lo = best.stream().mapToDouble(Tail::lo).min().orElseThrow();
        double hi = best.stream().mapToDouble(Tail::hi).max().orElseThrow();
        if (!(hi > lo) || (y.hi - y.lo) / (hi - lo) < MIN_MAGNIFICATION) return null;
        return new Crowd(x0, lo, hi, best.stream().map(t -> t.s().name()).toList());
    }
}
