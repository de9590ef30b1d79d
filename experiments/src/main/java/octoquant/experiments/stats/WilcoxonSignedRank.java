package octoquant.experiments.stats;

import java.util.Arrays;

/**
 * The Wilcoxon signed-rank test of paired differences d_i = x_i − y_i, two-sided, following the default of
 * scipy.stats.wilcoxon in SciPy 1.17 (zero_method='wilcox', correction=False, method='auto'):
 * <ul>
 *   <li>zero differences are dropped; the others are ranked by |d_i|, tied values getting their average rank
 *       (ties and zeros within {@link PairedDifferences#RELATIVE_TOLERANCE}); R+ is the rank sum of the
 *       positive differences, R− of the negative ones;</li>
 *   <li>{@link Method#EXACT}: no zeros, no ties and n ≤ 50 — the exact null distribution of R+ (every subset
 *       of the ranks 1..n equally likely), p = 2 · min(P(R+ ≤ r), P(R+ ≥ r)), at most 1;</li>
 *   <li>{@link Method#PERMUTATION}: zeros or ties and n ≤ 13 — the same p from all 2^m sign patterns of the
 *       m nonzero differences with their (tied) ranks, which is what the exact distribution becomes with
 *       ties;</li>
 *   <li>{@link Method#NORMAL}: otherwise — z = (R+ − m(m+1)/4) / σ with the tie-corrected
 *       σ² = (m(m+1)(2m+1) − Σ(t³ − t)/2) / 24 over the tie groups of size t, no continuity correction,
 *       p = 2 · P(Z ≥ |z|);</li>
 *   <li>{@link Method#NONE}: every difference is 0, p = 1 (no evidence either way; SciPy 1.17 gives 1 up to
 *       13 pairs), or no pairs at all, p NaN.</li>
 * </ul>
 * SciPy 1.10 (Debian 12) differs in its default: it uses the exact distribution with ties too (its
 * statistic then truncated to an integer) and the normal approximation whenever a difference is 0.
 *
 * @param n       number of pairs, zeros included
 * @param nonZero number of nonzero differences (m)
 * @param rPlus   rank sum of the positive differences
 * @param rMinus  rank sum of the negative differences
 * @param p       two-sided p-value
 * @param method  how p was computed
 */
public record WilcoxonSignedRank(int n, int nonZero, double rPlus, double rMinus, double p, Method method) {

    public enum Method { EXACT, PERMUTATION, NORMAL, NONE }

    /** Largest n for the exact distribution (no zeros, no ties), as SciPy. */
    public static final int MAX_EXACT_N = 50;
    /** Largest n for the sign-pattern enumeration when there are zeros or ties, as SciPy. */
    public static final int MAX_PERMUTATION_N = 13;

    public static WilcoxonSignedRank of(double[] x, double[] y) {
        return ofDifferences(PairedDifferences.of(x, y));
    }

    public static WilcoxonSignedRank ofDifferences(double[] d) {
        PairedDifferences.checkFinite(d);
        int n = d.length;
        if (n == 0) return new WilcoxonSignedRank(0, 0, 0, 0, Double.NaN, Method.NONE);
        double tol = PairedDifferences.tolerance(d);
        double[] nonZero = Arrays.stream(d).filter(v -> Math.abs(v) > tol).toArray();
        int m = nonZero.length;
        if (m == 0) return new WilcoxonSignedRank(n, 0, 0, 0, 1, Method.NONE);
        Ranks ranks = Ranks.ofAbsolute(nonZero, tol);
        double rPlus = 0, rMinus = 0;
        for (int i = 0; i < m; i++) {
            if (nonZero[i] > 0) rPlus += ranks.rank[i]; else rMinus += ranks.rank[i];
        }
        if (m == n && !ranks.hasTies() && n <= MAX_EXACT_N) {
            return new WilcoxonSignedRank(n, m, rPlus, rMinus, exactP(m, (long) rPlus), Method.EXACT);
        }
        if (n <= MAX_PERMUTATION_N) {
            return new WilcoxonSignedRank(n, m, rPlus, rMinus, permutationP(ranks.rank, rPlus), Method.PERMUTATION);
        }
        double mean = m * (m + 1) / 4.0;
        double sigma = Math.sqrt((m * (m + 1.0) * (2.0 * m + 1) - ranks.tieTerm / 2) / 24);
        double z = (rPlus - mean) / sigma;
        return new WilcoxonSignedRank(n, m, rPlus, rMinus, StandardNormal.twoSidedP(z), Method.NORMAL);
    }

    /** min(R+, R−), the statistic SciPy reports for the two-sided test. */
    public double statistic() {
        return Math.min(rPlus, rMinus);
    }

    /** Two-sided p from the exact distribution of R+ with ranks 1..m: subset-sum counts over 2^m patterns. */
    private static double exactP(int m, long r) {
        int max = m * (m + 1) / 2;
        long[] count = new long[max + 1];
        count[0] = 1;
        for (int k = 1; k <= m; k++) {
            for (int s = k * (k + 1) / 2; s >= k; s--) count[s] += count[s - k];
        }
        long atMost = 0, atLeast = 0;
        for (int s = 0; s <= max; s++) {
            if (s <= r) atMost += count[s];
            if (s >= r) atLeast += count[s];
        }
        return Math.min(1, 2 * Math.scalb((double) Math.min(atMost, atLeast), -m));
    }

    /** Two-sided p over all sign patterns of the nonzero differences; rank sums are multiples of 1/2, exact. */
    private static double permutationP(double[] rank, double observed) {
        int m = rank.length;
        long atMost = 0, atLeast = 0;
        for (long mask = 0; mask < 1L << m; mask++) {
            double s = 0;
            for (int i = 0; i < m; i++) if (((mask >>> i) & 1) != 0) s += rank[i];
            if (s <= observed) atMost++;
            if (s >= observed) atLeast++;
        }
        return Math.min(1, 2 * Math.scalb((double) Math.min(atMost, atLeast), -m));
    }

    /** Average ranks of |v_i| (1-based), ties within a tolerance, and Σ(t³ − t) over the tie groups. */
    private record Ranks(double[] rank, double tieTerm) {
        static Ranks ofAbsolute(double[] v, double tol) {
            int m = v.length;
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(Math.abs(v[a]), Math.abs(v[b])));
            double[] rank = new double[m];
            double tieTerm = 0;
            for (int start = 0; start < m; ) {
                int end = start + 1;
                double first = Math.abs(v[order[start]]);
                while (end < m && Math.abs(v[order[end]]) - first <= tol) end++;
                double average = (start + 1 + end) / 2.0;
                for (int k = start; k < end; k++) rank[order[k]] = average;
                double t = end - start;
                tieTerm += t * t * t - t;
                start = end;
            }
            return new Ranks(rank, tieTerm);
        }

        boolean hasTies() {
            return tieTerm > 0;
        }
    }
}
