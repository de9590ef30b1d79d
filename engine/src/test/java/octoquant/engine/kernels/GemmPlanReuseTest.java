package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * The GEMM reuses the plans of recent shapes from a table all threads share: many shapes (more than the
 * table's slots, so they evict one another), on both backends, from several application threads at once,
 * give exactly the bits each shape gives alone.
 */
class GemmPlanReuseTest {
    @Test
    void manyShapesFromFourThreadsGiveTheBitsEachGivesAlone() throws Exception {
        Kernels vector = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow();
        Kernels scalar = VectorizationProvider.scalar().kernels();
        Rng rng = new Rng(5);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            // Sizes around the micro-tile, panel and k-block edges, so different shapes get different plans;
            // and shapes that differ in one size only (a plan's panel offsets depend on k, its split on m, n).
            int m = 1 + rng.nextInt(70), n = 1 + rng.nextInt(140), k = 1 + rng.nextInt(300);
            cases.add(new Case(i % 3 == 0 ? scalar : vector, m, n, k, rng));
            cases.add(new Case(vector, 36, 80, 1 + 3 * i, rng));
            cases.add(new Case(vector, 1 + i, 80, 140, rng));
            cases.add(new Case(vector, 36, 1 + 2 * i, 140, rng));
        }
        for (Case c : cases) c.expected = c.run();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int start = t * 23;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < cases.size(); i++) {
                            Case c = cases.get((start + i * 7) % cases.size());
                            assertArrayEquals(c.expected, c.run(), c.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class Case {
        final Kernels kern;
        final int m, n, k;
        final float[] a, b;
        float[] expected;

        Case(Kernels kern, int m, int n, int k, Rng rng) {
            this.kern = kern;
            this.m = m;
            this.n = n;
            this.k = k;
            a = new float[m * k];
            b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian();
        }

        float[] run() {
            float[] c = new float[m * n];
            Gemm.gemm(kern, false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
            return c;
        }

        @Override
        public String toString() {
            return kern.getClass().getSimpleName() + " " + m + "x" + n + "x" + k;
        }
    }
}
