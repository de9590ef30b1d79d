package octoquant.experiments.stats;

/**
 * Mean, sample standard deviation and the 95% confidence interval of the mean of a handful of per-seed
 * numbers. With one value the spread is unknown: std and the interval half-width are NaN.
 *
 * @param n         how many finite values went in
 * @param mean      their mean
 * @param std       sample standard deviation (n − 1 in the denominator)
 * @param halfWidth half-width of the 95% interval: t(0.975, n − 1) · std / √n
 */
public record Summary(int n, double mean, double std, double halfWidth) {

    /** Summarizes the finite values among {@code values} (NaN marks a run that produced no number). */
    public static Summary of(double[] values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN);
        double mean = sum / n;
        if (n == 1) return new Summary(1, mean, Double.NaN, Double.NaN);
        double ss = 0;
        for (double v : values) if (Double.isFinite(v)) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / (n - 1));
        double half = StudentT.quantile(0.975, n - 1) * std / Math.sqrt(n);
        return new Summary(n, mean, std, half);
    }

    public double lower() {
        return mean - halfWidth;
    }

    public double upper() {
        return mean + halfWidth;
    }
}
