package octoquant.engine.ops;

import octoquant.engine.gradcheck.GradCheck;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.PoolPasses;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.param.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused conv → ReLU → pool block's training path for a first layer (only the parameters need a
 * gradient): the weight gradient summed over the pool's winners from the input unfolded one row per
 * position. Its passes against their definitions and the scalar forms, the op against the three unfused
 * ops and finite differences.
 */
class WinnerGradientTest {
    private static final PoolPasses ACTIVE = VectorizationProvider.get().poolPasses();
    private static final PoolPasses SCALAR = VectorizationProvider.scalar().poolPasses();

    @Test
    void unfoldedRowsHoldEachPositionsTapsInPoolOrder() {
        Rng rng = new Rng(31);
        // 3 channels: the seed CNN's first layer; 5: a run of 15 floats, one vector; 6: 18 floats, the scalar loop.
        for (int[] s : new int[][] {{3, 8, 8, 1}, {1, 6, 10, 1}, {5, 6, 4, 0}, {6, 8, 6, 1}, {3, 32, 32, 1}}) {
            int ci = s[0], h = s[1], w = s[2], pad = s[3];
            Im2Col.Geometry geo = new Im2Col.Geometry(ci, h, w, 3, 3, 1, pad, h + 2 * pad - 2, w + 2 * pad - 2);
            float[] x = new float[2 + ci * h * w];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            float[] xp = new float[Im2Col.paddedChannelsLastSize(geo) + PoolPasses.UNFOLD_SLACK];
            Arrays.fill(xp, Float.NaN); // stale contents: the padding must be written
            Im2Col.paddedChannelsLast(x, 2, geo, xp);
            int ph = geo.outH() / 2, pw = geo.outW() / 2, windows = ph * pw, stride = PoolPasses.rowStride(9 * ci);
            for (PoolPasses passes : List.of(ACTIVE, SCALAR)) {
                float[] rows = new float[4 * windows * stride + PoolPasses.UNFOLD_SLACK];
                passes.unfoldRowsPoolOrder(xp, Im2Col.paddedWidth(geo), ci, 3, 3, ph, pw, rows, stride);
                for (int m = 0; m < 4; m++) {
                    for (int a = 0; a < ph; a++) {
                        for (int b = 0; b < pw; b++) {
                            int row = (m * windows + a * pw + b) * stride, oy = 2 * a + m / 2, ox = 2 * b + m % 2;
                            for (int i = 0; i < 3; i++) {
                                for (int j = 0; j < 3; j++) {
                                    for (int c = 0; c < ci; c++) {
                                        int iy = oy + i - pad, ix = ox + j - pad;
                                        float want = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : x[2 + (c * h + iy) * w + ix];
                                        assertEquals(want, rows[row + (i * 3 + j) * ci + c],
                                                Arrays.toString(s) + " position " + oy + "," + ox + " tap " + i + "," + j + " channel " + c);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void passedWinnersAndTheirProductsMatchTheScalarFormAndADoubleSum() {
        Rng rng = new Rng(32);
        for (int[] s : new int[][] {{4, 256, 32}, {5, 37, 32}, {7, 16, 16}, {1, 9, 48}, {3, 64, 144}}) {
            int channels = s[0], windows = s[1], stride = s[2], rowsCount = 4 * windows;
            float[] g = new float[3 + channels * windows], out = new float[g.length];
            int[] where = new int[g.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian();
                out[i] = (float) rng.nextGaussian();
                where[i] = rng.nextInt(4);
            }
            out[3] = Float.NaN;
            out[4] = -0f;
            out[5] = Float.POSITIVE_INFINITY;
            float[] rows = new float[7 + rowsCount * stride];
            for (int i = 0; i < rows.length; i++) rows[i] = (float) rng.nextGaussian();
            float[][] passed = new float[2][1 + channels * windows];
            int[][] rowAt = new int[2][1 + channels * windows];
            float[][] acc = new float[2][2 + channels * stride];
            PoolPasses[] forms = {ACTIVE, SCALAR};
            for (int f = 0; f < 2; f++) {
                for (int c = 0; c < channels; c++) {
                    forms[f].passedWinners(g, out, where, 3 + c * windows, windows, 7, stride, passed[f], rowAt[f], 1 + c * windows);
                }
                Arrays.fill(acc[f], 0.25f); // the products add to what is there
                forms[f].addWinnerProducts(passed[f], rowAt[f], 1, windows, channels, rows, stride, acc[f], 2);
            }
            assertArrayEquals(passed[1], passed[0], "passed gradient, vector vs scalar " + Arrays.toString(s));
            assertArrayEquals(rowAt[1], rowAt[0], "winner rows, vector vs scalar " + Arrays.toString(s));
            assertArrayEquals(acc[1], acc[0], "products, vector vs scalar " + Arrays.toString(s));
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < windows; t++) {
                    int o = 3 + c * windows + t;
                    assertEquals(out[o] > 0f ? g[o] : 0f, passed[1][1 + c * windows + t]);
                    assertEquals(7 + (where[o] * windows + t) * stride, rowAt[1][1 + c * windows + t]);
                }
                for (int k = 0; k < stride; k++) {
                    double want = 0.25;
                    for (int t = 0; t < windows; t++) {
                        int o = 3 + c * windows + t;
                        if (out[o] > 0f) want += (double) g[o] * rows[7 + (where[o] * windows + t) * stride + k];
                    }
                    assertEquals(want, acc[1][2 + c * stride + k], 1e-5 * (1 + Math.abs(want)) * Math.sqrt(windows),
                            "channel " + c + " lane " + k + " " + Arrays.toString(s));
                }
            }
        }
    }

    /** Output, weight gradient, bias gradient of the block on an input that needs no gradient. */
    private static float[][] run(boolean fused, int threads, int n, int ci, int co, int h, int w, int pad, ScratchPool pool) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(41);
            Parameter wt = TestTensors.param(rng, "w", co, ci * 9, co, ci, 3, 3);
            Parameter b = TestTensors.param(rng, "b", 1, co, co);
            Tensor x = Tensor.randn(rng, n, ci, h, w);
            Tensor y = fused ? ConvReluPoolOp.forward(x, wt, b, 1, pad, new WeightTiles(), pool)
                    : MaxPool2dOp.forward(Activations.relu(Conv2dOp.forward(x, wt, b, 1, pad)), 2, 2);
            y.backward(Tensor.randn(new Rng(42), y.size()).data());
            return new float[][] {y.data(), wt.grad(), b.grad()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void aFirstLayerSumsOverTheWinnersAndMatchesTheUnfusedOps() {
        // 19 images (groups of 2 and 3); the seed CNN's first layer; one channel, no padding; 15 channels,
        // whose 135 taps take two GEMM k-blocks (the forward then runs through columns, not phase planes).
        for (int[] s : new int[][] {{19, 3, 6, 16, 12, 1}, {5, 3, 32, 32, 32, 1}, {7, 1, 5, 10, 18, 0}, {4, 15, 5, 8, 8, 1}}) {
            int n = s[0], ci = s[1], co = s[2], h = s[3], w = s[4], pad = s[5];
            assertTrue(ConvReluPoolOp.sumsOverWinners(Tensor.zeros(n, ci, h, w), TestTensors.param(new Rng(1), "w", co, ci * 9, co, ci, 3, 3),
                    new Im2Col.Geometry(ci, h, w, 3, 3, 1, pad, h + 2 * pad - 2, w + 2 * pad - 2)), Arrays.toString(s));
            float[][] ref = run(false, 1, n, ci, co, h, w, pad, ScratchPool.none());
            float[][] got = run(true, 2, n, ci, co, h, w, pad, new ScratchPool());
            assertArrayEquals(ref[0], got[0], "output " + Arrays.toString(s));
            // The same terms summed in another order (the unfused op multiplies the zeros too).
            for (int r = 1; r <= 2; r++) {
                float scale = 0f;
                for (float v : ref[r]) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < ref[r].length; i++) {
                    assertEquals(ref[r][i], got[r][i], 1e-5 * scale, (r == 1 ? "weight" : "bias") + " gradient [" + i + "] " + Arrays.toString(s));
                }
            }
            for (int t = 1; t <= 3; t++) {
                float[][] other = run(true, t, n, ci, co, h, w, pad, ScratchPoolTest.poisoned());
                for (int i = 0; i < got.length; i++) assertArrayEquals(got[i], other[i], "result " + i + " with " + t + " threads, stale pool");
            }
        }
    }

    @Test
    void aLayerWhoseInputNeedsAGradientKeepsTheOtherPath() {
        Parameter w = TestTensors.param(new Rng(1), "w", 4, 27, 4, 3, 3, 3);
        Im2Col.Geometry geo = new Im2Col.Geometry(3, 8, 8, 3, 3, 1, 1, 8, 8);
        assertFalse(ConvReluPoolOp.sumsOverWinners(Tensor.zeros(2, 3, 8, 8).requireGrad(), w, geo));
        assertFalse(ConvReluPoolOp.sumsOverWinners(Tensor.zeros(2, 3, 9, 8), w, new Im2Col.Geometry(3, 9, 8, 3, 3, 1, 1, 9, 8)),
                "an odd output height: pool order would drop a row");
    }

    @Test
    void winnerGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(43);
        Tensor x = Tensor.randn(rng, 3, 2, 8, 8);
        Parameter w = TestTensors.param(rng, "weight", 4, 18, 4, 2, 3, 3);
        Parameter b = TestTensors.param(rng, "bias", 1, 4, 4);
        GradCheck.Result r = GradCheck.piecewiseLinear(1e-3)
                .check(() -> ConvReluPoolOp.forward(x, w, b, 1, 1, new WeightTiles()), List.of(), List.of(w, b), rng);
        assertTrue(r.ok(), r.toString());
        assertTrue(r.skipped() <= Math.max(2, (r.checked() + r.skipped()) / 5), "too many kinks: " + r);
    }
}
