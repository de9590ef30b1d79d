package octoquant.engine.kernels;

/**
 * The GEMM entry point the ops call. (Provisional: single-threaded on the active backend until the
 * blocked, multi-threaded version lands.)
 */
public final class Gemm {
    private Gemm() {}

    /** See {@link Kernels#gemm}; may use all threads of {@link Parallel}, results independent of the count. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        KernelProvider.get().gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }
}
