package octoquant.engine.ops;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv2dOp on a layer wide enough for Winograd F(2×2, 3×3): against a direct convolution in double. */
class Conv2dOpWinogradTest {
    private static final int N = 3, CI = ConvReluPoolOp.WINOGRAD_MIN_CHANNELS, CO = 5, H = 7, W = 9, PAD = 1;

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
        assertTrue(ConvReluPoolOp.usesWinograd(new Im2Col.Geometry(CI, H, W, 3, 3, 1, PAD, H, W)));
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

    /** Within float rounding relative to the result's largest magnitude. */
    private static void assertClose(double[] want, float[] got, String what) {
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * scale, what + " [" + i + "]");
    }
}
