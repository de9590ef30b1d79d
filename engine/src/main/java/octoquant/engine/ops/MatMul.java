package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/**
 * {@code C = op(A) · op(B)} for 2-d tensors, where op is the identity or the transpose, through
 * {@link Gemm#gemm}. The backward pass is two more GEMMs with the transposes arranged so that no
 * transposed copy is ever made.
 */
public final class MatMul {
    private MatMul() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul: needs 2-d operands, got " + a.shape() + " and " + b.shape());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + (transA ? "A^T of " : "A ")
                    + a.shape() + " times " + (transB ? "B^T of " : "B ") + b.shape() + " (" + k + " vs " + kb + ")");
        }
        int lda = a.dim(1), ldb = b.dim(1);
        float[] av = a.data(), bv = b.data();
        float[] c = new float[m * n];
        Gemm.gemm(transA, transB, m, n, k, av, 0, lda, bv, 0, ldb, c, 0, n, false);
        return Tensor.fromOp("matmul", c, Shape.of(m, n), false, g -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradBuffer();
                if (!transA) {
                    // dA[m×k] = dC · op(B)^T
                    Gemm.gemm(false, !transB, m, k, n, g, 0, n, bv, 0, ldb, ga, 0, lda, true);
                } else {
                    // A is stored k×m: dA = op(B) · dC^T
                    Gemm.gemm(transB, true, k, m, n, bv, 0, ldb, g, 0, n, ga, 0, lda, true);
                }
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradBuffer();
                if (!transB) {
                    // dB[k×n] = op(A)^T · dC
                    Gemm.gemm(!transA, false, k, n, m, av, 0, lda, g, 0, n, gb, 0, ldb, true);
                } else {
                    // B is stored n×k: dB = dC^T · op(A)
                    Gemm.gemm(true, transA, n, k, m, g, 0, n, av, 0, lda, gb, 0, ldb, true);
                }
            }
        }, a, b);
    }
}
