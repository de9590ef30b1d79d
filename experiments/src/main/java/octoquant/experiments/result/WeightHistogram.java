package octoquant.experiments.result;

/**
 * A histogram of one parameter's stored weights, with the quantization grid it lives on.
 *
 * @param parameter the parameter's name
 * @param lo        left edge of the first bin
 * @param hi        right edge of the last bin
 * @param counts    weights per bin (equal widths)
 * @param gridStep  distance between grid points (grid = k·step), NaN for fp32 or per-channel scales
 */
public record WeightHistogram(String parameter, double lo, double hi, long[] counts, double gridStep) {

    /** Bins {@code values} into {@code bins} equal bins over their range (a little wider, so edges show). */
    public static WeightHistogram of(String parameter, float[] values, int bins, double gridStep) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isFinite(v)) continue;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min > max) {
            min = -1;
            max = 1;
        }
        double pad = Math.max(1e-6, (max - min) * 0.02);
        double lo = min - pad, hi = max + pad;
        long[] counts = new long[bins];
        for (float v : values) {
            if (!Float.isFinite(v)) continue;
            int b = (int) ((v - lo) / (hi - lo) * bins);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return new WeightHistogram(parameter, lo, hi, counts, gridStep);
    }

    /**
     * Bins {@code values} over [lo, hi) into {@code bins} bins; values outside are not counted. With
     * lo = −(k + ½)·step, hi = (k + ½)·step and 2k + 1 bins, each bin holds exactly one grid point.
     */
    public static WeightHistogram window(String parameter, float[] values, double lo, double hi, int bins,
                                         double gridStep) {
        long[] counts = new long[bins];
        for (float v : values) {
            if (!(v >= lo && v < hi)) continue;
            int b = (int) ((v - lo) / (hi - lo) * bins);
            counts[Math.min(bins - 1, b)]++;
        }
        return new WeightHistogram(parameter, lo, hi, counts, gridStep);
    }

    public double binWidth() {
        return (hi - lo) / counts.length;
    }
}
