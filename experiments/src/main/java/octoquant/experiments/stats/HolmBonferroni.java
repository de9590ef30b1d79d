package octoquant.experiments.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm–Bonferroni adjusted p-values for a family of m comparisons: sort the p-values ascending,
 * p(1) ≤ … ≤ p(m); the adjusted value of p(i) is max over j ≤ i of min(1, (m − j + 1) · p(j)). Rejecting the
 * comparisons whose adjusted p is below α keeps the chance of any false rejection in the family at most α,
 * whatever the dependence between the comparisons (step-down, uniformly more powerful than Bonferroni).
 *
 * <p>NaN p-values (comparisons that could not be made) are left out of the family: m counts the finite ones,
 * and their adjusted value stays NaN.
 */
public final class HolmBonferroni {
    private HolmBonferroni() {}

    /** Adjusted p-values in the order of {@code p}. */
    public static double[] adjust(double[] p) {
        for (double v : p) {
            if (!Double.isNaN(v) && !(v >= 0 && v <= 1)) throw new IllegalArgumentException("p-values must lie in [0, 1], got " + v);
        }
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) if (!Double.isNaN(p[i])) order[m++] = i;
        Integer[] finite = Arrays.copyOf(order, m);
        Arrays.sort(finite, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int j = 0; j < m; j++) {
            running = Math.max(running, Math.min(1, (m - j) * p[finite[j]]));
            adjusted[finite[j]] = running;
        }
        return adjusted;
    }
}
