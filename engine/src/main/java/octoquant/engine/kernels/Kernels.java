package octoquant.engine.kernels;

/**
 * The numeric loops behind the ops, one implementation per backend (scalar Java, Vector API). All
 * matrices are row-major with an explicit leading dimension; {@code op(X)} is X or its transpose.
 * Methods here run on the calling thread; {@link Gemm} splits work across threads.
 */
public interface Kernels {
    /** Backend name for logs and results, e.g. {@code scalar} or {@code vector}. */
    String name();

    /** Float lanes per vector operation (1 for scalar). */
    int floatLanes();

    /**
     * {@code C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]}.
     * A is {@code m×k} (or {@code k×m} when transposed) with leading dimension lda; likewise B and C.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /** Sum of {@code a[aOff+i] * b[bOff+i]} for i below n. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff+i] += alpha * x[xOff+i]} for i below n. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);
}
