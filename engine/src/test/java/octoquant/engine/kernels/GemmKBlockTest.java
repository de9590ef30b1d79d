package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import octoquant.engine.util.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The GEMM's rounding contract, element by element: {@code C = C0 (+) acc_0 (+) acc_1 ...}, where
 * {@code acc_q} is one running sum from zero over k-block q in order, and the k-blocks are
 * {@link BlockedGemm#kBlock} long, from the shape alone. A reference loop that sums exactly so must match
 * the GEMM bit for bit, on both backends, on 1 and 2 threads, for all four transpose variants: the models'
 * shapes (128-step blocks, which set the rounding of every committed result) and large ones (512-step
 * blocks). The transposed-A variants of the larger shapes go through the GEMM's row-major copy of A; the
 * others pack A per work unit.
 */
class GemmKBlockTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** m, n, k with n a multiple of every backend's wide panel, so each column gets the wide kernel's order. */
    private static final int[][] SHAPES = {
        {64, 64, 4096}, {64, 128, 784}, {255, 320, 700}, {320, 192, 1100},
        {256, 256, 600}, {300, 256, 1100},
    };

    @Test
    void blockLengthIs128UnlessBothSidesOfCAreLarge() {
        assertEquals(128, BlockedGemm.kBlock(64, 4096));
        assertEquals(128, BlockedGemm.kBlock(4096, 64));
        assertEquals(128, BlockedGemm.kBlock(255, 1024));
        assertEquals(512, BlockedGemm.kBlock(256, 256));
        assertEquals(512, BlockedGemm.kBlock(1024, 1024));
    }

    @Test
    void vectorBackendSumsEachBlockFromZeroThenAddsTheBlocksInOrder() {
        Kernels v = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            for (int[] s : SHAPES) for (int variant = 0; variant < 8; variant++) check(v, true, s[0], s[1], s[2], variant);
        }
    }

    @Test
    void scalarBackendSumsEachBlockFromZeroThenAddsTheBlocksInOrder() {
        Kernels sc = VectorizationProvider.scalar().kernels();
        Parallel.setThreads(2);
        for (int[] s : SHAPES) check(sc, false, s[0], s[1], s[2], 1);
    }

    /** variant: bit 0 accumulate into a random C, bit 1 A transposed, bit 2 B transposed. */
    private static void check(Kernels kern, boolean fused, int m, int n, int k, int variant) {
        boolean accumulate = (variant & 1) != 0, transA = (variant & 2) != 0, transB = (variant & 4) != 0;
        Rng rng = new Rng(31L * m + 7L * n + k + variant);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian();
        for (int i = 0; i < c.length; i++) c[i] = (float) rng.nextGaussian();
        float[] expected = c.clone();
        int block = BlockedGemm.kBlock(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = accumulate ? expected[i * n + j] : 0f;
                for (int p0 = 0; p0 < k; p0 += block) {
                    float acc = 0f;
                    for (int p = p0; p < Math.min(k, p0 + block); p++) {
                        float x = transA ? a[p * m + i] : a[i * k + p], y = transB ? b[j * k + p] : b[p * n + j];
                        acc = fused ? Math.fma(x, y, acc) : acc + x * y;
                    }
                    sum = accumulate || p0 > 0 ? sum + acc : acc;
                }
                expected[i * n + j] = sum;
            }
        }
        BlockedGemm.gemm(kern, true, transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, accumulate);
        for (int e = 0; e < c.length; e++) {
            if (Float.floatToRawIntBits(c[e]) != Float.floatToRawIntBits(expected[e])) {
                throw new AssertionError(kern.name() + " " + m + "x" + n + "x" + k + " variant " + variant + " threads "
                        + Parallel.threads() + ": element " + e + " is " + c[e] + ", the blocked sum " + expected[e]);
            }
        }
    }
}
