package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import octoquant.engine.util.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GEMM gives bit-identical results with 1, 2, 3 and 4 threads, on both backends and every variant, and also
 * when one worker is slow (so the other threads claim most of the work units).
 */
class GemmThreadDeterminismTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
        Parallel.workerRangeHook = null;
    }

    /**
     * m, n, k: the reference models' shapes at batch 64 and awkward ones crossing every block size;
     * 600 × 700 × 300 gives several row blocks and several column blocks of work units at once.
     */
    private static final int[][] SHAPES = {
        {64, 128, 784}, {128, 784, 64}, {64, 784, 128}, {64, 10, 128}, {32, 1024, 27}, {64, 256, 288},
        {64, 64, 4096}, {67, 333, 301}, {300, 70, 257}, {5, 2000, 130}, {64, 27, 1024}, {7, 61, 3001},
        {600, 700, 300},
    };

    @Test
    void vectorBackendIsBitIdenticalForOneTwoThreeThreads() {
        Kernels v = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        for (int[] s : SHAPES) for (int variant = 0; variant < 4; variant++) check(v, s[0], s[1], s[2], variant);
    }

    @Test
    void scalarBackendIsBitIdenticalForOneTwoThreeThreads() {
        Kernels sc = VectorizationProvider.scalar().kernels();
        check(sc, 67, 333, 301, 0);
        check(sc, 300, 70, 257, 3);
        check(sc, 64, 128, 200, 1);
    }

    @Test
    void aSlowWorkerChangesNoBit() {
        Kernels v = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        // Every range a worker claims starts late, so the caller ends up computing most units itself.
        Parallel.workerRangeHook = () -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        for (int[] s : new int[][] {{64, 128, 784}, {128, 784, 64}, {67, 333, 301}, {64, 27, 1024}}) {
            for (int variant = 0; variant < 4; variant++) check(v, s[0], s[1], s[2], variant);
        }
    }

    private static void check(Kernels kernels, int m, int n, int k, int variant) {
        boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0;
        Rng rng = new Rng(31L * m + 17L * n + k + variant);
        float[] a = new float[m * k], b = new float[k * n], c0 = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.uniform(-1f, 1f);
        for (int i = 0; i < b.length; i++) b[i] = rng.uniform(-1f, 1f);
        for (int i = 0; i < c0.length; i++) c0[i] = rng.uniform(-1f, 1f);
        float[] first = null;
        for (int t = 1; t <= 4; t++) {
            Parallel.setThreads(t);
            float[] c = c0.clone();
            Gemm.gemm(kernels, transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, variant % 3 == 0);
            if (first == null) {
                first = c;
                boolean changed = false;
                for (int i = 0; i < c.length && !changed; i++) changed = c[i] != c0[i];
                assertTrue(changed, "gemm did nothing");
            } else {
                assertArrayEquals(first, c, kernels.name() + " variant " + variant + " m=" + m + " n=" + n + " k=" + k
                        + ": " + t + " threads differ from 1 thread");
            }
        }
    }
}
