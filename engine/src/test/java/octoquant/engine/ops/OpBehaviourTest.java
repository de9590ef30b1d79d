package octoquant.engine.ops;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Parameter;
import octoquant.engine.quant.FloatStorage;
import octoquant.engine.quant.WeightStorage;
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
        int in = 300, out = 301; // 90,300 values: two tiles of 218 and 83 rows
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
        int ci = 40, co = 200, k = 3; // 200 filters of 360 values: 72,000 values, two tiles
        float[] w = Tensor.randn(rng, co * ci * k * k).data();
        int[] shape = {co, ci, k, k};
        Parameter dense = new Parameter("w", shape, new FloatStorage(co, ci * k * k, w.clone()));
        PackedLike packed = new PackedLike(new FloatStorage(co, ci * k * k, w.clone()));
        Parameter tiled = new Parameter("w", shape, packed);
        Tensor x1 = Tensor.randn(new Rng(3), 2, ci, 5, 4).requireGrad();
        Tensor x2 = Tensor.of(x1.data().clone(), x1.shape()).requireGrad();
        Tensor y1 = Conv2dOp.forward(x1, dense, null, 1, 1);
        Tensor y2 = Conv2dOp.forward(x2, tiled, null, 1, 1);
        assertClose(y1.data(), y2.data(), 1e-5f);
        float[] seed = Tensor.randn(new Rng(4), y1.size()).data();
        y1.backward(seed);
        y2.backward(seed);
        assertClose(x1.grad(), x2.grad(), 1e-5f);
        assertClose(dense.grad(), tiled.grad(), 1e-5f);
        assertTrue(packed.decodedRowsMax < co);
    }

    @Test
    void convAndPoolAreBitIdenticalForOneAndTwoThreads() {
        int saved = Parallel.threads();
        try {
            float[][] one = convPoolRun(1), two = convPoolRun(2);
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], two[i], "result " + i);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static float[][] convPoolRun(int threads) {
        Parallel.setThreads(threads);
        Rng rng = new Rng(21);
        Parameter w = TestTensors.param(rng, "w", 8, 3 * 9, 8, 3, 3, 3);
        Parameter b = TestTensors.param(rng, "b", 1, 8, 8);
        Tensor x = Tensor.randn(rng, 7, 3, 9, 9).requireGrad();
        Tensor y = MaxPool2dOp.forward(Activations.relu(Conv2dOp.forward(x, w, b, 1, 1)), 2, 2);
        Tensor loss = Reductions.sum(Elementwise.mul(y, Tensor.randn(new Rng(2), y.shape().dims())));
        loss.backward();
        return new float[][] {y.data(), x.grad().clone(), w.grad().clone(), b.grad().clone()};
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
}
