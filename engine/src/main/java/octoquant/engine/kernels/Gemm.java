package octoquant.engine.kernels;

/**
 * The GEMM entry point the ops call: the cache-blocked, packed algorithm of {@link BlockedGemm} on the
 * active backend, spread over {@link Parallel}'s threads by tiles of C. Every element of C is reduced
 * over k in the same order whatever the thread count (fixed k-blocks, in-order micro-kernel), so the
 * result is bit-identical for 1, 2 or any number of threads.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * {@code C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]} on the active backend, row-major with
     * leading dimensions; op(X) is X or its transpose. Uses all threads of {@link Parallel} when the
     * product is large enough; results independent of the thread count.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(VectorizationProvider.get().kernels(), transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** As {@link #gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)} on a given backend. */
    public static void gemm(Kernels kernels, boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        BlockedGemm.gemm(kernels, true, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }
}
