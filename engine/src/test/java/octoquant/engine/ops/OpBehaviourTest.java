package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Forward values, tiling, determinism and bad-input messages of the ops. */
class OpBehaviourTest {

    /** fp32 values behind an interface without a float view: forces the decode-per-tile path. */
    private static final class PackedLike implements WeightStorage {
        final FloatStorage inner;
        int decodedRowsMax;

        PackedLike(FloatStorage inner) {
            this.inner = inner;
        }

        public int rows() { return inner.rows(); }
        public int cols() { return inner.cols(); }
        public void decodeRows(int row0, int count, float[] dst, int dstOff) {
            decodedRowsMax = Math.max(decodedRowsMax, count);
            inner.decodeRows(row0, count, dst, dstOff);
        }
        public void applyUpdate(float[] delta) { inner.applyUpdate(delta); }
        public void encodeFrom(float[] values) { inner.encodeFrom(values); }
        public long sizeInBytes() { return inner.sizeInBytes(); }
        public String describe() { return "packed-like"; }
    }

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    /** Every element within {@code tol} times the largest magnitude of the expected values. */
    private static void assertCloseToScale(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        float scale = 0f;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol * scale, "element " + i);
    }

    @Test
    void broadcastingAddsARowToEveryRow() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, Elementwise.add(a, b).data());
        Tensor col = Tensor.of(new float[] {2, 3}, 2, 1);
        assertArrayEquals(new float[] {2, 4, 6, 12, 15, 18}, Elementwise.mul(a, col).data());
    }

    @Test
    void matmulMatchesADoubleLoop() {
        Rng rng = new Rng(5);
        Tensor a = Tensor.randn(rng, 7, 5), b = Tensor.randn(rng, 5, 3);
        float[] c = MatMul.matmul(a, b).data();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 5; k++) s += (double) a.data()[i * 5 + k] * b.data()[k * 3 + j];
                assertEquals(s, c[i * 3 + j], 1e-5);
            }
        }
    }

    @Test
    void linearReadsAPackedWeightTileByTileWithTheSameResults() {
        Rng rng = new Rng(11);
        int in = 300, out = 601; // 180,300 values: two tiles of 436 and 165 rows
        float[] w = Tensor.randn(rng, out * in).data();
        Parameter dense = new Parameter("w", new int[] {out, in}, new FloatStorage(out, in, w.clone()));
        PackedLike packed = new PackedLike(new FloatStorage(out, in, w.clone()));
        Parameter tiled = new Parameter("w", new int[] {out, in}, packed);
        Tensor x1 = Tensor.randn(new Rng(3), 4, in).requireGrad();
        Tensor x2 = Tensor.of(x1.data().clone(), 4, in).requireGrad();
        Tensor y1 = LinearOp.forward(x1, dense, null);
        Tensor y2 = LinearOp.forward(x2, tiled, null);
        assertClose(y1.data(), y2.data(), 1e-5f);
        float[] seed = Tensor.randn(new Rng(4), 4 * out).data();
        y1.backward(seed);
        y2.backward(seed);
        assertClose(x1.grad(), x2.grad(), 1e-5f);
        assertClose(dense.grad(), tiled.grad(), 1e-5f);
        assertEquals(WeightTiles.rowsPerTile(in), packed.decodedRowsMax, "decoded one tile at a time");
        assertTrue(packed.decodedRowsMax < out);
    }

    @Test
    void convReadsAPackedWeightTileByTileWithTheSameResults() {
        Rng rng = new Rng(12);
        int ci = 40, co = 400, k = 3; // 400 filters of 360 values: 144,000 values, two tiles
        float[] w = Tensor.randn(rng, co * ci * k * k).data();
        int[] shape = {co, ci, k, k};
        Parameter dense = new Parameter("w", shape, new FloatStorage(co, ci * k * k, w.clone()));
        PackedLike packed = new PackedLike(new FloatStorage(co, ci * k * k, w.clone()));
        Parameter tiled = new Parameter("w", shape, packed);
        Tensor x1 = Tensor.randn(new Rng(3), 2, ci, 5, 4).requireGrad();
        Tensor x2 = Tensor.of(x1.data().clone(), x1.shape()).requireGrad();
        Tensor y1 = Conv2dOp.forward(x1, dense, null, 1, 1);
        Tensor y2 = Conv2dOp.forward(x2, tiled, null, 1, 1);
        // Both weights run this 40-channel layer as Winograd (Winograd3x3.usedFor), the packed one decoding
        // its filters a tile of rows at a time; compared against the results' scale, so the test holds
        // whichever path either takes.
        assertCloseToScale(y1.data(), y2.data(), 1e-5f);
        float[] seed = Tensor.randn(new Rng(4), y1.size()).data();
        y1.backward(seed);
        y2.backward(seed);
        assertCloseToScale(x1.grad(), x2.grad(), 1e-5f);
        assertClose(dense.grad(), tiled.grad(), 1e-5f);
        assertTrue(packed.decodedRowsMax < co);
    }

    @Test
    void convAndPoolAreBitIdenticalForOneTwoAndThreeThreads() {
        int saved = Parallel.threads();
        try {
            // 19 images: the weight gradient's 8 fixed groups hold 2 or 3 images each.
            float[][] one = convPoolRun(1), two = convPoolRun(2), three = convPoolRun(3);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "result " + i + ", 1 vs 2 threads");
                assertArrayEquals(one[i], three[i], "result " + i + ", 1 vs 3 threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[][] convPoolRun(int threads) {
        Parallel.setThreads(threads);
        Rng rng = new Rng(21);
        Parameter w = TestTensors.param(rng, "w", 8, 3 * 9, 8, 3, 3, 3);
        Parameter b = TestTensors.param(rng, "b", 1, 8, 8);
        Tensor x = Tensor.randn(rng, 19, 3, 9, 9).requireGrad();
        Tensor conv = Activations.relu(Conv2dOp.forward(x, w, b, 1, 1));
        Tensor y = MaxPool2dOp.forward(conv, 2, 2);
        Tensor z = MaxPool2dOp.forward(conv, 3, 2);
        Tensor loss = Elementwise.add(Reductions.sum(Elementwise.mul(y, Tensor.randn(new Rng(2), y.shape().dims()))),
                Reductions.sum(Elementwise.mul(z, Tensor.randn(new Rng(3), z.shape().dims()))));
        loss.backward();
        return new float[][] {y.data(), z.data(), x.grad().clone(), w.grad().clone(), b.grad().clone()};
    }

    @Test
    void convGradientsOverABatchMatchADoubleLoop() {
        // A batch larger than the weight gradient's group count, stride 2 and padding: every gradient
        // against the definition, summed in double.
        int n = 19, ci = 3, co = 5, kh = 3, kw = 2, h = 6, wd = 7, stride = 2, pad = 1;
        Rng rng = new Rng(31);
        Parameter w = TestTensors.param(rng, "w", co, ci * kh * kw, co, ci, kh, kw);
        Parameter b = TestTensors.param(rng, "b", 1, co, co);
        Tensor x = Tensor.randn(rng, n, ci, h, wd).requireGrad();
        Tensor y = Conv2dOp.forward(x, w, b, stride, pad);
        int oh = y.dim(2), ow = y.dim(3);
        float[] g = Tensor.randn(new Rng(32), y.size()).data();
        y.backward(g);
        float[] xs = x.data(), ws = w.storage().decodeAll();
        double[] dw = new double[ws.length], db = new double[co], dx = new double[xs.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < co; c++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double gv = g[((i * co + c) * oh + r) * ow + q];
                        db[c] += gv;
                        for (int cc = 0; cc < ci; cc++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int ih = r * stride - pad + u, iw = q * stride - pad + v;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    int xi = ((i * ci + cc) * h + ih) * wd + iw, wi = ((c * ci + cc) * kh + u) * kw + v;
                                    dw[wi] += gv * xs[xi];
                                    dx[xi] += gv * ws[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        assertCloseToDouble(dw, w.grad(), "weight gradient");
        assertCloseToDouble(db, b.grad(), "bias gradient");
        assertCloseToDouble(dx, x.grad(), "input gradient");
    }

    @Test
    void convForwardAndInputGradientMatchTheDefinitionOverManyGeometries() {
        // Strides up to 3 and padding up to 3 (wider than the kernel): every edge case of the column ranges.
        Rng rng = new Rng(33);
        for (int trial = 0; trial < 60; trial++) {
            int ci = 1 + rng.nextInt(2), co = 1 + rng.nextInt(3), kh = 1 + rng.nextInt(3), kw = 1 + rng.nextInt(3);
            int stride = 1 + rng.nextInt(3), pad = rng.nextInt(4);
            int h = Math.max(1, kh - 2 * pad) + rng.nextInt(5), wd = Math.max(1, kw - 2 * pad) + rng.nextInt(5);
            Parameter w = TestTensors.param(rng, "w", co, ci * kh * kw, co, ci, kh, kw);
            Tensor x = Tensor.randn(rng, 2, ci, h, wd).requireGrad();
            Tensor y = Conv2dOp.forward(x, w, null, stride, pad);
            int oh = y.dim(2), ow = y.dim(3);
            float[] g = Tensor.randn(rng, y.size()).data();
            y.backward(g);
            float[] xs = x.data(), ws = w.storage().decodeAll();
            double[] dx = new double[xs.length];
            String where = "trial " + trial + ": ci " + ci + " co " + co + " k " + kh + "x" + kw + " stride " + stride + " pad " + pad + " in " + h + "x" + wd;
            for (int i = 0; i < 2; i++) {
                for (int c = 0; c < co; c++) {
                    for (int r = 0; r < oh; r++) {
                        for (int q = 0; q < ow; q++) {
                            double sum = 0;
                            int o = ((i * co + c) * oh + r) * ow + q;
                            for (int cc = 0; cc < ci; cc++) {
                                for (int u = 0; u < kh; u++) {
                                    for (int v = 0; v < kw; v++) {
                                        int ih = r * stride - pad + u, iw = q * stride - pad + v;
                                        if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                        int xi = ((i * ci + cc) * h + ih) * wd + iw, wi = ((c * ci + cc) * kh + u) * kw + v;
                                        sum += (double) xs[xi] * ws[wi];
                                        dx[xi] += (double) g[o] * ws[wi];
                                    }
                                }
                            }
                            assertEquals(sum, y.data()[o], 1e-4 * (1 + Math.abs(sum)), where + ", output " + o);
                        }
                    }
                }
            }
            assertCloseToDouble(dx, x.grad(), where + ", input gradient");
        }
    }

    private static void assertCloseToDouble(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " element " + i);
        }
    }

    @Test
    void convLayerReusesItsBuffersAcrossStepsWithTheSameResults() {
        octoquant.engine.nn.Conv2d layer = octoquant.engine.nn.Conv2d.builder().in(3).out(6).kernel(3).padding(1).init(new Rng(41)).build();
        Tensor x = Tensor.randn(new Rng(42), 10, 3, 8, 8);
        float[] seed = Tensor.randn(new Rng(43), 10 * 6 * 8 * 8).data();
        float[][] first = null;
        for (int step = 0; step < 3; step++) {
            layer.zeroGrad();
            Tensor y = layer.forward(x);
            // A second forward pass in flight (its graph dropped): must not disturb the first one's buffers.
            layer.forward(Tensor.randn(new Rng(step), 10, 3, 8, 8));
            y.backward(seed);
            float[][] now = {y.data(), layer.weight().grad().clone(), layer.bias().grad().clone()};
            if (first == null) first = now;
            else for (int i = 0; i < now.length; i++) assertArrayEquals(first[i], now[i], "step " + step + " result " + i);
        }
        Parameter w = new Parameter("w", layer.weight().shape(), new FloatStorage(6, 27, layer.weight().storage().decodeAll()));
        Tensor y = Conv2dOp.forward(x, w, null, 1, 1);
        y.backward(seed);
        assertArrayEquals(first[1], w.grad(), "the op without a layer's buffers");
    }

    @Test
    void maxPoolWithAWindowTooLargeForBytePositionsRoutesTheGradientToTheWinner() {
        Rng rng = new Rng(51);
        int h = 14, k = 12, s = 1; // 144 inputs per window: the winner is kept as an index into the input
        Tensor x = TestTensors.distinct(rng, 0.1f, 2, 1, h, h).requireGrad();
        Tensor y = MaxPool2dOp.forward(x, k, s);
        int o = (h - k) / s + 1;
        float[] g = Tensor.randn(new Rng(52), y.size()).data();
        y.backward(g);
        float[] expectGrad = new float[x.size()];
        for (int pl = 0; pl < 2; pl++) {
            for (int r = 0; r < o; r++) {
                for (int q = 0; q < o; q++) {
                    int best = -1;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int at = pl * h * h + (r * s + u) * h + q * s + v;
                            if (best < 0 || x.data()[at] > x.data()[best]) best = at;
                        }
                    }
                    int out = (pl * o + r) * o + q;
                    assertEquals(x.data()[best], y.data()[out], "output " + out);
                    expectGrad[best] += g[out];
                }
            }
        }
        assertArrayEquals(expectGrad, x.grad());
    }

    @Test
    void convWithoutGradientMatchesWithGradient() {
        Rng rng = new Rng(8);
        Parameter w = TestTensors.param(rng, "w", 5, 2 * 4, 5, 2, 2, 2);
        Tensor x = Tensor.randn(rng, 3, 2, 6, 7);
        float[] recorded = Conv2dOp.forward(x, w, null, 2, 1).data();
        try (Grad.Scope off = Grad.disabled()) {
            assertArrayEquals(recorded, Conv2dOp.forward(x, w, null, 2, 1).data());
        }
        // Inference unfolds a bounded number of images at a time: 24 images of 368,640 column floats
        // take three chunks, and must give what the one-chunk recording path gives.
        Parameter big = TestTensors.param(rng, "w", 4, 40 * 9, 4, 40, 3, 3);
        Tensor many = Tensor.randn(rng, 24, 40, 32, 32);
        float[] all = Conv2dOp.forward(many, big, null, 1, 1).data();
        try (Grad.Scope off = Grad.disabled()) {
            assertArrayEquals(all, Conv2dOp.forward(many, big, null, 1, 1).data());
        }
    }

    @Test
    void maxPool2x2LoopPicksTheSameWinnerAsTheGeneralLoop() {
        // Values drawn from a tiny set with NaN, ties and both zeros, so every tie and NaN case comes up.
        float[] choices = {Float.NaN, -1f, -0f, 0f, 1f, 2f};
        Rng rng = new Rng(61);
        int h = 8, w = 10, outH = 4, outW = 5;
        for (int trial = 0; trial < 200; trial++) {
            float[] x = new float[h * w];
            for (int i = 0; i < x.length; i++) x[i] = choices[rng.nextInt(choices.length)];
            float[] y1 = new float[outH * outW], y2 = new float[outH * outW];
            byte[] at1 = new byte[y1.length], at2 = new byte[y2.length];
            MaxPool2dOp.pool2x2(x, 0, w, outH, outW, y1, 0, at1);
            MaxPool2dOp.poolPlane(x, 0, w, 2, 2, outH, outW, y2, 0, at2);
            assertArrayEquals(at2, at1, "winners, trial " + trial);
            for (int i = 0; i < y1.length; i++) {
                assertEquals(Float.floatToRawIntBits(y2[i]), Float.floatToRawIntBits(y1[i]), "value " + i + ", trial " + trial);
            }
        }
    }

    @Test
    void maxPoolFirstMaximumWinsTies() {
        Tensor x = Tensor.of(new float[] {5, 5, 5, 5}, 1, 1, 2, 2).requireGrad();
        MaxPool2dOp.forward(x, 2, 2).backward(new float[] {1});
        assertArrayEquals(new float[] {1, 0, 0, 0}, x.grad());
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor logits = Tensor.of(new float[] {1000f, 0f, -1000f, 0f}, 2, 2);
        float loss = Losses.softmaxCrossEntropy(logits, new int[] {0, 1}).item();
        // Row 0: log(1 + e^-1000) ≈ 0; row 1: log(e^-1000 + 1) ≈ 0 as well; mean 0.
        assertEquals(0f, loss, 1e-6f);
        Tensor uniform = Tensor.zeros(3, 4);
        assertEquals(Math.log(4), Losses.softmaxCrossEntropy(uniform, new int[] {0, 1, 3}).item(), 1e-6);
    }

    @Test
    void badInputNamesTheOpAndTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Elementwise.add(Tensor.zeros(2, 3), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> MatMul.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());

        Parameter w = TestTensors.param(new Rng(1), "1.weight", 4, 6, 4, 6);
        e = assertThrows(IllegalArgumentException.class, () -> LinearOp.forward(Tensor.zeros(2, 5), w, null));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[2, 5]") && e.getMessage().contains("[4, 6]"), e.getMessage());

        Parameter cw = TestTensors.param(new Rng(1), "0.weight", 4, 27, 4, 3, 3, 3);
        e = assertThrows(IllegalArgumentException.class, () -> Conv2dOp.forward(Tensor.zeros(1, 1, 8, 8), cw, null, 1, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[1, 1, 8, 8]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(Tensor.zeros(2, 10), new int[] {3, 10}));
        assertTrue(e.getMessage().contains("softmaxCrossEntropy") && e.getMessage().contains("label 10")
                && e.getMessage().contains("[2, 10]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(Tensor.zeros(2, 10), new int[] {-1, 0}));
        assertTrue(e.getMessage().contains("label -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.softmaxCrossEntropy(Tensor.zeros(2, 10), new int[] {1}));
        assertTrue(e.getMessage().contains("1 labels") && e.getMessage().contains("[2, 10]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(Tensor.zeros(3), Tensor.zeros(3, 1)));
        assertTrue(e.getMessage().contains("mse") && e.getMessage().contains("[3]") && e.getMessage().contains("[3, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaxPool2dOp.forward(Tensor.zeros(1, 1, 1, 3), 2, 2));
        assertTrue(e.getMessage().contains("maxPool2d") && e.getMessage().contains("[1, 1, 1, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shapes.reshape(Tensor.zeros(2, 3), 4, -1));
        assertTrue(e.getMessage().contains("reshape") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void nanInALossIsAnError() {
        Tensor logits = Tensor.of(new float[] {Float.NaN, 0f}, 1, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> Losses.softmaxCrossEntropy(Activations.relu(logits), new int[] {0}));
        assertTrue(e.getMessage().contains("softmaxCrossEntropy") && e.getMessage().contains("[1, 2]"), e.getMessage());
        e = assertThrows(ArithmeticException.class,
                () -> Losses.mse(Tensor.of(new float[] {Float.NaN}, 1), Tensor.zeros(1)));
        assertTrue(e.getMessage().contains("mse") && e.getMessage().contains("NaN"), e.getMessage());
    }

    /**
     * reshape's gradient: the first closure to reach its input sets it ({@code ArrayPasses.addToZero}), one
     * that comes after another adds; large enough (≥ 4,096 floats) that later rounds get buffers left over
     * from earlier graphs, full of old values.
     */
    @Test
    void reshapesGradientIsItsUpstreamGradientPlusZeroThenAdds() {
        int size = 2 * 4096;
        float[] g = new float[size];
        for (int i = 0; i < size; i++) g[i] = i % 3 == 0 ? -0f : i % 3 == 1 ? i : -0.5f * i;
        for (int round = 0; round < 3; round++) { // later rounds get buffers from earlier steps' cut graphs
            Tensor x = Tensor.zeros(2, 4096).requireGrad();
            Shapes.reshape(x, 4096, 2).backward(g.clone());
            for (int i = 0; i < size; i++) {
                assertEquals(Float.floatToRawIntBits(0f + g[i]), Float.floatToRawIntBits(x.grad()[i]), "element " + i);
            }
            Tensor y = Tensor.zeros(2, 4096).requireGrad();
            Tensor sum = Elementwise.add(Shapes.reshape(y, 4096, 2), Shapes.reshape(y, 4096, 2));
            sum.backward(g.clone());
            for (int i = 0; i < size; i++) {
                assertEquals(Float.floatToRawIntBits((0f + g[i]) + g[i]), Float.floatToRawIntBits(y.grad()[i]), "used twice, element " + i);
            }
        }
    }
}
