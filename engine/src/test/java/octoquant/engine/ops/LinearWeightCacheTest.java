package octoquant.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * A layer that keeps its weight packed between calls ({@link TransposedWeightCache}) gives the very same
 * floats as a layer that packs on every call, and follows every change of the weight: an optimizer-style
 * update and a write through the float view that the writer reports with {@code markWritten()}.
 */
class LinearWeightCacheTest {

    @Test
    void repeatedCallsAndEveryKindOfWeightChangeGiveTheUncachedFloats() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                // The MLP's first layer, its last partial test batch, a layer the GEMM runs directly.
                check(64, 784, 128);
                check(16, 784, 128);
                check(64, 100, 256);
                check(64, 4096, 64); // the seed CNN's first Linear
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void check(int n, int in, int out) {
        Rng rng = new Rng(n * 1000L + in + out);
        Parameter w = TestTensors.param(rng, "w", out, in, out, in);
        Parameter b = TestTensors.param(rng, "b", 1, out, out);
        Tensor x = Tensor.randn(rng, n, in);
        WeightTiles layer = new WeightTiles();
        try (Grad.Scope off = Grad.disabled()) {
            for (int call = 0; call < 4; call++) {
                assertArrayEquals(uncached(x, w, b, call % 2 == 1), cachedForward(x, w, b, layer, call % 2 == 1),
                        "call " + call);
            }
            assertNotNull(layer.transposed.lookup(w.computeWeights(), w.computeWeights().floatView(), out, in),
                    "an unchanged weight is served packed");

            float[] view = w.computeWeights().floatView();
            view[3] = 2.5f;
            view[view.length - 1] = -1f;
            w.computeWeights().markWritten();
            for (int call = 0; call < 3; call++) {
                assertArrayEquals(uncached(x, w, b, false), cachedForward(x, w, b, layer, false), "after a view write, call " + call);
            }

            float[] delta = new float[out * in];
            for (int i = 0; i < delta.length; i += 7) delta[i] = 0.01f * (i % 5 - 2);
            w.computeWeights().applyUpdate(delta);
            for (int call = 0; call < 3; call++) {
                assertArrayEquals(uncached(x, w, b, true), cachedForward(x, w, b, layer, true), "after an update, call " + call);
            }
        }
    }

    @Test
    void aWeightThatChangesEveryCallIsNeverPacked() {
        Rng rng = new Rng(5);
        Parameter w = TestTensors.param(rng, "w", 128, 784, 128, 784);
        TransposedWeightCache cache = new TransposedWeightCache();
        float[] delta = new float[128 * 784];
        delta[0] = 1e-3f;
        for (int step = 0; step < 5; step++) {
            assertNull(cache.lookup(w.computeWeights(), w.computeWeights().floatView(), 128, 784), "step " + step);
            w.computeWeights().applyUpdate(delta);
        }
    }

    private static float[] cachedForward(Tensor x, Parameter w, Parameter b, WeightTiles layer, boolean relu) {
        return (relu ? LinearOp.forwardRelu(x, w, b, layer) : LinearOp.forward(x, w, b, layer)).data();
    }

    /** A fresh {@link WeightTiles} per call: its cache never holds a pack, so the weight is packed by the GEMM. */
    private static float[] uncached(Tensor x, Parameter w, Parameter b, boolean relu) {
        return cachedForward(x, w, b, new WeightTiles(), relu);
    }
}
