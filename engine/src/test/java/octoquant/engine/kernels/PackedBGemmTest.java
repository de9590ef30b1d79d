package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * A product with op(B) packed beforehand ({@link Gemm#packB}) gives the very same floats as the GEMM that
 * packs B itself, on both backends, every transpose variant, overwrite and accumulate, 1 and 2 threads —
 * including the shapes the GEMM runs as the transposed product (a linear layer's {@code x · Wᵀ}) and the
 * narrow {@code A·Bᵀ} it computes from dot tiles.
 */
class PackedBGemmTest {

    @Provide
    Arbitrary<Kernels> backends() {
        return Arbitraries.of(VectorizationProvider.scalar().kernels(), VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow());
    }

    @Provide
    Arbitrary<Integer> dims() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(10, 150),
                Arbitraries.of(16, 63, 64, 65, 127, 128, 129, 192, 257));
    }

    @Property(tries = 150)
    void sameFloatsAsPackingEachCall(@ForAll("backends") Kernels kernels, @ForAll boolean transA, @ForAll boolean transB,
                                     @ForAll("dims") int m, @ForAll("dims") int n, @ForAll("dims") int k,
                                     @ForAll boolean accumulate) {
        check(kernels, transA, transB, m, n, k, accumulate);
    }

    @Test
    void linearLayerShapesMatchOnBothBackends() {
        Kernels vector = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        Kernels scalar = VectorizationProvider.scalar().kernels();
        // x · Wᵀ of the MLP (run transposed by the GEMM), its last test batch, the 10-way head (dot tiles),
        // and transposed-form shapes whose m or n is not a multiple of the wide panel.
        int[][] shapes = {{64, 128, 784}, {16, 128, 784}, {64, 10, 128}, {65, 200, 513}, {64, 129, 784},
            {64, 192, 1000}, {128, 256, 2304}};
        for (Kernels kern : new Kernels[] {vector, scalar}) {
            for (int[] s : shapes) {
                for (boolean transA : new boolean[] {false, true}) {
                    check(kern, transA, true, s[0], s[1], s[2], false);
                    check(kern, transA, true, s[0], s[1], s[2], true);
                    check(kern, transA, false, s[0], s[1], s[2], false);
                }
            }
        }
    }

    /**
     * A B of exactly one wide panel stored without gaps (n = the wide width, ldb = n: the Winograd
     * inference products) is read in place instead of packed; the same floats as the same B stored with
     * a wider leading dimension, which the GEMM packs.
     */
    @Test
    void aGaplessSingleWidePanelGivesThePackedFloats() {
        for (Kernels kern : new Kernels[] {VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow(),
                VectorizationProvider.scalar().kernels()}) {
            int n = kern.gemmWideWidth();
            for (int[] mk : new int[][] {{64, 32}, {7, 300}, {130, 129}, {4, 1}}) {
                int m = mk[0], k = mk[1];
                Rng rng = new Rng(m * 31L + k);
                float[] a = new float[m * k + 2], gapless = new float[3 + k * n], wide = new float[3 + k * (n + 5)];
                for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
                for (int p = 0; p < k; p++) {
                    for (int j = 0; j < n; j++) gapless[3 + p * n + j] = wide[3 + p * (n + 5) + j] = (float) rng.nextGaussian();
                }
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] want = new float[m * n], got = new float[m * n];
                        for (int i = 0; i < want.length; i++) want[i] = got[i] = (float) Math.sin(i);
                        int lda = transA ? m : k;
                        Gemm.gemm(kern, transA, false, m, n, k, a, 2, lda, wide, 3, n + 5, want, 0, n, accumulate);
                        Gemm.gemm(kern, transA, false, m, n, k, a, 2, lda, gapless, 3, n, got, 0, n, accumulate);
                        assertArrayEquals(want, got, kern + " m=" + m + " k=" + k + " transA=" + transA + " accumulate=" + accumulate);
                    }
                }
            }
        }
    }

    @Test
    void aPackOfAnotherShapeIsRejected() {
        Kernels vector = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        float[] b = new float[128 * 784];
        Gemm.PackedB packed = Gemm.packB(vector, true, 128, 784, b, 0, 784);
        float[] a = new float[64 * 700], c = new float[64 * 128];
        // The packed operand fixes n and k; an A with a different k cannot be described, so a short A is the error.
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(vector, false, 64, a, 0, 784, b, 0, 784, packed, c, 0, 128, false));
    }

    private static void check(Kernels kernels, boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        Rng rng = new Rng(31L * m + 7L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        int lda = transA ? m : k, ldb = transB ? k : n;
        float[] a = gaussian(rng, m * k), b = gaussian(rng, k * n), c0 = gaussian(rng, m * n);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                float[] expected = c0.clone(), actual = c0.clone();
                Gemm.gemm(kernels, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, expected, 0, n, accumulate);
                Gemm.PackedB packed = Gemm.packB(kernels, transB, n, k, b, 0, ldb);
                Gemm.gemm(kernels, transA, m, a, 0, lda, b, 0, ldb, packed, actual, 0, n, accumulate);
                assertArrayEquals(expected, actual, kernels.name() + " " + m + "x" + n + "x" + k + " transA " + transA
                        + " transB " + transB + " accumulate " + accumulate + " threads " + threads);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[] gaussian(Rng rng, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }
}
