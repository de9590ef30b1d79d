package octoquant.engine.kernels;

/**
 * The numeric loops behind the ops, one implementation per backend (scalar Java, Vector API). All
 * matrices are row-major with an explicit leading dimension; {@code op(X)} is X or its transpose.
 * Methods here run on the calling thread; {@link Gemm} splits work across threads.
 *
 * <p>GEMM is split in two layers: {@link BlockedGemm} does the cache blocking and packing (shared by
 * every backend, so both backends reduce in the same order), and each backend supplies only the
 * register-blocked micro-kernel {@link #gemmMicroKernel} over packed panels.
 */
public interface Kernels {
    /** Rows of C one micro-kernel call computes; the packed A panels are this many rows wide. */
    int GEMM_MR = 4;

    /** Backend name for logs and results, e.g. {@code scalar} or {@code vector}. */
    String name();

    /** Float lanes per vector operation (1 for scalar). */
    int floatLanes();

    /**
     * {@code C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]}.
     * A is {@code m×k} (or {@code k×m} when transposed) with leading dimension lda; likewise B and C.
     * Runs on the calling thread only (the cache-blocked algorithm of {@link BlockedGemm}).
     */
    default void gemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        BlockedGemm.gemm(this, false, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Sum of {@code a[aOff+i] * b[bOff+i]} for i below n. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff+i] += alpha * x[xOff+i]} for i below n. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** Width (columns of C) of the wide packed B panel the micro-kernel handles; a multiple of {@link #gemmNarrowWidth()}. */
    int gemmWideWidth();

    /** Width of the narrow packed B panel used for the columns left over after the wide panels. */
    int gemmNarrowWidth();

    /**
     * The register-blocked inner kernel: a {@link #GEMM_MR} × w tile of C, where w is
     * {@link #gemmWideWidth()} or, when {@code narrow}, {@link #gemmNarrowWidth()}. Element (r, p) of the
     * A block is {@code a[aOff + r·aRowStride + p·aStepStride]} (a packed panel has strides 1 and MR; a
     * row-major A read in place has lda and 1), B is a packed panel: element (p, j) at {@code bp[bpOff + p·w + j]}.
     * {@code acc[r][j] = Σ_{p<kc} A(r, p) · B(p, j)}, reduced in an order that depends only on kc and on
     * {@code narrow}, the same for every element of every tile (part of the contract: it makes results
     * independent of how the caller splits C). Then {@code C[r][j] = add ? C[r][j] + acc[r][j] : acc[r][j]}
     * with {@code C[r][j]} at {@code c[cOff + r·ldc + j]}, for every element of the full tile.
     */
    void gemmMicroKernel(int kc, float[] a, int aOff, int aRowStride, int aStepStride,
                         float[] bp, int bpOff, boolean narrow, float[] c, int cOff, int ldc, boolean add);

    /**
     * {@code y[i] = max(x[i], 0)} for i below n, with {@link Math#max} semantics (a NaN passes through,
     * {@code -0} becomes {@code +0}).
     */
    default void relu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = Math.max(x[i], 0f);
    }

    /**
     * ReLU's backward pass: {@code gx[i] += x[i] > 0 ? g[i] : 0} for i below n (adding +0 where the input
     * was not positive, exactly as the scalar expression does).
     */
    default void reluBackward(float[] x, float[] g, float[] gx, int n) {
        for (int i = 0; i < n; i++) gx[i] += x[i] > 0f ? g[i] : 0f;
    }

    /**
     * Adam's moment update and step for elements {@code [from, to)}, without weight decay:
     * {@code m ← m + (1−β₁)(g − m)}, {@code v ← β₂v + (1−β₂)g²},
     * {@code delta = −stepSize·m / (√v / bc2Sqrt + eps)}. Every backend evaluates exactly these float
     * operations in this order (no fused multiply-add; the square root is correctly rounded), so the
     * result is bit-identical across backends and element splits.
     */
    default void adamUpdate(float[] g, float[] m, float[] v, float[] delta, int from, int to,
                            float beta1, float beta2, float stepSize, float bc2Sqrt, float eps) {
        float c1 = 1 - beta1, c2 = 1 - beta2, neg = -stepSize;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mv = m[i] + c1 * (gi - m[i]);
            float vv = beta2 * v[i] + c2 * gi * gi;
            m[i] = mv;
            v[i] = vv;
            delta[i] = neg * mv / ((float) Math.sqrt(vv) / bc2Sqrt + eps);
        }
    }

    /**
     * Whether {@link #gemmDotTile} is implemented. Used for {@code C = A·Bᵀ} with both operands read in
     * place (each C element is a dot product of two contiguous rows), which avoids transposing B.
     */
    default boolean hasGemmDotTile() {
        return false;
    }

    /**
     * A 4 × 4 tile of dot products: {@code out[r·4 + c] = Σ_{p<k} a[aRow_r + p] · b[bRow_c + p]} for the
     * four A rows starting at {@code aRow0..aRow3} and the four B rows at {@code bRow0..bRow3} (rows may
     * repeat). The reduction order depends only on k, so every element is computed the same way in
     * whichever tile it lands.
     */
    default void gemmDotTile(int k, float[] a, int aRow0, int aRow1, int aRow2, int aRow3,
                             float[] b, int bRow0, int bRow1, int bRow2, int bRow3, float[] out) {
        throw new UnsupportedOperationException(name() + " has no dot-product GEMM tile");
    }
}
