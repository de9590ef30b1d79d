package octoquant.engine.ops;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conv2dOp on layers wide enough for Winograd F(4×4, 3×3) ({@link Winograd3x3#usedFor}): against a direct
 * convolution in double, against the im2col path, across thread counts, with fp32 and packed weights.
 */
class Conv2dOpWinogradTest {
    private static final int N = 3, CI = Winograd3x3.MIN_CHANNELS, CO = 5, H = 7, W = 9, PAD = 1;

    /** Output, input gradient, weight gradient, bias gradient. */
    private static float[][] run(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(31);
            Parameter w = TestTensors.param(rng, "w", CO, CI * 9, CO, CI, 3, 3);
            Parameter b = TestTensors.param(rng, "b", 1, CO, CO);
            Tensor x = Tensor.randn(rng, N, CI, H, W).requireGrad();
            Tensor y = Conv2dOp.forward(x, w, b, 1, PAD);
            y.backward(Tensor.randn(new Rng(32), y.size()).data());
            return new float[][] {y.data(), x.grad(), w.grad(), b.grad(), x.data(), w.storage().decodeAll(), b.storage().decodeAll()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void winogradForwardAndInputGradientMatchADirectConvolutionInDouble() {
        assertTrue(Winograd3x3.usedFor(new Im2Col.Geometry(CI, H, W, 3, 3, 1, PAD, H, W)));
        float[][] r = run(2);
        float[] x = r[4], w = r[5], bias = r[6], seed = Tensor.randn(new Rng(32), N * CO * H * W).data();
        double[] y = new double[N * CO * H * W], dx = new double[N * CI * H * W], dw = new double[CO * CI * 9];
        for (int i = 0; i < N; i++) {
            for (int o = 0; o < CO; o++) {
                for (int oh = 0; oh < H; oh++) {
                    for (int ow = 0; ow < W; ow++) {
                        int yi = ((i * CO + o) * H + oh) * W + ow;
                        double sum = bias[o];
                        for (int c = 0; c < CI; c++) {
                            for (int a = 0; a < 3; a++) {
                                for (int bb = 0; bb < 3; bb++) {
                                    int ih = oh + a - PAD, iw = ow + bb - PAD;
                                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                    int xi = ((i * CI + c) * H + ih) * W + iw, wi = ((o * CI + c) * 3 + a) * 3 + bb;
                                    sum += (double) x[xi] * w[wi];
                                    dx[xi] += (double) seed[yi] * w[wi];
                                    dw[wi] += (double) seed[yi] * x[xi];
                                }
                            }
                        }
                        y[yi] = sum;
                    }
                }
            }
        }
        assertClose(y, r[0], "output");
        assertClose(dx, r[1], "input gradient");
        assertClose(dw, r[2], "weight gradient");
    }

    @Test
    void winogradLayerIsBitIdenticalForOneTwoAndThreeThreads() {
        float[][] one = run(1);
        for (int t = 2; t <= 3; t++) {
            float[][] other = run(t);
            for (int i = 0; i < 4; i++) assertArrayEquals(one[i], other[i], "result " + i + " with " + t + " threads");
        }
    }

    /** An 8-bit per-channel quantized weight {@code co × ci·9} (packed: no float view) from normal values. */
    private static Parameter packedWeight(long seed, int co, int ci) {
        Rng rng = new Rng(seed);
        float[] v = new float[co * ci * 9];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.5);
        QuantizedStorage q = new QuantizedStorage(co, ci * 9, 8, ScalePolicy.MAXABS, true, RoundingMode.NEAREST_EVEN, seed);
        q.encodeFrom(v);
        assertNull(q.floatView(), "the weight must be packed for these tests");
        return new Parameter("w", new int[] {co, ci, 3, 3}, q);
    }

    /** The same values as {@code w} in fp32 storage. */
    private static Parameter decodedCopy(Parameter w) {
        return new Parameter("w32", w.shape(), new FloatStorage(w.storage().rows(), w.storage().cols(), w.storage().decodeAll()));
    }

    /** Output, input gradient, weight gradient of a padding-1 Conv2dOp without bias, on {@code threads} threads. */
    private static float[][] train(Parameter w, float[] xs, int n, int h, int wd, float[] seed, int threads) {
        return train(w, xs, n, h, wd, seed, threads, new ScratchPool());
    }

    private static float[][] train(Parameter w, float[] xs, int n, int h, int wd, float[] seed, int threads, ScratchPool pool) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            w.zeroGrad();
            Tensor x = Tensor.of(xs.clone(), n, w.shape()[1], h, wd).requireGrad();
            Tensor y = Conv2dOp.forward(x, w, null, 1, 1, new WeightTiles(), pool);
            y.backward(seed);
            return new float[][] {y.data(), x.grad(), w.grad().clone()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void packedWeightRunsTheSameWinogradAsItsDecodedCopy() {
        // {n, ci, co, h, w}: several chunks of images and partial tiles; and a weight too big for one
        // WeightTiles tile (64 × 2304 floats), decoded and transformed in two.
        int[][] shapes = {{7, Winograd3x3.MIN_CHANNELS, 5, 9, 11}, {2, 256, 64, 4, 5}};
        assertTrue(WeightTiles.rowsPerTile(256 * 9) < 64, "the second shape must need two weight tiles");
        for (int[] sh : shapes) {
            int n = sh[0], ci = sh[1], co = sh[2], h = sh[3], wd = sh[4];
            assertTrue(Winograd3x3.usedFor(Im2ColReference.geometry(ci, h, wd, 1)));
            Parameter packed = packedWeight(41, co, ci);
            float[] x = Tensor.randn(new Rng(42), n * ci * h * wd).data(), seed = Tensor.randn(new Rng(43), n * co * h * wd).data();
            float[][] got = train(packed, x, n, h, wd, seed, 2), want = train(decodedCopy(packed), x, n, h, wd, seed, 2);
            String[] what = {"output", "input gradient", "weight gradient"};
            for (int r = 0; r < 3; r++) assertArrayEquals(want[r], got[r], what[r] + " for shape " + Arrays.toString(sh));
        }
    }

    @Test
    void packedWeightMatchesTheIm2colPathWithinWinogradRounding() {
        int n = 7, ci = Winograd3x3.MIN_CHANNELS, co = 5, h = 9, wd = 11;
        Parameter packed = packedWeight(51, co, ci);
        float[] w = packed.storage().decodeAll();
        float[] x = Tensor.randn(new Rng(52), n * ci * h * wd).data(), seed = Tensor.randn(new Rng(53), n * co * h * wd).data();
        float[][] got = train(packed, x, n, h, wd, seed, 2);
        float[] y = Im2ColReference.forward(x, n, ci, h, wd, 1, w, co);
        assertClose(toDouble(y), got[0], "output");
        assertClose(toDouble(Im2ColReference.inputGradient(seed, n, co, ci, h, wd, 1, w)), got[1], "input gradient");
        assertClose(toDouble(Im2ColReference.weightGradient(x, seed, n, ci, h, wd, 1, co)), got[2], "weight gradient");
        // Close but not the same bits: the forward pass really ran as Winograd, not im2col + GEMM.
        assertFalse(Arrays.equals(y, got[0]), "the packed weight's forward pass gave im2col's exact bits");
        for (int t = 1; t <= 3; t += 2) {
            float[][] other = train(packed, x, n, h, wd, seed, t);
            for (int r = 0; r < 3; r++) assertArrayEquals(got[r], other[r], "result " + r + " with " + t + " threads");
        }
    }

    @Test
    void pooledBuffersWithStaleContentsChangeNothing() {
        // The transformed filters, the kept columns and the weight-gradient partials come from the layer's
        // pool: every element is written before it is read, so leftovers (here NaN) never show.
        int n = 7, ci = Winograd3x3.MIN_CHANNELS, co = 5, h = 9, wd = 11;
        float[] x = Tensor.randn(new Rng(62), n * ci * h * wd).data(), seed = Tensor.randn(new Rng(63), n * co * h * wd).data();
        Parameter packed = packedWeight(61, co, ci);
        for (Parameter w : new Parameter[] {packed, decodedCopy(packed)}) {
            float[][] fresh = train(w, x, n, h, wd, seed, 2), stale = train(w, x, n, h, wd, seed, 2, ScratchPoolTest.poisoned());
            for (int r = 0; r < 3; r++) assertArrayEquals(fresh[r], stale[r], "result " + r + " of " + w.storage().describe());
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    /** Within float rounding relative to the result's largest magnitude. */
    private static void assertClose(double[] want, float[] got, String what) {
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * scale, what + " [" + i + "]");
    }
}
