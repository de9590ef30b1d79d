package octoquant.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A linear axis: data range, "nice" tick values (1, 2, 5 × 10^k) and the mapping to pixels. */
final class Axis {
    final double lo, hi;
    final double[] ticks;
    private final double pixLo, pixHi;

    private Axis(double lo, double hi, double[] ticks, double pixLo, double pixHi) {
        this.lo = lo;
        this.hi = hi;
        this.ticks = ticks;
        this.pixLo = pixLo;
        this.pixHi = pixHi;
    }

    /** An axis covering [min, max] widened to tick boundaries, mapped onto pixels [pixLo, pixHi]. */
    static Axis covering(double min, double max, int targetTicks, double pixLo, double pixHi, boolean snapToTicks) {
        return covering(min, max, targetTicks, pixLo, pixHi, snapToTicks, 0);
    }

    /** As above, with ticks at least {@code minStep} apart (1 for whole numbers such as epochs). */
    static Axis covering(double min, double max, int targetTicks, double pixLo, double pixHi, boolean snapToTicks,
                         double minStep) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
            double pad = Math.max(Math.abs(max) * 0.05, 1e-6);
            min -= pad;
            max += pad;
        }
        double step = Math.max(minStep, niceStep((max - min) / Math.max(1, targetTicks)));
        double lo = snapToTicks ? Math.floor(min / step) * step : min;
        double hi = snapToTicks ? Math.ceil(max / step) * step : max;
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return new Axis(lo, hi, t.stream().mapToDouble(Double::doubleValue).toArray(), pixLo, pixHi);
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    double toPixel(double v) {
        return pixLo + (v - lo) / (hi - lo) * (pixHi - pixLo);
    }

    /** A tick label with as many decimals as the tick spacing needs. */
    String label(double v) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(hi - lo);
        if (Math.abs(v) >= 1e5 || (Math.abs(v) > 0 && Math.abs(v) < 1e-4)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
