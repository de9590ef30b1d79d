package octoquant.bench;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Kernels;
import octoquant.engine.util.Rng;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/** Random operands of one GEMM shape and the three ways to multiply them: our two backends and EJML. */
final class GemmOperands {
    final boolean transA, transB;
    final int m, n, k;
    final float[] a, b, c;
    final FMatrixRMaj ea, eb, ec;
    private final Kernels kernels;
    private final boolean ejml;

    GemmOperands(String backend, boolean transA, boolean transB, int m, int n, int k) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        Rng rng = new Rng(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.uniform(-1f, 1f);
        for (int i = 0; i < b.length; i++) b[i] = rng.uniform(-1f, 1f);
        switch (backend) {
            case "vector" -> {
                kernels = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow(() -> new IllegalStateException(VectorizationProvider.vectorUnavailableReason()));
                ejml = false;
            }
            case "scalar" -> {
                kernels = VectorizationProvider.scalar().kernels();
                ejml = false;
            }
            case "ejml" -> {
                kernels = null;
                ejml = true;
            }
            default -> throw new IllegalArgumentException("backend must be vector, scalar or ejml, got " + backend);
        }
        ea = ejml ? FMatrixRMaj.wrap(transA ? k : m, transA ? m : k, a) : null;
        eb = ejml ? FMatrixRMaj.wrap(transB ? n : k, transB ? k : n, b) : null;
        ec = ejml ? FMatrixRMaj.wrap(m, n, c) : null;
    }

    /** Parses a variant name: NN, NT, TN or TT (first letter A, second B; T = transposed). */
    static GemmOperands of(String backend, String variant, int m, int n, int k) {
        if (!variant.matches("[NT][NT]")) throw new IllegalArgumentException("variant must be NN, NT, TN or TT, got " + variant);
        return new GemmOperands(backend, variant.charAt(0) == 'T', variant.charAt(1) == 'T', m, n, k);
    }

    long flops() {
        return 2L * m * n * k;
    }

    void multiply() {
        if (ejml) {
            if (!transA && !transB) CommonOps_FDRM.mult(ea, eb, ec);
            else if (transA && !transB) CommonOps_FDRM.multTransA(ea, eb, ec);
            else if (!transA) CommonOps_FDRM.multTransB(ea, eb, ec);
            else CommonOps_FDRM.multTransAB(ea, eb, ec);
        } else {
            Gemm.gemm(kernels, transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        }
    }
}
