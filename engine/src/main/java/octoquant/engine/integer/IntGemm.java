package octoquant.engine.integer;

import octoquant.engine.kernels.QuantKernels;
import octoquant.engine.kernels.VectorizationProvider;

/**
 * The integer matrix product of integer inference, as plain loops C2 can vectorize:
 * {@code acc[i][j] = Σ_k (a[i][k] − aZero)·(w[j][k] − wZero[j])} with int32 accumulation.
 * Following Jacob et al. (2018, §2.3) the zero points are not subtracted inside the loop: the loop sums
 * {@code a·w} and the corrections use row sums, {@code Σaw − wZ·Σa − aZ·Σw + K·aZ·wZ}.
 *
 * <p>The true result is a sum of K products of values in [−255, 255], each below 2^16 in magnitude, so it
 * fits int32 for K &lt; 2^15 (larger K throws); intermediate terms may wrap, but int arithmetic is modular
 * and the final sum is exact.
 */
public final class IntGemm {
    /** Weight rows widened to int at a time: 32 rows of K ints stay in L1/L2 while every activation row passes. */
    private static final int WEIGHT_ROWS_PER_BLOCK = 32;

    private IntGemm() {}

    /**
     * @param a     M×K int8 activations, row-major
     * @param w     N×K int8 weights, row-major (a row per output channel)
     * @param wZero zero point per weight row (length N), or null for symmetric weights
     * @param acc   M×N output, row-major, overwritten
     */
    public static void gemm(int m, int n, int k, byte[] a, int aZero, byte[] w, int[] wZero, int[] acc) {
        gemm(VectorizationProvider.get().quantKernels(), m, n, k, a, aZero, w, wZero, acc);
    }

    /** As {@link #gemm(int, int, int, byte[], int, byte[], int[], int[])} with the given dot-product kernels (tests). */
    static void gemm(QuantKernels kernels, int m, int n, int k, byte[] a, int aZero, byte[] w, int[] wZero, int[] acc) {
        if (k >= (1 << 15)) throw new IllegalArgumentException("IntGemm: K " + k + " could overflow int32 accumulation");
        if (a.length < (long) m * k || w.length < (long) n * k || acc.length < (long) m * n) {
            throw new IllegalArgumentException("IntGemm: arrays too small for M " + m + " N " + n + " K " + k);
        }
        // C2 does not vectorize a byte·byte → int reduction on JDK 17, but it does the int·int one (about
        // 4.5× faster in a probe): both operands are widened to int first, the activations once, the
        // weights a block of rows at a time so the scratch stays small and in cache. The vector form wants
        // rows padded with zeros to whole vectors (no scalar tail per dot product; zeros add nothing).
        int stride = kernels.intRowStride(k);
        int[] aw = new int[m * stride];
        int[] aSum = new int[m];
        for (int i = 0; i < m; i++) {
            int s = 0;
            for (int t = 0; t < k; t++) {
                int v = a[i * k + t];
                aw[i * stride + t] = v;
                s += v;
            }
            aSum[i] = s;
        }
        int block = Math.min(n, WEIGHT_ROWS_PER_BLOCK);
        int[] ww = new int[block * stride];
        // the dot products: QuantKernels' scalar loops, or its Vector API form (4 activation rows × 4 weight
        // rows in registers)
        int[] dots = new int[m * block];
        for (int j0 = 0; j0 < n; j0 += block) {
            int rows = Math.min(block, n - j0);
            for (int jj = 0; jj < rows; jj++) {
                for (int t = 0; t < k; t++) ww[jj * stride + t] = w[(j0 + jj) * k + t];
            }
            kernels.intDots(m, rows, stride, aw, ww, dots);
            for (int jj = 0; jj < rows; jj++) {
                int j = j0 + jj, wBase = jj * stride;
                int wSum = 0;
                for (int t = 0; t < k; t++) wSum += ww[wBase + t];
                int wz = wZero == null ? 0 : wZero[j];
                int correction = -aZero * wSum + k * aZero * wz;
                for (int i = 0; i < m; i++) {
                    acc[i * n + j] = dots[i * rows + jj] - wz * aSum[i] + correction;
                }
            }
        }
    }
}
