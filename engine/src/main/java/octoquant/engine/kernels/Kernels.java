package octoquant.engine.kernels;

/**
 * The numeric loops behind the ops. This class is the scalar form: plain Java loops, always available,
 * the reference the Vector API form ({@link VectorKernels}) is tested against; each step of a reduction is
 * a multiply then an add (two roundings), in index order. {@link VectorizationProvider} hands out the
 * form in use. All matrices are row-major with an explicit leading dimension; {@code op(X)} is X or its
 * transpose. Methods here run on the calling thread; {@link Gemm} splits work across threads.
 *
 * <p>GEMM is split in two layers: {@link BlockedGemm} does the cache blocking and packing (shared by
 * every backend, so both backends reduce in the same order), and each backend supplies only the
 * register-blocked micro-kernel {@link #gemmMicroKernel} over packed panels.
 */
public class Kernels {
    /** Rows of C one micro-kernel call computes; the packed A panels are this many rows wide. */
    public static final int GEMM_MR = 4;
    private static final int WIDE = 4;

    /** Created by the providers ({@link VectorizationProvider#scalar()} holds the scalar one). */
    protected Kernels() {}

    /** Backend name for logs and results, e.g. {@code scalar} or {@code vector}. */
    public String name() {
        return "scalar";
    }

    /** Float lanes per vector operation (1 for scalar). */
    public int floatLanes() {
        return 1;
    }

    /**
     * {@code C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]}.
     * A is {@code m×k} (or {@code k×m} when transposed) with leading dimension lda; likewise B and C.
     * Runs on the calling thread only (the cache-blocked algorithm of {@link BlockedGemm}).
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        BlockedGemm.gemm(this, false, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Sum of {@code a[aOff+i] * b[bOff+i]} for i below n. */
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code y[yOff+i] += alpha * x[xOff+i]} for i below n. */
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** Width (columns of C) of the wide packed B panel the micro-kernel handles; a multiple of {@link #gemmNarrowWidth()}. */
    public int gemmWideWidth() {
        return WIDE;
    }

    /** Width of the narrow packed B panel used for the columns left over after the wide panels. */
    public int gemmNarrowWidth() {
        return 1;
    }

    /**
     * The register-blocked inner kernel: a {@link #GEMM_MR} × w tile of C, where w is
     * {@link #gemmWideWidth()} or, when {@code narrow}, {@link #gemmNarrowWidth()}. Element (r, p) of the
     * A block is {@code a[aOff + r·aRowStride + p·aStepStride]} (a packed panel has strides 1 and MR; a
     * row-major A read in place has lda and 1), B is a packed panel: element (p, j) at {@code bp[bpOff + p·w + j]}.
     * {@code acc[r][j] = Σ_{p<kc} A(r, p) · B(p, j)}, reduced in an order that depends only on kc and on
     * {@code narrow}, the same for every element of every tile (part of the contract: it makes results
     * independent of how the caller splits C). Then {@code C[r][j] = acc[r][j]} with {@code C[r][j]} at
     * {@code c[cOff + r·ldc + j]}, for every element of the full tile. To add the products to C, a caller
     * stores them into a tile and calls {@link #gemmAddTile}.
     */
    public void gemmMicroKernel(int kc, float[] ap, int apOff, int rs, int ps,
                                float[] bp, int bpOff, boolean narrow, float[] c, int cOff, int ldc) {
        if (narrow) {
            microNarrow(kc, ap, apOff, rs, ps, bp, bpOff, c, cOff, ldc);
            return;
        }
        int r0 = apOff, r1 = apOff + rs, r2 = apOff + 2 * rs, r3 = apOff + 3 * rs;
        // 4×4 tile in 16 locals so the JIT can keep them in registers.
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int pa = p * ps, bi = bpOff + p * WIDE;
            float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            float a0 = ap[r0 + pa];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            float a1 = ap[r1 + pa];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            float a2 = ap[r2 + pa];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            float a3 = ap[r3 + pa];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        put4(c, cOff, c00, c01, c02, c03);
        put4(c, cOff + ldc, c10, c11, c12, c13);
        put4(c, cOff + 2 * ldc, c20, c21, c22, c23);
        put4(c, cOff + 3 * ldc, c30, c31, c32, c33);
    }

    /**
     * {@code C[r][j] += tile[r·w + j]} for {@code r < rows}, {@code j < cols}, with {@code C[r][j]} at
     * {@code c[cOff + r·ldc + j]}: one float addition per element (each row an {@link #axpy} with alpha 1,
     * whose product is exact), so every backend gives the same floats.
     */
    public void gemmAddTile(float[] tile, int w, int rows, int cols, float[] c, int cOff, int ldc) {
        for (int r = 0; r < rows; r++) axpy(1f, tile, r * w, c, cOff + r * ldc, cols);
    }

    /**
     * {@code y[i] = max(x[i], 0)} for i below n, with {@link Math#max} semantics (a NaN passes through,
     * {@code -0} becomes {@code +0}).
     */
    public void relu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = Math.max(x[i], 0f);
    }

    /**
     * ReLU's backward pass: {@code gx[i] += x[i] > 0 ? g[i] : 0} for i below n (adding +0 where the input
     * was not positive, exactly as the scalar expression does).
     */
    public void reluBackward(float[] x, float[] g, float[] gx, int n) {
        for (int i = 0; i < n; i++) gx[i] += x[i] > 0f ? g[i] : 0f;
    }

    /**
     * Adam's moment update and step for elements {@code [from, to)}, without weight decay:
     * {@code m ← m + (1−β₁)(g − m)}, {@code v ← β₂v + (1−β₂)g²},
     * {@code delta = −stepSize·m / (√v / bc2Sqrt + eps)}. Every backend evaluates exactly these float
     * operations in this order (no fused multiply-add; the square root is correctly rounded), so the
     * result is bit-identical across backends and element splits.
     */
    public void adamUpdate(float[] g, float[] m, float[] v, float[] delta, int from, int to,
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
    public boolean hasGemmDotTile() {
        return false;
    }

    /**
     * A 4 × 4 tile of dot products: {@code out[r·4 + c] = Σ_{p<k} a[aRow_r + p] · b[bRow_c + p]} for the
     * four A rows starting at {@code aRow0..aRow3} and the four B rows at {@code bRow0..bRow3} (rows may
     * repeat). The reduction order depends only on k, so every element is computed the same way in
     * whichever tile it lands: 16 lane sums of fused multiply-adds over {@code p ≡ lane (mod 16)} in
     * increasing p, halved pairwise (lane q with q + 8, q + 4, q + 2, q + 1), then the {@code k % 16} tail
     * product by product ({@code DotTileOrderTest}).
     */
    public void gemmDotTile(int k, float[] a, int aRow0, int aRow1, int aRow2, int aRow3,
                             float[] b, int bRow0, int bRow1, int bRow2, int bRow3, float[] out) {
        throw new UnsupportedOperationException(name() + " has no dot-product GEMM tile");
    }

    private static void microNarrow(int kc, float[] ap, int apOff, int rs, int ps, float[] bp, int bpOff,
                                    float[] c, int cOff, int ldc) {
        int r0 = apOff, r1 = apOff + rs, r2 = apOff + 2 * rs, r3 = apOff + 3 * rs;
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int p = 0; p < kc; p++) {
            int pa = p * ps;
            float b = bp[bpOff + p];
            c0 += ap[r0 + pa] * b;
            c1 += ap[r1 + pa] * b;
            c2 += ap[r2 + pa] * b;
            c3 += ap[r3 + pa] * b;
        }
        c[cOff] = c0;
        c[cOff + ldc] = c1;
        c[cOff + 2 * ldc] = c2;
        c[cOff + 3 * ldc] = c3;
    }

    private static void put4(float[] c, int at, float v0, float v1, float v2, float v3) {
        c[at] = v0;
        c[at + 1] = v1;
        c[at + 2] = v2;
        c[at + 3] = v3;
    }
}
