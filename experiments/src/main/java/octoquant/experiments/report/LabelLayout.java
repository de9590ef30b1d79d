package octoquant.experiments.report;

/** Places labels near wanted heights without overlaps: the least movement that keeps them {@code gap} apart. */
final class LabelLayout {
    private LabelLayout() {}

    /**
     * Positions for labels that want to sit at {@code wanted} (ascending), each at least {@code gap} below the
     * previous, inside [min, max] when they fit there (when they do not, they run on below {@code max}).
     */
    static double[] spread(double[] wanted, double min, double max, double gap) {
        int n = wanted.length;
        double[] at = new double[n];
        for (int i = 0; i < n; i++) at[i] = Math.max(wanted[i], i == 0 ? min : at[i - 1] + gap);
        // Too low at the bottom: push the tail back up, never above min.
        for (int i = n - 1; i >= 0; i--) {
            double limit = i == n - 1 ? max : at[i + 1] - gap;
            if (at[i] > limit) at[i] = limit;
        }
        for (int i = 0; i < n; i++) at[i] = Math.max(at[i], i == 0 ? min : at[i - 1] + gap);
        return at;
    }
}
