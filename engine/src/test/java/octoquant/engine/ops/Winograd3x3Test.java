package octoquant.engine.ops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.WinogradTransforms;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Winograd F(4×4, 3×3), forward, input gradient and weight gradient, against the direct convolution in
 * double precision, against the im2col + GEMM path ({@link Im2ColReference}), across thread counts, and
 * scalar against SIMD transforms.
 *
 * <p>Error bound. Each result is checked against {@code K·u·S} (u = 2⁻²⁴), S its error scale from
 * {@link WinogradReference} (the algorithm run on absolute values) and K the number of roundings on the
 * longest path to it: 6 in the input transform (two passes of at most three dependent operations), 1 for
 * the transformed filter (double, rounded once), one per term of the GEMM's sum (ci forward, co for the
 * input gradient, T tiles of the batch for the weight gradient), 6 in the transform back, plus the
 * overlapping patches (at most 4) and the final addition of the input gradient, and 1 for the weight
 * gradient's double transform back. A wrong transform, index or padding gives errors of order S.
 */
class Winograd3x3Test {
    private static final double U = 0x1p-24;

    static float[] randn(Rng rng, int size) {
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

    /** {dx, dw} from a zero start. */
    private static float[][] gradients(float[] x, float[] dy, int n, int ci, int h, int w, int pad, float[] wt, int co) {
        float[] dx = new float[n * ci * h * w], dw = new float[co * ci * 9];
        Winograd3x3.gradients(x, n, ci, h, w, pad, wt, co, dy, dw, dx);
        return new float[][] {dx, dw};
    }

    /** Largest |got − ref| / (u·S), asserting it stays under K; and the error's relative norm. */
    private static double[] check(String what, float[] got, double[] ref, double[] scale, double k) {
        assertEquals(ref.length, got.length, what + ": length");
        double worst = 0, errSq = 0, refSq = 0;
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(got[i] - ref[i]), allowed = k * U * scale[i] + 1e-30;
            if (!(err <= allowed)) {
                fail(what + ": element " + i + " is " + got[i] + ", direct double gives " + ref[i]
                        + " (error " + err + " > " + allowed + " = " + k + "·u·S)");
            }
            if (scale[i] > 0) worst = Math.max(worst, err / (U * scale[i]));
            errSq += err * err;
            refSq += ref[i] * ref[i];
        }
        return new double[] {worst, refSq == 0 ? 0 : Math.sqrt(errSq / refSq)};
    }

    private static int tiles(int n, int h, int w, int pad) {
        return n * ((Winograd3x3.outputSize(h, pad) + 3) / 4) * ((Winograd3x3.outputSize(w, pad) + 3) / 4);
    }

    /** Forward, input gradient and weight gradient of one shape; returns {worst/u·S, rel} for each. */
    private static double[][] checkAll(int n, int ci, int co, int h, int w, int pad, long seed) {
        Rng rng = new Rng(seed);
        float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
        float[] dy = randn(rng, n * co * Winograd3x3.outputSize(h, pad) * Winograd3x3.outputSize(w, pad));
        String shape = "n=" + n + " ci=" + ci + " co=" + co + " h=" + h + " w=" + w + " pad=" + pad;
        double[] fwd = check("forward " + shape, winograd(x, n, ci, h, w, pad, wt, co),
                WinogradReference.forward(x, n, ci, h, w, pad, wt, co),
                WinogradReference.forwardScale(x, n, ci, h, w, pad, wt, co), 6 + 1 + ci + 6);
        float[][] g = gradients(x, dy, n, ci, h, w, pad, wt, co);
        double[] dx = check("input gradient " + shape, g[0], WinogradReference.inputGradient(dy, n, co, ci, h, w, pad, wt),
                WinogradReference.inputGradientScale(dy, n, co, ci, h, w, pad, wt), 6 + 1 + co + 6 + 4 + 1);
        double[] dw = check("weight gradient " + shape, g[1], WinogradReference.weightGradient(x, dy, n, ci, h, w, pad, co),
                WinogradReference.weightGradientScale(x, dy, n, ci, h, w, pad, co), 6 + 6 + tiles(n, h, w, pad) + 1 + 1);
        return new double[][] {fwd, dx, dw};
    }

    @Property(tries = 30)
    void forwardAndGradientsMatchTheDirectConvolution(@ForAll @IntRange(min = 1, max = 3) int n,
                                                      @ForAll @IntRange(min = 1, max = 24) int ci,
                                                      @ForAll @IntRange(min = 1, max = 24) int co,
                                                      @ForAll @IntRange(min = 1, max = 19) int h,
                                                      @ForAll @IntRange(min = 1, max = 19) int w,
                                                      @ForAll @IntRange(min = 0, max = 2) int pad,
                                                      @ForAll @IntRange(min = 0, max = 1000) int seed) {
        if (pad == 0) { // a 3×3 window needs at least 3×3 input without padding
            h = Math.max(h, 3);
            w = Math.max(w, 3);
        }
        checkAll(n, ci, co, h, w, pad, seed);
    }

    @Test
    void errorIsSmallOnTheSeedCnnLayers() {
        // conv2 of the seed CNN (32→64 on 16×16, padding 1) and of the Fashion-MNIST CNN (on 14×14).
        int[][] layers = {{32, 64, 16}, {32, 64, 14}};
        for (int[] l : layers) {
            int ci = l[0], co = l[1], s = l[2], n = 2;
            double[][] r = checkAll(n, ci, co, s, s, 1, 11 + s);
            System.out.printf("winograd F(4x4,3x3) %d->%d on %dx%d: max error / (u·S) forward %.2f, input gradient %.2f, "
                            + "weight gradient %.2f; relative error norm %.2e, %.2e, %.2e%n",
                    ci, co, s, s, r[0][0], r[1][0], r[2][0], r[0][1], r[1][1], r[2][1]);
            for (double[] one : r) assertTrue(one[1] < 2e-5, "relative error norm " + one[1]);
        }
    }

    @Test
    void oddSizesTailsAndLargePaddingMatchTheDirectConvolution() {
        // 1×1 and 1×N inputs, partial tiles, and paddings past 2 (the adjoint has no limit on the padding).
        int[][] shapes = {{1, 1, 2}, {1, 7, 2}, {5, 1, 1}, {2, 2, 2}, {9, 4, 2}, {3, 3, 0}, {4, 3, 0}, {3, 8, 0}, {4, 5, 3}};
        for (int[] s : shapes) checkAll(2, 5, 3, s[0], s[1], s[2], s[0] * 31L + s[1]);
    }

    @Test
    void matchesTheIm2colPath() {
        // The seed CNN's second layer, float against float: the two paths the conv ops choose between.
        Rng rng = new Rng(5);
        int n = 3, ci = 32, co = 64, s = 16;
        float[] x = randn(rng, n * ci * s * s), wt = randn(rng, co * ci * 9), dy = randn(rng, n * co * s * s);
        assertWithin(Im2ColReference.forward(x, n, ci, s, s, 1, wt, co), winograd(x, n, ci, s, s, 1, wt, co), "forward");
        float[][] g = gradients(x, dy, n, ci, s, s, 1, wt, co);
        assertWithin(Im2ColReference.inputGradient(dy, n, co, ci, s, s, 1, wt), g[0], "input gradient");
        assertWithin(Im2ColReference.weightGradient(x, dy, n, ci, s, s, 1, co), g[1], "weight gradient");
    }

    /** Within 2e-5 of the reference's largest magnitude: im2col's dot products and Winograd round differently. */
    private static void assertWithin(float[] ref, float[] got, String what) {
        double max = 0;
        for (float v : ref) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], 2e-5 * max, what + " element " + i + " (im2col+GEMM vs Winograd, largest " + max + ")");
        }
    }

    /**
     * A chunk holds at least ci tiles (unless the batch has fewer), so the filter gradient's per-chunk
     * partials ({@code chunks·36·co·ci} floats) take no more memory than a whole-batch dM
     * ({@code 36·co·tiles}) and one chunk's partial; and about 64 tiles where ci is small (the seed CNN's
     * conv2: 4 images of 16).
     */
    @Test
    void chunksHoldAtLeastCiTilesSoThePartialsStaySmall() {
        assertEquals(4, new Winograd3x3.Plan(64, 32, 64, 16, 16, 1).imagesPerChunk);
        assertEquals(4, new Winograd3x3.Plan(64, 32, 64, 14, 14, 1).imagesPerChunk);
        int[][] shapes = {{256, 8, 8, 1}, {512, 4, 4, 1}, {128, 32, 32, 1}, {16, 30, 30, 0}, {300, 5, 7, 2}};
        for (int[] sh : shapes) {
            for (int n : new int[] {1, 3, 64, 200}) {
                int ci = sh[0], co = 24;
                Winograd3x3.Plan p = new Winograd3x3.Plan(n, ci, co, sh[1], sh[2], sh[3]);
                String shape = "n=" + n + " ci=" + ci + " h=" + sh[1] + " w=" + sh[2] + " pad=" + sh[3];
                assertTrue(p.chunkTiles >= Math.min(ci, p.tiles), shape + ": " + p.chunkTiles + " tiles a chunk");
                assertTrue((long) p.chunks * co * ci <= (long) co * p.tiles + (long) co * ci, shape);
            }
        }
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        // One chunk; and 10 chunks of 4 images (32 input channels: the SIMD paths), which the threads share.
        int[][] shapes = {{7, 13, 21, 11, 9, 1}, {40, 32, 16, 16, 16, 1}};
        for (int[] sh : shapes) {
            int n = sh[0], ci = sh[1], co = sh[2], h = sh[3], w = sh[4], pad = sh[5];
            Rng rng = new Rng(9);
            float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9), dy = randn(rng, n * co * h * w);
            int saved = Parallel.threads();
            float[][] y = new float[4][];
            float[][][] g = new float[4][][];
            try {
                for (int t = 1; t <= 3; t++) {
                    Parallel.setThreads(t);
                    y[t] = winograd(x, n, ci, h, w, pad, wt, co);
                    g[t] = gradients(x, dy, n, ci, h, w, pad, wt, co);
                }
            } finally {
                Parallel.setThreads(saved);
            }
            for (int t = 2; t <= 3; t++) {
                assertArrayEquals(y[1], y[t], "forward, 1 vs " + t + " threads, n=" + n);
                assertArrayEquals(g[1][0], g[t][0], "input gradient, 1 vs " + t + " threads, n=" + n);
                assertArrayEquals(g[1][1], g[t][1], "weight gradient, 1 vs " + t + " threads, n=" + n);
            }
        }
    }

    @Test
    void simdAndScalarTransformsGiveTheSameBits() {
        assumeTrue(VectorizationProvider.vector().isPresent(), "the Vector API is not available in this JVM");
        WinogradTransforms scalar = VectorizationProvider.scalar().winogradTransforms();
        WinogradTransforms simd = VectorizationProvider.vector().orElseThrow().winogradTransforms();
        // Shapes that use the vector paths fully (the seed's conv2: 64 tiles a chunk), partly (odd sizes,
        // tails) or not at all (fewer tiles than lanes).
        int[][] shapes = {{32, 64, 16, 16, 1}, {5, 7, 17, 12, 1}, {4, 6, 34, 33, 0}, {2, 3, 5, 3, 2}, {16, 8, 14, 14, 1},
                {48, 12, 9, 10, 1}};
        for (int[] sh : shapes) {
            int ci = sh[0], co = sh[1], h = sh[2], w = sh[3], pad = sh[4], n = 3;
            String shape = "ci=" + ci + " co=" + co + " h=" + h + " w=" + w + " pad=" + pad;
            Rng rng = new Rng(ci * 100 + h);
            float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
            float[] u = new float[Winograd3x3.filterLength(co, ci)];
            Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
            int outSize = n * co * Winograd3x3.outputSize(h, pad) * Winograd3x3.outputSize(w, pad);
            float[] a = randn(rng, outSize), b = a.clone(), dy = randn(rng, outSize);
            Winograd3x3.convolve(scalar, x, 0, n, ci, h, w, pad, u, 0, co, a, 0, true);
            Winograd3x3.convolve(simd, x, 0, n, ci, h, w, pad, u, 0, co, b, 0, true);
            assertArrayEquals(a, b, "forward " + shape);
            float[] dxA = new float[n * ci * h * w], dwA = new float[co * ci * 9], dxB = dxA.clone(), dwB = dwA.clone();
            Winograd3x3.gradients(scalar, x, n, ci, h, w, pad, wt, co, dy, dwA, dxA);
            Winograd3x3.gradients(simd, x, n, ci, h, w, pad, wt, co, dy, dwB, dxB);
            assertArrayEquals(dxA, dxB, "input gradient " + shape);
            assertArrayEquals(dwA, dwB, "weight gradient " + shape);
            // Without a weight gradient: no filter products, the same input gradient.
            float[] dxOnlyA = new float[dxA.length], dxOnlyB = new float[dxA.length];
            Winograd3x3.gradients(scalar, x, n, ci, h, w, pad, wt, co, dy, null, dxOnlyA);
            Winograd3x3.gradients(simd, x, n, ci, h, w, pad, wt, co, dy, null, dxOnlyB);
            assertArrayEquals(dxOnlyA, dxOnlyB, "input gradient alone " + shape);
            assertArrayEquals(dxA, dxOnlyB, "input gradient alone and with the weight's " + shape);
        }
    }

    /** The fused block's path: pooled output, winners, and both gradients from the pooled gradient. */
    private static Object[] fusedPath(WinogradTransforms k, int n, int ci, int co, int h, int w, long seed) {
        Rng rng = new Rng(seed);
        float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9), bias = randn(rng, co);
        Winograd3x3.Plan p = new Winograd3x3.Plan(n, ci, co, h, w, 1);
        float[] u = new float[Winograd3x3.filterLength(co, ci)], v = new float[p.inputLength()];
        Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
        int pooled = n * co * (p.outH / 2) * (p.outW / 2);
        float[] out = new float[pooled];
        int[] where = new int[pooled];
        Winograd3x3.forward(k, p, x, 0, u, 0, v, Winograd3x3.pooled(bias, out, where));
        float[] g = randn(rng, pooled), dw = new float[co * ci * 9], dx = new float[x.length];
        Winograd3x3.backward(k, p, Winograd3x3.fromPool(g, out, where), v, u, 0, dw, dx, 0, false, ScratchPool.none());
        return new Object[] {out, where, dw, dx};
    }

    /**
     * A fresh input gradient ({@code dxFresh}) gets the bits adding into zeros gives, whatever it held
     * before, and adding into an existing gradient adds those same bits: for both tile transforms, on the
     * seed CNN's conv2 and on shapes with partial tiles and other paddings.
     */
    @Test
    void aFreshInputGradientGetsTheBitsAddingIntoZerosGives() {
        int[][] shapes = {{32, 64, 16, 16, 1}, {16, 8, 14, 14, 1}, {5, 7, 9, 11, 0}, {3, 4, 6, 5, 2}};
        for (WinogradTransforms k : transformsInUse()) {
            for (int[] sh : shapes) {
                int n = 5, ci = sh[0], co = sh[1], h = sh[2], w = sh[3], pad = sh[4];
                String shape = k.getClass().getSimpleName() + " ci=" + ci + " co=" + co + " h=" + h + " w=" + w + " pad=" + pad;
                Rng rng = new Rng(ci * 31 + h);
                float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9);
                Winograd3x3.Plan p = new Winograd3x3.Plan(n, ci, co, h, w, pad);
                float[] u = new float[Winograd3x3.filterLength(co, ci)], v = new float[p.inputLength()];
                Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
                float[] y = new float[n * co * p.outH * p.outW];
                Winograd3x3.forward(k, p, x, 0, u, 0, v, Winograd3x3.planes(y, 0, null, false));
                float[] g = randn(rng, y.length);
                for (int i = 0; i < g.length; i += 7) g[i] = -0f;
                float[] zeros = new float[x.length], fresh = new float[x.length], start = randn(rng, x.length);
                float[] added = start.clone();
                Arrays.fill(fresh, Float.NaN);
                Winograd3x3.backward(k, p, Winograd3x3.fromPlanes(g, 0), v, u, 0, null, zeros, 0, false, ScratchPool.none());
                Winograd3x3.backward(k, p, Winograd3x3.fromPlanes(g, 0), v, u, 0, null, fresh, 0, true, ScratchPool.none());
                Winograd3x3.backward(k, p, Winograd3x3.fromPlanes(g, 0), v, u, 0, null, added, 0, false, ScratchPool.none());
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(zeros[i]), Float.floatToRawIntBits(fresh[i]), shape + " fresh, element " + i);
                    assertEquals(Float.floatToRawIntBits(start[i] + zeros[i]), Float.floatToRawIntBits(added[i]), shape + " added, element " + i);
                }
            }
        }
    }

    /** The scalar tile transforms, and the SIMD ones when this JVM has the Vector API. */
    static List<WinogradTransforms> transformsInUse() {
        List<WinogradTransforms> all = new ArrayList<>();
        all.add(VectorizationProvider.scalar().winogradTransforms());
        VectorizationProvider.vector().ifPresent(v -> all.add(v.winogradTransforms()));
        return all;
    }

    @Test
    void simdAndScalarFusedPoolPathsGiveTheSameBits() {
        assumeTrue(VectorizationProvider.vector().isPresent(), "the Vector API is not available in this JVM");
        WinogradTransforms scalar = VectorizationProvider.scalar().winogradTransforms();
        WinogradTransforms simd = VectorizationProvider.vector().orElseThrow().winogradTransforms();
        // 16×16: every tile's windows inside the pooled plane (the gathers); 14×14 and 9×11: partial tiles.
        int[][] shapes = {{32, 64, 16, 16}, {16, 8, 14, 14}, {5, 7, 9, 11}};
        for (int[] sh : shapes) {
            Object[] a = fusedPath(scalar, 5, sh[0], sh[1], sh[2], sh[3], 3);
            Object[] b = fusedPath(simd, 5, sh[0], sh[1], sh[2], sh[3], 3);
            String shape = "ci=" + sh[0] + " co=" + sh[1] + " h=" + sh[2] + " w=" + sh[3];
            assertArrayEquals((float[]) a[0], (float[]) b[0], "pooled output " + shape);
            assertArrayEquals((int[]) a[1], (int[]) b[1], "winners " + shape);
            assertArrayEquals((float[]) a[2], (float[]) b[2], "weight gradient " + shape);
            assertArrayEquals((float[]) a[3], (float[]) b[3], "input gradient " + shape);
        }
    }

    @Test
    void simdAndScalarPoolingFromTilesGiveTheSameValuesAndWinners() {
        assumeTrue(VectorizationProvider.vector().isPresent(), "the Vector API is not available in this JVM");
        WinogradTransforms scalar = VectorizationProvider.scalar().winogradTransforms();
        WinogradTransforms simd = VectorizationProvider.vector().orElseThrow().winogradTransforms();
        // Ties, zeros, negative values and NaN in every lane position of 16 + 5 tiles (vector body and tail).
        int count = 21;
        Rng rng = new Rng(4);
        float[] y = new float[16 * count];
        float[] choices = {0f, -0f, 1f, -1f, 2f, Float.NaN, 0.5f};
        for (int i = 0; i < y.length; i++) y[i] = choices[(int) (rng.nextGaussian() * 100 + 1000) % choices.length];
        for (float bias : new float[] {0f, -1f, 0.5f}) {
            float[] pa = new float[4 * count], pb = new float[4 * count];
            int[] wa = new int[4 * count], wb = new int[4 * count];
            scalar.biasReluPool(y, 0, count, bias, pa, wa, 0, count, count);
            simd.biasReluPool(y, 0, count, bias, pb, wb, 0, count, count);
            assertArrayEquals(pa, pb, "pooled values, bias " + bias);
            assertArrayEquals(wa, wb, "winners, bias " + bias);
        }
    }

    @Test
    void accumulateAddsToTheOutputAndGradients() {
        Rng rng = new Rng(10);
        int n = 2, ci = 3, co = 4, h = 7, w = 6, pad = 1;
        float[] x = randn(rng, n * ci * h * w), wt = randn(rng, co * ci * 9), dy = randn(rng, n * co * h * w);
        float[] y = winograd(x, n, ci, h, w, pad, wt, co);
        float[] u = new float[Winograd3x3.filterLength(co, ci)];
        Winograd3x3.transformFilters(wt, 0, co, ci, u, 0);
        float[] acc = new float[y.length];
        Arrays.fill(acc, 1.5f);
        Winograd3x3.convolve(x, 0, n, ci, h, w, pad, u, 0, co, acc, 0, true);
        for (int i = 0; i < y.length; i++) assertEquals(1.5f + y[i], acc[i], 0f, "element " + i);
        float[][] g = gradients(x, dy, n, ci, h, w, pad, wt, co);
        float[] dx = new float[g[0].length], dw = new float[g[1].length];
        Arrays.fill(dx, -2f);
        Arrays.fill(dw, 3f);
        Winograd3x3.gradients(x, n, ci, h, w, pad, wt, co, dy, dw, dx);
        for (int i = 0; i < dx.length; i++) assertEquals(-2f + g[0][i], dx[i], 0f, "dx " + i);
        for (int i = 0; i < dw.length; i++) assertEquals(3f + g[1][i], dw[i], 0f, "dw " + i);
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
        assertTrue(e.getMessage().contains("transformed filters u has 5 floats, needs " + Winograd3x3.filterLength(2, 3)),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Winograd3x3.gradients(new float[48], 1, 3, 4, 4, 1, new float[54], 2, new float[5], null, null));
        assertTrue(e.getMessage().contains("output gradient dy has 5 floats, needs 32"), e.getMessage());
        assertTrue(Winograd3x3.supports(3, 3, 1, 1) && !Winograd3x3.supports(3, 3, 2, 1) && !Winograd3x3.supports(5, 5, 1, 2));
    }
}
