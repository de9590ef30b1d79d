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

    /**
     * Whether permuting the columns of B permutes those of {@code C = A·B} (neither transposed) bit for bit
     * on the active backend, for any m and k: when n is a multiple of the wide panel width every column
     * gets the same micro-kernel reduction (leftover columns get the narrow one, which sums in another order).
     */
    public static boolean columnPermutationExact(int n) {
        return n % VectorizationProvider.get().kernels().gemmWideWidth() == 0;
    }

    /**
     * Whether every element of C is one running sum over all k products, from 0 in order (k within one
     * k-block), rather than the sum of several blocks' sums, for any m and n (the shortest k-block).
     */
    public static boolean reducesInOneBlock(int k) {
        return k <= BlockedGemm.KC;
    }

    /**
     * op(B) of {@code C = op(A)·op(B)} (k × n) packed once on the active backend, for repeated products with
     * the same B, e.g. a weight while it does not change. Holds a copy: it does not follow later writes to B.
     */
    public static final class PackedB {
        final Kernels kernels;
        final boolean transB;
        final int n, k;
        final float[] panels;

        private PackedB(Kernels kernels, boolean transB, int n, int k, float[] panels) {
            this.kernels = kernels;
            this.transB = transB;
            this.n = n;
            this.k = k;
            this.panels = panels;
        }
    }

    /** Packs op(B) ({@code transB ? Bᵀ : B}, k × n, row-major B with leading dimension ldb) for {@link #gemm(boolean, int, float[], int, int, float[], int, int, PackedB, float[], int, int, boolean)}. */
    public static PackedB packB(boolean transB, int n, int k, float[] b, int bOff, int ldb) {
        return packB(VectorizationProvider.get().kernels(), transB, n, k, b, bOff, ldb);
    }

    /** As {@link #packB(boolean, int, int, float[], int, int)} for a given backend. */
    public static PackedB packB(Kernels kernels, boolean transB, int n, int k, float[] b, int bOff, int ldb) {
        return new PackedB(kernels, transB, n, k, BlockedGemm.packB(kernels, transB, n, k, b, bOff, ldb));
    }

    /**
     * The same floats as {@link #gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}
     * with op(B) taken from {@code packed}, which must have been packed from B's current values (B itself is
     * read only for the shapes the GEMM does not compute from packed panels, and when the backend changed
     * since the pack). Skips packing B, and for a product the GEMM runs transposed ({@code A·Bᵀ} with B the
     * larger operand) the transposes of A and of the result.
     */
    public static void gemm(boolean transA, int m, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            PackedB packed, float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(VectorizationProvider.get().kernels(), transA, m, a, aOff, lda, b, bOff, ldb, packed, c, cOff, ldc, accumulate);
    }

    /** As {@link #gemm(boolean, int, float[], int, int, float[], int, int, PackedB, float[], int, int, boolean)} on a given backend. */
    public static void gemm(Kernels kern, boolean transA, int m, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            PackedB packed, float[] c, int cOff, int ldc, boolean accumulate) {
        int n = packed.n, k = packed.k;
        if (kern != packed.kernels || !BlockedGemm.usesPackedB(kern, transA, packed.transB, m, n, k)) {
            gemm(kern, transA, packed.transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        BlockedGemm.gemmPrepacked(kern, true, transA, m, n, k, a, aOff, lda, packed.panels, c, cOff, ldc, accumulate);
    }
}
