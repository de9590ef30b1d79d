package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.util.Rng;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/**
 * GEMM on both backends, all four transpose variants, against EJML on random shapes: offsets, leading
 * dimensions wider than the matrix (the gaps hold NaN, so reading them would show), accumulate on and
 * off, both the serial backend call and the threaded {@link Gemm} entry point.
 */
class GemmProperties {
    private static final double U = Math.ulp(1.0f) / 2;

    @Provide
    Arbitrary<Kernels> backends() {
        return Arbitraries.of(VectorizationProvider.scalar().kernels(), VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow());
    }

    @Provide
    Arbitrary<Integer> dims() {
        // Small sizes and sizes that straddle the panel widths (4, 16, 64) and the k-block (128).
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(10, 150),
                Arbitraries.of(63, 64, 65, 127, 128, 129, 257));
    }

    @Property(tries = 200)
    void matchesEjml(@ForAll("backends") Kernels kernels, @ForAll boolean transA, @ForAll boolean transB,
                     @ForAll("dims") int m, @ForAll("dims") int n, @ForAll("dims") int k,
                     @ForAll boolean accumulate, @ForAll boolean threaded,
                     @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Rng rng = new Rng(seed);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = n + pad;
        int aOff = pad, bOff = 2 * pad + 1, cOff = pad + 3;
        float[] a = stored(rng, aRows, aCols, aOff, lda, Float.NaN);
        float[] b = stored(rng, bRows, bCols, bOff, ldb, Float.NaN);
        float[] c = stored(rng, m, n, cOff, ldc, 12345f);
        float[] c0 = c.clone();

        if (threaded) Gemm.gemm(kernels, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        else kernels.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);

        FMatrixRMaj ma = dense(a, aRows, aCols, aOff, lda), mb = dense(b, bRows, bCols, bOff, ldb);
        FMatrixRMaj ref = new FMatrixRMaj(m, n);
        if (!transA && !transB) CommonOps_FDRM.mult(ma, mb, ref);
        else if (transA && !transB) CommonOps_FDRM.multTransA(ma, mb, ref);
        else if (!transA) CommonOps_FDRM.multTransB(ma, mb, ref);
        else CommonOps_FDRM.multTransAB(ma, mb, ref);

        String what = kernels.name() + (transA ? " A^T" : " A") + (transB ? "·B^T" : "·B") + " m=" + m + " n=" + n + " k=" + k
                + " acc=" + accumulate + " pad=" + pad;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            int i = rel >= 0 ? rel / ldc : -1, j = rel >= 0 ? rel % ldc : -1;
            if (i < 0 || i >= m || j >= n) {
                assertEquals(c0[idx], c[idx], what + ": wrote outside C at index " + idx);
                continue;
            }
            double abs = 0;
            for (int p = 0; p < k; p++) abs += Math.abs((double) ma.get(transA ? p : i, transA ? i : p) * mb.get(transB ? j : p, transB ? p : j));
            double base = accumulate ? c0[idx] : 0;
            double expected = base + ref.get(i, j);
            double tol = 4 * (k + 2) * U * (abs + Math.abs(base)) + 1e-30;
            assertEquals(expected, c[idx], tol, what + " at " + i + "," + j);
        }
    }

    @Test
    void zeroSizesAndZeroK() {
        Kernels v = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        float[] c = {1, 2, 3, 4};
        v.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, true);
        assertEquals(4f, c[3]);
        Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2, false);
        for (float x : c) assertEquals(0f, x);
        Gemm.gemm(false, false, 0, 5, 3, new float[0], 0, 3, new float[15], 0, 5, new float[0], 0, 5, false);
    }

    @Test
    void badShapesGiveAClearMessageAndLeaveCUntouched() {
        float[] c = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, false, 2, 2, 3, new float[5], 0, 3, new float[6], 0, 2, c, 0, 2, false));
        assertTrue(e.getMessage().contains("A is stored as 2x3") && e.getMessage().contains("m=2 n=2 k=3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(false, true, 2, 2, 3, new float[6], 0, 3, new float[6], 0, 2, c, 0, 2, false));
        assertTrue(e.getMessage().contains("leading dimension of B"), e.getMessage());
        for (float x : c) assertEquals(0f, x);
    }

    /** A rows×cols matrix stored at off with leading dimension ld; everything else is filler. */
    private static float[] stored(Rng rng, int rows, int cols, int off, int ld, float filler) {
        float[] x = new float[off + rows * ld + 2];
        java.util.Arrays.fill(x, filler);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) x[off + i * ld + j] = rng.uniform(-1f, 1f);
        return x;
    }

    private static FMatrixRMaj dense(float[] x, int rows, int cols, int off, int ld) {
        FMatrixRMaj d = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) d.set(i, j, x[off + i * ld + j]);
        return d;
    }
}
