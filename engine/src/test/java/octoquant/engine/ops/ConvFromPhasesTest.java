package octoquant.engine.ops;

import octoquant.engine.kernels.Gemm;
import octoquant.engine.kernels.PoolPasses;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PoolPasses#convBiasReluPoolMembers}, the first layer's forward without its columns, against what
 * it replaces: the pool-order columns ({@link Im2Col#im2colPoolOrder}), the provider's GEMM and
 * {@link PoolPasses#biasReluPoolMembers}, bit for bit (pooled values and winners); and, where the GEMM's
 * narrow kernel would sum another way, against the chain it promises, written out here.
 */
class ConvFromPhasesTest {
    private static final VectorizationProvider ACTIVE = VectorizationProvider.get();
    private static final VectorizationProvider SCALAR = VectorizationProvider.scalar();

    private record Case(Im2Col.Geometry geo, int co, float[] x, float[] w, float[] bias) {
        int windows() {
            return (geo.outH() / 2) * (geo.outW() / 2);
        }
    }

    private static Case randomCase(int ci, int h, int w, int co, int pad, boolean withBias, long seed) {
        Im2Col.Geometry g = new Im2Col.Geometry(ci, h, w, 3, 3, 1, pad, h + 2 * pad - 2, w + 2 * pad - 2);
        Rng rng = new Rng(seed);
        float[] x = new float[ci * h * w], f = new float[co * g.rows()], b = withBias ? new float[co] : null;
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < f.length; i++) f[i] = (float) (0.3 * rng.nextGaussian());
        if (b != null) for (int i = 0; i < co; i++) b[i] = (float) (0.1 * rng.nextGaussian());
        return new Case(g, co, x, f, b);
    }

    /** out and where (when wanted) from the kernel, every element written over stale contents. */
    private static Object[] fused(VectorizationProvider provider, Case c, boolean winners) {
        float[] phases = new float[Im2Col.poolOrderScratch(c.geo)];
        Arrays.fill(phases, 77f);
        Im2Col.poolOrderPhases(c.x, 0, c.geo, phases);
        int size = c.co * c.windows();
        float[] out = new float[3 + size];
        int[] where = winners ? new int[3 + size] : null;
        Arrays.fill(out, Float.NaN);
        if (where != null) Arrays.fill(where, -1);
        provider.poolPasses().convBiasReluPoolMembers(c.w, 0, c.co, c.geo.rows(), phases, Im2Col.poolOrderSources(c.geo),
                c.windows(), c.bias, out, 3, where);
        return new Object[] {out, where};
    }

    /** The path the kernel replaces: columns, the provider's GEMM, the pool pass per channel. */
    private static Object[] throughColumns(VectorizationProvider provider, Case c, boolean winners) {
        int k = c.geo.rows(), windows = c.windows(), p = 4 * windows;
        float[] col = new float[k * p], phases = new float[Im2Col.poolOrderScratch(c.geo)], y = new float[c.co * p];
        Im2Col.im2colPoolOrder(c.x, 0, c.geo, col, 0, phases);
        Gemm.gemm(provider.kernels(), false, false, c.co, p, k, c.w, 0, k, col, 0, p, y, 0, p, false);
        float[] out = new float[3 + c.co * windows];
        int[] where = winners ? new int[3 + c.co * windows] : null;
        for (int ch = 0; ch < c.co; ch++) {
            float b = c.bias == null ? 0f : c.bias[ch];
            if (winners) provider.poolPasses().biasReluPoolMembers(y, ch * p, windows, b, out, where, 3 + ch * windows);
            else provider.poolPasses().biasReluPoolMembers(y, ch * p, windows, b, out, 3 + ch * windows);
        }
        return new Object[] {out, where};
    }

    /** The promised chain, written out: products from 0 over the taps in order, fused or rounded then added. */
    private static Object[] chain(Case c, boolean fusedMultiplyAdd) {
        int k = c.geo.rows(), windows = c.windows(), p = 4 * windows;
        float[] col = new float[k * p], phases = new float[Im2Col.poolOrderScratch(c.geo)];
        Im2Col.im2colPoolOrder(c.x, 0, c.geo, col, 0, phases);
        float[] out = new float[3 + c.co * windows];
        int[] where = new int[3 + c.co * windows];
        for (int ch = 0; ch < c.co; ch++) {
            for (int t = 0; t < windows; t++) {
                float[] v = new float[4];
                for (int m = 0; m < 4; m++) {
                    float sum = 0f;
                    for (int r = 0; r < k; r++) {
                        float f = c.w[ch * k + r], x = col[r * p + m * windows + t];
                        sum = fusedMultiplyAdd ? Math.fma(x, f, sum) : sum + f * x;
                    }
                    v[m] = sum + (c.bias == null ? 0f : c.bias[ch]);
                }
                float max = Math.max(Math.max(v[0], v[1]), Math.max(v[2], v[3]));
                out[3 + ch * windows + t] = Math.max(max, 0f);
                int first = 3;
                for (int m = 2; m >= 0; m--) if (v[m] == max) first = m;
                where[3 + ch * windows + t] = first;
            }
        }
        return new Object[] {out, where};
    }

    private static void assertSame(Object[] want, Object[] have, String what) {
        float[] wo = (float[]) want[0], ho = (float[]) have[0];
        for (int i = 3; i < wo.length; i++) {
            assertEquals(Float.floatToRawIntBits(wo[i]), Float.floatToRawIntBits(ho[i]), what + ": pooled value " + (i - 3));
        }
        if (want[1] != null && have[1] != null) {
            int[] ww = (int[]) want[1], hw = (int[]) have[1];
            float[] out = wo;
            // The winner is the pool's only where the ReLU passes the window; backward reads no other.
            for (int i = 3; i < ww.length; i++) {
                if (out[i] > 0f) assertEquals(ww[i], hw[i], what + ": winner of window " + (i - 3));
            }
        }
    }

    @Test
    void theSeedCnnsFirstLayerGivesTheColumnsPathsFloatsOnBothProviders() {
        for (VectorizationProvider provider : new VectorizationProvider[] {ACTIVE, SCALAR}) {
            for (boolean withBias : new boolean[] {true, false}) {
                Case c = randomCase(3, 32, 32, 32, 1, withBias, 5);
                assertTrue(Gemm.reducesInOneBlock(c.geo.rows()));
                for (boolean winners : new boolean[] {true, false}) {
                    String what = provider.kernels().name() + (withBias ? " with bias" : " without bias") + (winners ? ", winners" : "");
                    assertSame(throughColumns(provider, c, winners), fused(provider, c, winners), what);
                }
            }
        }
    }

    @Test
    void otherShapesTheWideKernelTakesWholeGiveTheSameFloatsToo() {
        // 16 windows per channel: 64 columns, one wide panel; 6 and 5 channels leave 2 and 1 past the blocks of 4.
        int[][] shapes = {{5, 8, 8, 6, 1}, {2, 10, 10, 5, 0}, {14, 8, 8, 4, 1}, {1, 16, 16, 7, 1}};
        for (int[] s : shapes) {
            Case c = randomCase(s[0], s[1], s[2], s[3], s[4], true, 11L * s[0] + s[3]);
            for (VectorizationProvider provider : new VectorizationProvider[] {ACTIVE, SCALAR}) {
                if (!Gemm.columnPermutationExact(4 * c.windows())) continue;
                String what = provider.kernels().name() + " " + Arrays.toString(s);
                assertSame(throughColumns(provider, c, true), fused(provider, c, true), what);
            }
        }
    }

    @Test
    void windowsPastTheLastVectorAndChannelsPastTheLastBlockFollowTheSameChain() {
        // 196 windows (Fashion-MNIST's first layer) and 7 × 7 = 49: a vector of 16 leaves 4 and 1 over.
        boolean vectorKernels = ACTIVE.kernels().floatLanes() > 1;
        for (int[] s : new int[][] {{1, 28, 28, 32, 1}, {3, 14, 14, 7, 1}, {2, 9, 11, 6, 1}}) {
            Case c = randomCase(s[0], s[1], s[2], s[3], s[4], true, 3L * s[1] + s[3]);
            assertSame(chain(c, vectorKernels), fused(ACTIVE, c, true), ACTIVE.kernels().name() + " " + Arrays.toString(s));
            assertSame(chain(c, false), fused(SCALAR, c, true), "scalar " + Arrays.toString(s));
        }
    }

    @Test
    void aNanPixelReachesTheWindowsItsTapsTouchAsInTheColumnsPath() {
        Case c = randomCase(3, 32, 32, 32, 1, true, 9);
        c.x[1 * 32 * 32 + 7 * 32 + 20] = Float.NaN;
        for (VectorizationProvider provider : new VectorizationProvider[] {ACTIVE, SCALAR}) {
            Object[] have = fused(provider, c, true);
            assertSame(throughColumns(provider, c, true), have, provider.kernels().name() + " with a NaN pixel");
            long nans = 0;
            for (float v : (float[]) have[0]) if (Float.isNaN(v)) nans++;
            assertTrue(nans > 0, "the NaN must reach the pooled output");
        }
    }
}
