package octoquant.engine.ops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Winograd F(2×2, 3×3) against a direct convolution in double precision, against the im2col + GEMM path
 * ({@link Im2ColReference}), and across thread counts and batch splits.
 *
 * <p>Error bound. Each output is checked against {@code TOL · S} with
 * {@code S = Σ_c (Σ_{tile's 4×4 input patch} |x_c|)·(Σ_{3×3} |w_c|)} and {@code TOL = 5e-7 ≈ 4 ε}
 * (ε = 2⁻²³). Why S: the transforms have entries 0, ±½, ±1, every transformed input value is a signed sum
 * of patch values (so at most Σ_patch|x|) and every transformed filter value at most Σ|w|, so each
 * channel term of each frequency product is at most S/ci·(its channel's share); rounding in the
 * transforms (a few ε relative to those terms) and in the GEMM's in-order channel sum (≈ √ci·ε typical,
 * ci·ε worst case) then lands as a small multiple of ε·S after the output transform's 9-term signed sum.
 * Measured on random normal data: at most 1.6e-8·S (0.13 ε, printed by
 * {@link #errorIsSmallOnTheSeedCnnLayers}), 30× inside the bound, while any wrong transform, index or
 * padding gives errors of order S/10 or more. The relative error of the whole output (norm of the error
 * over norm of the result) is also checked at 1e-5; it comes out at 1–3e-7 (F(2,3) is the
 * well-conditioned Winograd variant; F(4,3) would be an order of magnitude worse).
 */
class Winograd3x3Test {
    private static final double TOL = 5e-7;

    /**
     * Direct 3×3 stride-1 correlation in double: the value and the error scale per output,
     * {@code S = Σ_c (Σ_{tile's 4×4 patch} |x_c|)·(Σ_{3×3} |w_c|)}, which bounds every transformed
     * product the Winograd output is assembled from.
     */
    private static double[][] direct(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co) {
        int oh = h + 2 * pad - 2, ow = w + 2 * pad - 2;
        double[] y = new double[n * co * oh * ow], scale = new double[y.length];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < co; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double s = 0, a = 0;
                        int tr = r - (r & 1) - pad, tq = q - (q & 1) - pad; // the tile's 4×4 input patch
                        for (int c = 0; c < ci; c++) {
                            double patch = 0, filter = 0;
                            for (int di = 0; di < 4; di++) {
                                for (int dj = 0; dj < 4; dj++) {
                                    int ih = tr + di, iw = tq + dj;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) patch += Math.abs(x[((i * ci + c) * h + ih) * w + iw]);
                                }
                            }
                            for (int t = 0; t < 9; t++) filter += Math.abs(wt[(o * ci + c) * 9 + t]);
                            a += patch * filter;
                            for (int di = 0; di < 3; di++) {
                                int ih = r + di - pad;
                                if (ih < 0 || ih >= h) continue;
                                for (int dj = 0; dj < 3; dj++) {
                                    int iw = q + dj - pad;
                                    if (iw < 0 || iw >= w) continue;
                                    s += (double) x[((i * ci + c) * h + ih) * w + iw] * wt[((o * ci + c) * 3 + di) * 3 + dj];
                                }
                            }
                        }
                        int at = ((i * co + o) * oh + r) * ow + q;
                        y[at] = s;
                        scale[at] = a;
                    }
                }
            }
        }
        return new double[][] {y, scale};
    }

    /**
     * The adjoint of {@link #direct} in double (scattering each output gradient back over its window),
     * with the error scale of the equivalent convolution of dy with the rotated, transposed filters.
     */
    private static double[][] directInputGradient(float[] dy, int n, int co, int ci, int h, int w, int pad, float[] wt) {
        int oh = h + 2 * pad - 2, ow = w + 2 * pad - 2;
        float[] rotated = new float[wt.length];
        for (int o = 0; o < co; o++) {
            for (int c = 0; c < ci; c++) {
                for (int t = 0; t < 9; t++) rotated[(c * co + o) * 9 + t] = wt[(o * ci + c) * 9 + 8 - t];
            }
        }
        double[] scale = direct(dy, n, co, oh, ow, 2 - pad, rotated, ci)[1];
        double[] dx = new double[n * ci * h * w];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < co; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double g = dy[((i * co + o) * oh + r) * ow + q];
                        for (int c = 0; c < ci; c++) {
                            for (int di = 0; di < 3; di++) {
                                int ih = r + di - pad;
                                if (ih < 0 || ih >= h) continue;
                                for (int dj = 0; dj < 3; dj++) {
                                    int iw = q + dj - pad;
                                    if (iw < 0 || iw >= w) continue;
                                    dx[((i * ci + c) * h + ih) * w + iw] += g * wt[((o * ci + c) * 3 + di) * 3 + dj];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, scale};
    }

    private static float[] randn(Rng rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    private static float[] winograd(float[] x, int n, int ci, int h, int w, int pad, float[] wt, int co) {
        float[] u = new float[Winograd3x3.filterLength(co, ci)];
        Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
        float[] y = new float[n * co * Winograd3x3.outputSize(h, pad) * Winograd3x3.outputSize(w, pad)];
        Winograd3x3.convolve(x, 0, n, ci, h, w, pad, u, 0, co, y, 0, false);
        return y;
    }

    private static float[] winogradInputGradient(float[] dy, int n, int co, int ci, int h, int w, int pad, float[] wt) {
        float[] u = new float[Winograd3x3.filterLength(ci, co)];
        Winograd3x3.transformFiltersForInputGradient(wt, 0, co, ci, u, 0);
        float[] dx = new float[n * ci * h * w];
        Winograd3x3.inputGradient(dy, 0, n, co, Winograd3x3.outputSize(h, pad), Winograd3x3.outputSize(w, pad), pad,
                u, 0, ci, dx, 0, false);
        return dx;
    }

    /** Largest |got − ref| / S (asserting it stays under TOL) and the error's relative norm. */
    private static double[] check(String what, float[] got, double[][] ref) {
        assertEquals(ref[0].length, got.length, what + ": length");
        double worst = 0, errSq = 0, refSq = 0;
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(got[i] - ref[0][i]);
            double allowed = TOL * ref[1][i] + 1e-30;
            if (err > allowed) {
                fail(what + ": element " + i + " is " + got[i] + ", direct double gives " + ref[0][i]
                        + " (error " + err + " > " + allowed + ")");
            }
            worst = Math.max(worst, ref[1][i] == 0 ? 0 : err / ref[1][i]);
            errSq += err * err;
            refSq += ref[0][i] * ref[0][i];
        }
        double rel = refSq == 0 ? 0 : Math.sqrt(errSq / refSq);
        assertTrue(rel <= 1e-5, what + ": relative error norm " + rel);
        return new double[] {worst, rel};
    }

    @Property(tries = 40)
    void forwardAndInputGradientMatchTheDirectConvolution(@ForAll @IntRange(min = 1, max = 3) int n,
                                                          @ForAll @IntRange(min = 1, max = 40) int ci,
                                                          @ForAll @IntRange(min = 1, max = 40) int co,
                                                          @ForAll @IntRange(min = 1, max = 20) int h,
                                                          @ForAll @IntRange(min = 1, max = 20) int w,
                                                          @ForAll @IntRange(min = 0, max = 1) int pad,
                                                          @ForAll @IntRange(min = 0, max = 1000) int seed) {
        if (pad == 0) { // a 3×3 window needs at least 3×3 input without padding
            h = Math.max(h, 3);
            w = Math.max(w, 3);
        }
        Rng rng = new Rng(seed);
        float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
        String shape = "n=" + n + " ci=" + ci + " co=" + co + " h=" + h + " w=" + w + " pad=" + pad;
        check("forward " + shape, winograd(x, n, ci, h, w, pad, wt, co), direct(x, n, ci, h, w, pad, wt, co));
        float[] dy = randn(rng, n * co * Winograd3x3.outputSize(h, pad) * Winograd3x3.outputSize(w, pad));
        check("input gradient " + shape, winogradInputGradient(dy, n, co, ci, h, w, pad, wt),
                directInputGradient(dy, n, co, ci, h, w, pad, wt));
    }

    @Test
    void errorIsSmallOnTheSeedCnnLayers() {
        // conv1 3→32 on 32×32 and conv2 32→64 on 16×16, padding 1, a few images.
        int[][] layers = {{3, 32, 32}, {32, 64, 16}};
        for (int[] l : layers) {
            int ci = l[0], co = l[1], s = l[2], n = 3;
            Rng rng = new Rng(11 + ci);
            float[] x = randn(rng, n * ci * s * s), wt = randn(rng, co * ci * 9);
            double[] fwd = check("forward", winograd(x, n, ci, s, s, 1, wt, co), direct(x, n, ci, s, s, 1, wt, co));
            float[] dy = randn(rng, n * co * s * s);
            double[] bwd = check("input gradient", winogradInputGradient(dy, n, co, ci, s, s, 1, wt),
                    directInputGradient(dy, n, co, ci, s, s, 1, wt));
            System.out.printf("winograd %d->%d on %dx%d: forward max err/S %.2e, rel norm %.2e; "
                    + "input gradient %.2e, %.2e%n", ci, co, s, s, fwd[0], fwd[1], bwd[0], bwd[1]);
            assertTrue(fwd[0] < 5e-8 && bwd[0] < 5e-8, "seed-layer errors should sit well inside the bound");
        }
    }

    @Test
    void padTwoAndOddSizesMatchTheDirectConvolution() {
        // Padding 2 is what the input gradient of an unpadded convolution runs; 1×1 and 1×N inputs are tails only.
        int[][] shapes = {{1, 1, 2}, {1, 7, 2}, {5, 1, 1}, {2, 2, 2}, {9, 4, 2}, {3, 3, 0}, {4, 3, 0}, {3, 8, 0}};
        for (int[] s : shapes) {
            Rng rng = new Rng(s[0] * 31 + s[1]);
            int n = 2, ci = 5, co = 3;
            float[] x = randn(rng, n * ci * s[0] * s[1]), wt = randn(rng, co * ci * 9);
            check("forward h=" + s[0] + " w=" + s[1] + " pad=" + s[2], winograd(x, n, ci, s[0], s[1], s[2], wt, co),
                    direct(x, n, ci, s[0], s[1], s[2], wt, co));
        }
    }

    @Test
    void matchesTheIm2colPathForwardAndInputGradient() {
        // The seed CNN's second layer, float against float: the two paths the conv ops choose between.
        Rng rng = new Rng(5);
        int n = 3, ci = 32, co = 64, s = 16;
        float[] x = randn(rng, n * ci * s * s), wt = randn(rng, co * ci * 9), dy = randn(rng, n * co * s * s);
        assertWithin(Im2ColReference.forward(x, n, ci, s, s, 1, wt, co), winograd(x, n, ci, s, s, 1, wt, co), "forward");
        assertWithin(Im2ColReference.inputGradient(dy, n, co, ci, s, s, 1, wt),
                winogradInputGradient(dy, n, co, ci, s, s, 1, wt), "input gradient");
    }

    /** Within 1e-5 of the reference's largest magnitude: im2col's dot products and Winograd round differently. */
    private static void assertWithin(float[] ref, float[] got, String what) {
        double max = 0;
        for (float v : ref) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], 1e-5 * max, what + " element " + i + " (im2col+GEMM vs Winograd, largest " + max + ")");
        }
    }

    @Test
    void manyPlaneShapesInARowStayCorrect() {
        // More plane shapes than the parity-map cache keeps (it starts over past 64): each call still
        // scatters by its own shape's map.
        Rng rng = new Rng(12);
        for (int h = 1; h <= 9; h++) {
            for (int w = 1; w <= 9; w++) {
                int n = 1, ci = 2, co = 2;
                float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
                check("h=" + h + " w=" + w, winograd(x, n, ci, h, w, 1, wt, co), direct(x, n, ci, h, w, 1, wt, co));
            }
        }
    }

    @Test
    void bitIdenticalForAnyThreadCountAndBatchSplit() {
        Rng rng = new Rng(9);
        int n = 7, ci = 13, co = 21, h = 11, w = 9, pad = 1;
        float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
        float[] dy = randn(rng, n * co * h * w);
        int saved = Parallel.threads();
        float[][] y = new float[4][], dx = new float[4][];
        try {
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                y[t] = winograd(x, n, ci, h, w, pad, wt, co);
                dx[t] = winogradInputGradient(dy, n, co, ci, h, w, pad, wt);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        assertArrayEquals(y[1], y[2], "forward, 1 vs 2 threads");
        assertArrayEquals(y[1], y[3], "forward, 1 vs 3 threads");
        assertArrayEquals(dx[1], dx[2], "input gradient, 1 vs 2 threads");
        assertArrayEquals(dx[1], dx[3], "input gradient, 1 vs 3 threads");
        // Calls split at multiples of the chunk (as a caller spreading the batch over its own threads would)
        // give the same bits: here 30 tiles per image, chunks of 4 images, calls for images 0-3 and 4-6.
        int chunk = Winograd3x3.imagesPerChunk(h, w, pad);
        assertEquals(4, chunk);
        float[] u = new float[Winograd3x3.filterLength(co, ci)];
        Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
        float[] split = new float[y[1].length];
        int inPlane = ci * h * w, outPlane = co * h * w;
        Winograd3x3.convolve(x, 0, chunk, ci, h, w, pad, u, 0, co, split, 0, false);
        Winograd3x3.convolve(x, chunk * inPlane, n - chunk, ci, h, w, pad, u, 0, co, split, chunk * outPlane, false);
        assertArrayEquals(y[1], split, "forward, batch split at a chunk boundary");
    }

    @Test
    void simdAndScalarTransformsGiveTheSameBits() {
        assumeTrue(VectorizationProvider.vector().isPresent(), "the Vector API is not available in this JVM");
        WinogradTransforms scalar = VectorizationProvider.scalar().winogradTransforms();
        WinogradTransforms simd = VectorizationProvider.vector().orElseThrow().winogradTransforms();
        // Shapes that use the vector paths fully (the seed's layers), partly (odd sizes, tails) or not at all.
        int[][] shapes = {{3, 32, 32, 32, 1}, {32, 64, 16, 16, 1}, {5, 7, 17, 12, 1}, {4, 6, 34, 33, 0}, {2, 3, 5, 3, 2}};
        for (int[] sh : shapes) {
            int ci = sh[0], co = sh[1], h = sh[2], w = sh[3], pad = sh[4], n = 3;
            Rng rng = new Rng(ci * 100 + h);
            float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
            float[] u = new float[Winograd3x3.filterLength(co, ci)];
            Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
            int outSize = n * co * Winograd3x3.outputSize(h, pad) * Winograd3x3.outputSize(w, pad);
            float[] a = randn(rng, outSize), b = a.clone();
            Winograd3x3.convolve(scalar, x, 0, n, ci, h, w, pad, u, 0, co, a, 0, true);
            Winograd3x3.convolve(simd, x, 0, n, ci, h, w, pad, u, 0, co, b, 0, true);
            assertArrayEquals(a, b, "ci=" + ci + " co=" + co + " h=" + h + " w=" + w + " pad=" + pad);
        }
    }

    @Test
    void accumulateAddsToTheOutput() {
        Rng rng = new Rng(10);
        int n = 2, ci = 3, co = 4, h = 7, w = 6, pad = 1;
        float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
        float[] y = winograd(x, n, ci, h, w, pad, wt, co);
        float[] u = new float[Winograd3x3.filterLength(co, ci)];
        Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
        float[] acc = new float[y.length];
        Arrays.fill(acc, 1.5f);
        Winograd3x3.convolve(x, 0, n, ci, h, w, pad, u, 0, co, acc, 0, true);
        for (int i = 0; i < y.length; i++) assertEquals(1.5f + y[i], acc[i], 0f, "element " + i);
    }

    @Test
    void badShapesAndBuffersAreRejectedWithTheShape() {
        float[] u = new float[Winograd3x3.filterLength(2, 3)];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Winograd3x3.convolve(new float[3 * 2 * 2], 0, 1, 3, 2, 2, 0, u, 0, 2, new float[8], 0, false));
        assertTrue(e.getMessage().contains("h=2") && e.getMessage().contains("pad=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Winograd3x3.convolve(new float[10], 0, 1, 3, 4, 4, 1, u, 0, 2, new float[32], 0, false));
        assertTrue(e.getMessage().contains("input x has 10 floats, needs 48"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Winograd3x3.transformFilters(new float[54], 0, 2, 3, new float[5], 0));
        assertTrue(e.getMessage().contains("transformed filters u has 5 floats, needs 96"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Winograd3x3.inputGradient(new float[8], 0, 1, 2, 2, 2, 3, u, 0, 3, new float[100], 0, false));
        assertTrue(e.getMessage().contains("pad=3"), e.getMessage());
        assertTrue(Winograd3x3.supports(3, 3, 1, 1) && !Winograd3x3.supports(3, 3, 2, 1) && !Winograd3x3.supports(5, 5, 1, 2));
    }
}
