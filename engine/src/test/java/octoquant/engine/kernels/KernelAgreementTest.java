package octoquant.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * The scalar and Vector API backends agree on every kernel over sizes 1 … 4098: every size up to a few
 * vector widths past the unrolled loop (all tails), then a spread up to 4098, each with offsets. The
 * tolerance is the rounding-error bound of an n-term sum, so it grows with n.
 */
class KernelAgreementTest {
    private static final double U = Math.ulp(1.0f) / 2; // unit roundoff of float
    private final Kernels scalar = VectorizationProvider.scalar().kernels();
    private final Kernels vector = VectorizationProvider.vector().map(VectorizationProvider::kernels).orElseThrow(
            () -> new AssertionError("tests run with --add-modules jdk.incubator.vector: " + VectorizationProvider.vectorUnavailableReason()));

    static List<Integer> sizes() {
        List<Integer> s = new ArrayList<>();
        for (int n = 1; n <= 200; n++) s.add(n);
        for (int n = 201; n < 4090; n += 37) s.add(n);
        for (int n = 4090; n <= 4098; n++) s.add(n);
        return s;
    }

    private static float[] random(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rng.uniform(-1f, 1f);
        return x;
    }

    @Test
    void vectorBackendIsTheActiveOneInTests() {
        assertEquals("vector", VectorizationProvider.get().kernels().name());
        assertTrue(vector.floatLanes() >= 4, "lanes " + vector.floatLanes());
        assertEquals(4 * vector.floatLanes(), vector.gemmWideWidth());
    }

    @Test
    void reluForwardAndBackwardAreBitIdenticalAcrossBackendsWithSpecialValues() {
        Rng rng = new Rng(29);
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int n : new int[] {1, 7, 15, 16, 17, 33, 100, 1001}) {
            float[] x = random(rng, n), g = random(rng, n), gx0 = random(rng, n);
            for (int i = 0; i < n; i += 3) x[i] = specials[(i / 3) % specials.length];
            for (int i = 1; i < n; i += 5) gx0[i] = -0f; // -0 + +0 must become +0 on both backends
            float[] ys = new float[n], yv = new float[n];
            scalar.relu(x, ys, n);
            vector.relu(x, yv, n);
            float[] gs = gx0.clone(), gv = gx0.clone();
            scalar.reluBackward(x, g, gs, n);
            vector.reluBackward(x, g, gv, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(Math.max(x[i], 0f)), Float.floatToRawIntBits(ys[i]), "scalar relu n=" + n + " i=" + i);
                assertEquals(Float.floatToRawIntBits(ys[i]), Float.floatToRawIntBits(yv[i]), "vector relu n=" + n + " i=" + i + " x=" + x[i]);
                float expect = gx0[i] + (x[i] > 0f ? g[i] : 0f);
                assertEquals(Float.floatToRawIntBits(expect), Float.floatToRawIntBits(gs[i]), "scalar relu backward n=" + n + " i=" + i);
                assertEquals(Float.floatToRawIntBits(gs[i]), Float.floatToRawIntBits(gv[i]), "vector relu backward n=" + n + " i=" + i + " x=" + x[i]);
            }
        }
    }

    @Test
    void dotAgreesOverAllSizesAndOffsets() {
        Rng rng = new Rng(11);
        for (int n : sizes()) {
            int aOff = rng.nextInt(5), bOff = rng.nextInt(5);
            float[] a = random(rng, n + aOff + 3), b = random(rng, n + bOff + 2);
            double exact = 0, absSum = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[aOff + i] * b[bOff + i];
                absSum += Math.abs((double) a[aOff + i] * b[bOff + i]);
            }
            double tol = 2 * (n + 1) * U * absSum;
            float s = scalar.dot(a, aOff, b, bOff, n), v = vector.dot(a, aOff, b, bOff, n);
            assertEquals(exact, s, tol, "scalar dot n=" + n);
            assertEquals(exact, v, tol, "vector dot n=" + n);
            assertEquals(s, v, 2 * tol, "scalar vs vector dot n=" + n);
        }
    }

    @Test
    void dotOfEmptyIsZero() {
        assertEquals(0f, vector.dot(new float[0], 0, new float[0], 0, 0));
        assertEquals(0f, scalar.dot(new float[3], 3, new float[3], 3, 0));
    }

    @Test
    void axpyAgreesOverAllSizesAndLeavesTheRestAlone() {
        Rng rng = new Rng(12);
        for (int n : sizes()) {
            int xOff = rng.nextInt(5), yOff = rng.nextInt(5);
            float alpha = rng.uniform(-2f, 2f);
            float[] x = random(rng, n + xOff + 3), y0 = random(rng, n + yOff + 4);
            float[] ys = y0.clone(), yv = y0.clone();
            scalar.axpy(alpha, x, xOff, ys, yOff, n);
            vector.axpy(alpha, x, xOff, yv, yOff, n);
            for (int i = 0; i < y0.length; i++) {
                boolean inside = i >= yOff && i < yOff + n;
                if (!inside) {
                    assertEquals(y0[i], ys[i], "scalar axpy wrote outside its range, n=" + n + " i=" + i);
                    assertEquals(y0[i], yv[i], "vector axpy wrote outside its range, n=" + n + " i=" + i);
                    continue;
                }
                double exact = y0[i] + (double) alpha * x[xOff + i - yOff];
                double tol = 2 * U * (Math.abs(y0[i]) + Math.abs(alpha * x[xOff + i - yOff]));
                assertEquals(exact, ys[i], tol, "scalar axpy n=" + n + " i=" + i);
                assertEquals(exact, yv[i], tol, "vector axpy n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void gemmAddTileAddsEachElementOnceInsideItsRowsAndColumnsOnly() {
        // Every tile width the GEMM uses, every column count up to it, every row count up to MR: each
        // element of C inside gets exactly c + tile (float addition, so the same bits on both backends),
        // the rest of C (row gaps of ldc, rows below) stays as it was.
        Rng rng = new Rng(14);
        for (int w : new int[] {vector.gemmNarrowWidth(), vector.gemmWideWidth()}) {
            for (int rows = 1; rows <= Kernels.GEMM_MR; rows++) {
                for (int cols = 1; cols <= w; cols++) {
                    int ldc = w + rng.nextInt(5), cOff = rng.nextInt(4);
                    float[] tile = random(rng, Kernels.GEMM_MR * w), c0 = random(rng, cOff + (Kernels.GEMM_MR + 1) * ldc);
                    float[] cs = c0.clone(), cv = c0.clone();
                    scalar.gemmAddTile(tile, w, rows, cols, cs, cOff, ldc);
                    vector.gemmAddTile(tile, w, rows, cols, cv, cOff, ldc);
                    for (int i = 0; i < c0.length; i++) {
                        int r = Math.floorDiv(i - cOff, ldc), j = i - cOff - r * ldc;
                        float want = r >= 0 && r < rows && j < cols ? c0[i] + tile[r * w + j] : c0[i];
                        String where = "w=" + w + " rows=" + rows + " cols=" + cols + " i=" + i;
                        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(cs[i]), "scalar " + where);
                        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(cv[i]), "vector " + where);
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesBetweenBackendsAcrossTheSizeRange() {
        // A row vector times a matrix and a matrix times a column: n and k sweep 1 … 4098 (tails of both
        // panel widths and of the k-blocks); both backends against a double-precision reference.
        Rng rng = new Rng(13);
        for (int len : sizes()) {
            if (len > 300 && len % 3 != 0 && len < 4090) continue; // keep the class fast
            int other = 1 + rng.nextInt(6);
            checkGemmPair(rng, other, len, 1 + rng.nextInt(9)); // wide n
            checkGemmPair(rng, other, 1 + rng.nextInt(9), len); // long k
        }
    }

    private void checkGemmPair(Rng rng, int m, int n, int k) {
        float[] a = random(rng, m * k), b = random(rng, k * n);
        float[] cs = new float[m * n], cv = new float[m * n];
        scalar.gemm(false, false, m, n, k, a, 0, k, b, 0, n, cs, 0, n, false);
        vector.gemm(false, false, m, n, k, a, 0, k, b, 0, n, cv, 0, n, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) a[i * k + p] * b[p * n + j];
                    exact += t;
                    abs += Math.abs(t);
                }
                double tol = 2 * (k + 2) * U * abs;
                String where = " m=" + m + " n=" + n + " k=" + k + " at " + i + "," + j;
                assertEquals(exact, cs[i * n + j], tol, "scalar gemm" + where);
                assertEquals(exact, cv[i * n + j], tol, "vector gemm" + where);
            }
        }
    }
}
