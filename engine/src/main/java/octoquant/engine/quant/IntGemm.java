package octoquant.engine.quant;

/**
 * The integer matrix product of integer inference, as a plain scalar loop (a vectorized kernel may replace
 * it later): {@code acc[i][j] = Σ_k (a[i][k] − aZero)·(w[j][k] − wZero[j])} with int32 accumulation.
 * Following Jacob et al. (2018, §2.3) the zero points are not subtracted inside the loop: the loop sums
 * {@code a·w} and the corrections use row sums, {@code Σaw − wZ·Σa − aZ·Σw + K·aZ·wZ}.
 *
 * <p>The true result is a sum of K products of values in [−255, 255], each below 2^16 in magnitude, so it
 * fits int32 for K < 2^15 (larger K throws); intermediate terms may wrap, but int arithmetic is modular
 * and the final sum is exact.
 */
public final class IntGemm {
    private IntGemm() {}

    /**
     * @param a     M×K int8 activations, row-major
     * @param w     N×K int8 weights, row-major (a row per output channel)
     * @param wZero zero point per weight row (length N), or null for symmetric weights
     * @param acc   M×N output, row-major, overwritten
     */
    public static void gemm(int m, int n, int k, byte[] a, int aZero, byte[] w, int[] wZero, int[] acc) {
        if (k >= (1 << 15)) throw new IllegalArgumentException("IntGemm: K " + k + " could overflow int32 accumulation");
        if (a.length < (long) m * k || w.length < (long) n * k || acc.length < (long) m * n) {
            throw new IllegalArgumentException("IntGemm: arrays too small for M " + m + " N " + n + " K " + k);
        }
        int[] wSum = new int[n];
        for (int j = 0; j < n; j++) {
            int s = 0;
            for (int t = 0; t < k; t++) s += w[j * k + t];
            wSum[j] = s;
        }
        for (int i = 0; i < m; i++) {
            int aBase = i * k;
            int aSum = 0;
            for (int t = 0; t < k; t++) aSum += a[aBase + t];
            for (int j = 0; j < n; j++) {
                int wBase = j * k;
                int dot = 0;
                for (int t = 0; t < k; t++) dot += a[aBase + t] * w[wBase + t];
                int wz = wZero == null ? 0 : wZero[j];
                acc[i * n + j] = dot - wz * aSum - aZero * wSum[j] + k * aZero * wz;
            }
        }
    }
}
