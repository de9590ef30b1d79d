package octoquant.engine.ops;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.autograd.Grad;
import octoquant.engine.gradcheck.GradCheck;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.kernels.PoolPasses;
import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.nn.Conv2d;
import octoquant.engine.nn.MaxPool2d;
import octoquant.engine.param.Parameter;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The fused conv → ReLU → 2×2 max-pool against the three ops one after another. */
class ConvReluPoolOpTest {

    /** Output, input gradient, weight gradient, bias gradient. */
    private static float[][] run(boolean fused, int threads, int n, int ci, int co, int h, int w, int stride, int pad) {
        return run(fused, threads, n, ci, co, h, w, stride, pad, false);
    }

    private static float[][] run(boolean fused, int threads, int n, int ci, int co, int h, int w, int stride, int pad,
                                 boolean withNaN) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(77);
            Parameter wt = TestTensors.param(rng, "w", co, ci * 9, co, ci, 3, 3);
            Parameter b = TestTensors.param(rng, "b", 1, co, co);
            Tensor x = Tensor.randn(rng, n, ci, h, w).requireGrad();
            if (withNaN) x.data()[x.size() / 2 + 3] = Float.NaN; // spreads over a 3x3 patch of every channel
            Tensor y = fused ? ConvReluPoolOp.forward(x, wt, b, stride, pad, new WeightTiles())
                    : MaxPool2dOp.forward(Activations.relu(Conv2dOp.forward(x, wt, b, stride, pad)), 2, 2);
            y.backward(Tensor.randn(new Rng(78), y.size()).data());
            return new float[][] {y.data(), x.grad(), wt.grad(), b.grad()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void fusedGivesTheUnfusedValuesAndGradients() {
        // 19 images (groups of 2 and 3), odd sizes (the pool drops the last row and column), stride 1 and 2;
        // 6 and 13 output channels (the channel sums' blocks of eight, then single channels).
        for (int stride = 1; stride <= 2; stride++) {
            for (int co : new int[] {6, 13}) {
                float[][] ref = run(false, 1, 19, 3, co, 11, 9, stride, 1);
                float[][] got = run(true, 2, 19, 3, co, 11, 9, stride, 1);
                assertArrayEquals(ref[0], got[0], "output");
                assertArrayEquals(ref[1], got[1], "input gradient");
                assertArrayEquals(ref[2], got[2], "weight gradient (same grouping as conv2d)");
                // The bias gradient is summed by image group here and in one run over the batch there.
                for (int c = 0; c < ref[3].length; c++) {
                    assertEquals(ref[3][c], got[3][c], 1e-5 * (1 + Math.abs(ref[3][c])), "bias gradient " + c);
                }
            }
        }
    }

    @Test
    void fusedPicksTheSameWinnersAsTheUnfusedOpsAroundANaN() {
        float[][] ref = run(false, 1, 4, 2, 3, 8, 8, 1, 1, true);
        float[][] got = run(true, 1, 4, 2, 3, 8, 8, 1, 1, true);
        assertArrayEquals(ref[0], got[0], "output (NaN windows included)");
        assertArrayEquals(ref[1], got[1], "input gradient");
        assertArrayEquals(ref[2], got[2], "weight gradient");
    }

    @Test
    void vectorAndScalarPoolPassesAgreeOnTiesZerosAndNaN() {
        PoolPasses active = VectorizationProvider.get().poolPasses(), scalar = VectorizationProvider.scalar().poolPasses();
        Rng rng = new Rng(11);
        // Widths with whole vectors, a tail, an odd last column (also with vector windows: 35), rows of
        // 14 and 7 windows (Fashion-MNIST's CNN); an odd last row.
        for (int w : new int[] {32, 16, 50, 7, 2, 28, 14, 35, 31}) {
            int h = 9, ph = h / 2, pw = w / 2;
            float[] y = new float[3 + h * w];
            // Small integers: many ties, exact zeros after the bias, negatives the ReLU drops.
            for (int i = 0; i < y.length; i++) y[i] = (float) Math.floor(rng.nextGaussian() * 2);
            y[3 + 5] = Float.NaN;
            y[3 + w + 1] = Float.NaN;
            float[] got = new float[2 + ph * pw], want = new float[2 + ph * pw];
            int[] gotAt = new int[2 + ph * pw], wantAt = new int[2 + ph * pw];
            active.biasReluPool(y, 3, w, ph, pw, 1f, got, gotAt, 2);
            scalar.biasReluPool(y, 3, w, ph, pw, 1f, want, wantAt, 2);
            assertArrayEquals(want, got, "width " + w);
            assertArrayEquals(wantAt, gotAt, "winners, width " + w);
            float[] noWinners = new float[2 + ph * pw];
            active.biasReluPool(y, 3, w, ph, pw, 1f, noWinners, null, 2);
            assertArrayEquals(want, noWinners, "without winners, width " + w);
            float[] g = new float[2 + ph * pw];
            for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
            float[] dyGot = new float[1 + h * w], dyWant = new float[1 + h * w];
            java.util.Arrays.fill(dyGot, 7f); // stale contents must be overwritten
            java.util.Arrays.fill(dyWant, 9f);
            active.scatterWinners(g, want, wantAt, 2, h, w, dyGot, 1);
            scalar.scatterWinners(g, want, wantAt, 2, h, w, dyWant, 1);
            dyGot[0] = dyWant[0];
            assertArrayEquals(dyWant, dyGot, "scattered gradient, width " + w);
            for (int r = 0; r < ph; r++) {
                for (int q = 0; q < pw; q++) {
                    int j = 2 + r * pw + q, at = wantAt[j];
                    float expected = want[j] > 0f ? g[j] : 0f;
                    assertEquals(expected, dyWant[1 + (2 * r + at / 2) * w + 2 * q + at % 2], "gradient at the winner of " + r + "," + q);
                }
            }
            for (int r = 0; r < ph; r++) {
                for (int q = 0; q < pw; q++) {
                    float m = Float.NEGATIVE_INFINITY;
                    int first = -1;
                    boolean nan = false;
                    for (int d = 0; d < 4; d++) {
                        float v = y[3 + (2 * r + d / 2) * w + 2 * q + d % 2];
                        nan |= Float.isNaN(v);
                        if (v > m) {
                            m = v;
                            first = d;
                        }
                    }
                    float expected = nan ? Float.NaN : Math.max(m + 1f, 0f);
                    assertEquals(expected, want[2 + r * pw + q], "width " + w + " window " + r + "," + q);
                    if (expected > 0f) assertEquals(first, wantAt[2 + r * pw + q], "first maximum of window " + r + "," + q);
                }
            }
        }
    }

    @Test
    void poolOrderPassGivesThePoolPassValues() {
        PoolPasses active = VectorizationProvider.get().poolPasses(), scalar = VectorizationProvider.scalar().poolPasses();
        Rng rng = new Rng(12);
        for (int w : new int[] {32, 28, 16, 6}) {
            int h = w, ph = h / 2, pw = w / 2, windows = ph * pw;
            float[] y = new float[3 + h * w];
            for (int i = 0; i < y.length; i++) y[i] = (float) Math.floor(rng.nextGaussian() * 2);
            y[3 + 5] = Float.NaN;
            y[3 + w + 1] = -0f;
            y[3 + 2] = Float.POSITIVE_INFINITY;
            // The same channel in pool order: member k of window (r, q) at k·windows + r·pw + q.
            float[] members = new float[1 + 4 * windows];
            for (int r = 0; r < ph; r++) {
                for (int q = 0; q < pw; q++) {
                    for (int k = 0; k < 4; k++) members[1 + k * windows + r * pw + q] = y[3 + (2 * r + k / 2) * w + 2 * q + k % 2];
                }
            }
            float[] want = new float[2 + windows], got = new float[2 + windows], gotScalar = new float[2 + windows];
            for (float bias : new float[] {1f, -1f, 0f}) {
                scalar.biasReluPool(y, 3, w, ph, pw, bias, want, null, 2);
                active.biasReluPoolMembers(members, 1, windows, bias, got, 2);
                scalar.biasReluPoolMembers(members, 1, windows, bias, gotScalar, 2);
                assertArrayEquals(want, got, "width " + w + ", bias " + bias);
                assertArrayEquals(want, gotScalar, "scalar, width " + w + ", bias " + bias);
                // With winners: the values and the winners of the row-major pass, vector and scalar.
                int[] wantAt = new int[2 + windows], gotAt = new int[2 + windows], gotAtScalar = new int[2 + windows];
                float[] withWinners = new float[2 + windows], withWinnersScalar = new float[2 + windows];
                scalar.biasReluPool(y, 3, w, ph, pw, bias, want, wantAt, 2);
                active.biasReluPoolMembers(members, 1, windows, bias, withWinners, gotAt, 2);
                scalar.biasReluPoolMembers(members, 1, windows, bias, withWinnersScalar, gotAtScalar, 2);
                assertArrayEquals(want, withWinners, "with winners, width " + w + ", bias " + bias);
                assertArrayEquals(want, withWinnersScalar, "with winners, scalar, width " + w + ", bias " + bias);
                assertArrayEquals(wantAt, gotAt, "winners, width " + w + ", bias " + bias);
                assertArrayEquals(wantAt, gotAtScalar, "winners, scalar, width " + w + ", bias " + bias);
            }
        }
    }

    /** Inference (no gradient) takes the pool-order path where it applies; its floats are training's. */
    @Test
    void inferenceGivesTheTrainingForwardsFloats() {
        for (int[] s : new int[][] {{3, 32, 32}, {1, 28, 28}, {2, 11, 9}}) {
            Rng rng = new Rng(5);
            Parameter wt = TestTensors.param(rng, "w", 8, s[0] * 9, 8, s[0], 3, 3);
            Parameter b = TestTensors.param(rng, "b", 1, 8, 8);
            Tensor x = Tensor.randn(rng, 3, s[0], s[1], s[2]);
            x.data()[7] = Float.NaN;
            float[] training = ConvReluPoolOp.forward(x, wt, b, 1, 1, new WeightTiles()).data().clone();
            float[] inference;
            try (Grad.Scope off = Grad.disabled()) {
                inference = ConvReluPoolOp.forward(x, wt, b, 1, 1, new WeightTiles()).data().clone();
            }
            assertArrayEquals(training, inference, java.util.Arrays.toString(s));
        }
    }

    @Test
    void trainingStepsReuseTheLayerBuffersWithoutChangingResults() {
        Sequential block = new Sequential(Conv2d.builder().in(3).out(8).kernel(3).stride(1).padding(1).init(new Rng(5)).build(), new ReLU(), new MaxPool2d(2));
        Conv2d conv = (Conv2d) block.get(0);
        Tensor x = Tensor.randn(new Rng(6), 5, 3, 10, 10);
        float[] seed = Tensor.randn(new Rng(7), 5 * 8 * 5 * 5).data();
        float[][] first = null;
        for (int step = 0; step < 3; step++) {
            // A differently shaped batch in between leaves other contents in the reused buffers.
            if (step == 1) block.forward(Tensor.randn(new Rng(8), 2, 3, 12, 12)).backward(Tensor.randn(new Rng(9), 2 * 8 * 6 * 6).data());
            conv.weight().zeroGrad();
            conv.bias().zeroGrad();
            Tensor xs = Tensor.of(x.data(), x.shape()).requireGrad();
            Tensor y = block.forward(xs);
            y.backward(seed);
            float[][] now = {y.data(), xs.grad(), conv.weight().grad().clone(), conv.bias().grad().clone()};
            if (first == null) first = now;
            else for (int i = 0; i < now.length; i++) assertArrayEquals(first[i], now[i], "result " + i + " at step " + step);
        }
        try (Grad.Scope off = Grad.disabled()) {
            assertArrayEquals(first[0], block.forward(x).data(), "inference gives the training output");
        }
    }

    @Test
    void winogradLayersMatchTheUnfusedOpsAndAreThreadCountIndependent() {
        // 16 input channels: the forward and both gradients run as Winograd F(4x4, 3x3). 9 × 11: odd sizes
        // (a dropped last row and column, partial tiles); 16 × 16: every pool window inside its tile (the
        // pool-gradient gathers). 7 images: chunks of several images and a short one, the second chunk on a
        // thread reusing the first one's scratch streams.
        int ci = Winograd3x3.MIN_CHANNELS;
        for (int[] size : new int[][] {{9, 11}, {16, 16}}) {
            int h = size[0], w = size[1];
            assertTrue(Winograd3x3.usedFor(new Im2Col.Geometry(ci, h, w, 3, 3, 1, 1, h, w)));
            float[][] ref = run(false, 1, 7, ci, 5, h, w, 1, 1);
            float[][] got = run(true, 1, 7, ci, 5, h, w, 1, 1);
            // Winograd rounds differently from a dot product: compare relative to each result's scale.
            for (int r = 0; r < ref.length; r++) {
                float scale = 0f;
                for (float v : ref[r]) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < ref[r].length; i++) {
                    assertEquals(ref[r][i], got[r][i], 2e-5 * scale, h + "x" + w + " result " + r + " [" + i + "]");
                }
            }
            for (int t = 2; t <= 3; t++) {
                float[][] other = run(true, t, 7, ci, 5, h, w, 1, 1);
                for (int i = 0; i < got.length; i++) {
                    assertArrayEquals(got[i], other[i], h + "x" + w + " result " + i + " with " + t + " threads");
                }
            }
        }
    }

    @Test
    void pooledBuffersWithStaleContentsChangeNothing() {
        // Kept columns, transformed filters and weight-gradient partials come from the layer's pool; each
        // element is written before it is read, so leftovers (here NaN) never show. 3 input channels run
        // im2col (columns kept), 16 run Winograd.
        for (int ci : new int[] {3, Winograd3x3.MIN_CHANNELS}) {
            Rng rng = new Rng(90 + ci);
            Parameter wt = TestTensors.param(rng, "w", 5, ci * 9, 5, ci, 3, 3);
            Parameter b = TestTensors.param(rng, "b", 1, 5, 5);
            Tensor x = Tensor.randn(rng, 7, ci, 9, 11);
            float[] seed = Tensor.randn(rng, 7 * 5 * 4 * 5).data();
            float[][] results = new float[2][];
            for (int run = 0; run < 2; run++) {
                ScratchPool pool = run == 0 ? new ScratchPool() : ScratchPoolTest.poisoned();
                wt.zeroGrad();
                b.zeroGrad();
                Tensor xs = Tensor.of(x.data(), x.shape()).requireGrad();
                Tensor y = ConvReluPoolOp.forward(xs, wt, b, 1, 1, new WeightTiles(), pool);
                y.backward(seed);
                results[run] = concat(y.data(), xs.grad(), wt.grad(), b.grad());
            }
            assertArrayEquals(results[0], results[1], "fresh vs stale pool, " + ci + " input channels");
        }
    }

    private static float[] concat(float[]... parts) {
        int length = 0;
        for (float[] p : parts) length += p.length;
        float[] all = new float[length];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void fusedIsBitIdenticalForOneTwoAndThreeThreads() {
        float[][] one = run(true, 1, 19, 4, 5, 8, 8, 1, 1);
        for (int t = 2; t <= 3; t++) {
            float[][] other = run(true, t, 19, 4, 5, 8, 8, 1, 1);
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], other[i], "result " + i + " with " + t + " threads");
        }
    }

    @Test
    void sequentialFusesConvReluPoolWithTheSameResults() {
        Sequential fused = new Sequential(Conv2d.builder().in(2).out(4).kernel(3).stride(1).padding(1).init(new Rng(5)).build(), new ReLU(), new MaxPool2d(2));
        Conv2d conv = (Conv2d) fused.get(0);
        Tensor x = Tensor.randn(new Rng(6), 3, 2, 6, 6);
        Tensor y = fused.forward(x);
        assertEquals("convReluPool", y.op());
        Tensor ref = MaxPool2dOp.forward(Activations.relu(Conv2dOp.forward(x,
                new Parameter("w", conv.weight().shape(), new FloatStorage(4, 18, conv.weight().storage().decodeAll())),
                new Parameter("b", conv.bias().shape(), new FloatStorage(1, 4, conv.bias().storage().decodeAll())), 1, 1)), 2, 2);
        assertArrayEquals(ref.data(), y.data());
        try (Grad.Scope off = Grad.disabled()) {
            assertArrayEquals(ref.data(), fused.forward(x).data(), "inference (no winners kept)");
        }
        // A 3x3 pool is not fused: the layers run one by one.
        Sequential unfused = new Sequential(Conv2d.builder().in(2).out(4).kernel(3).stride(1).padding(1).init(new Rng(5)).build(), new ReLU(), new MaxPool2d(3));
        assertEquals("maxPool2d", unfused.forward(x).op());
    }

    @Test
    void notFusableWhenThePoolIsNot2x2OrTheOutputTooSmall() {
        Parameter w = TestTensors.param(new Rng(1), "w", 4, 18, 4, 2, 3, 3);
        Tensor x = Tensor.zeros(1, 2, 3, 3);
        assertFalse(ConvReluPoolOp.fusable(x, w, 1, 0, 2, 2), "1x1 convolution output");
        assertFalse(ConvReluPoolOp.fusable(Tensor.zeros(1, 2, 8, 8), w, 1, 1, 3, 3));
        assertTrue(ConvReluPoolOp.fusable(Tensor.zeros(1, 2, 8, 8), w, 1, 1, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvReluPoolOp.forward(x, w, null, 1, 0, new WeightTiles()));
        assertTrue(e.getMessage().contains("convReluPool") && e.getMessage().contains("[1, 2, 3, 3]"), e.getMessage());
    }

    @Test
    void winogradGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(21);
        int ci = Winograd3x3.MIN_CHANNELS;
        Tensor x = Tensor.randn(rng, 2, ci, 6, 5);
        Parameter w = TestTensors.param(rng, "weight", 3, ci * 9, 3, ci, 3, 3);
        Parameter b = TestTensors.param(rng, "bias", 1, 3, 3);
        // F(4×4, 3×3) rounds its outputs at about 1e-6 relative, 5× im2col's: over a step of 1e-3 that noise
        // alone makes a fifth of the one-sided difference quotients disagree (counted as kinks), so the
        // step is 4e-3 (1% of the coordinates then sit near a real kink).
        GradCheck.Result r = GradCheck.piecewiseLinear(4e-3)
                .check(() -> ConvReluPoolOp.forward(x, w, b, 1, 1, new WeightTiles()), List.of(x), List.of(w, b), rng);
        assertTrue(r.ok(), r.toString());
        assertTrue(r.skipped() <= Math.max(2, (r.checked() + r.skipped()) / 5), "too many kinks: " + r);
    }

    @Property(tries = 15)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int ci,
                                         @ForAll @IntRange(min = 1, max = 3) int co, @ForAll @IntRange(min = 0, max = 3) int extra,
                                         @ForAll boolean withBias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.randn(rng, n, ci, 4 + extra, 5);
        Parameter w = TestTensors.param(rng, "weight", co, ci * 9, co, ci, 3, 3);
        Parameter b = withBias ? TestTensors.param(rng, "bias", 1, co, co) : null;
        List<Parameter> ps = withBias ? List.of(w, b) : List.of(w);
        GradCheck.Result r = GradCheck.piecewiseLinear(1e-3)
                .check(() -> ConvReluPoolOp.forward(x, w, b, 1, 1, new WeightTiles()), List.of(x), ps, rng);
        assertTrue(r.ok(), r.toString());
        // Which coordinates sit near a kink depends on the forward pass only; about one generated case
        // in 850 has more than a fifth of them there and says little about backward, so it is discarded
        // (jqwik fails the property if it discards too many) rather than failed.
        Assume.that(r.skipped() <= Math.max(2, (r.checked() + r.skipped()) / 5));
    }
}
