package octoquant.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import octoquant.engine.autograd.Grad;
import octoquant.engine.param.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * A Winograd layer that keeps its transformed filters between inference calls ({@link WinogradFilterCache})
 * gives the floats of a layer that transforms them on every call, and follows every change of the weight:
 * an optimizer-style update and a write through the float view reported with {@code markWritten()}.
 */
class WinogradFilterCacheTest {
    private static final int CI = 32, CO = 16;

    @Test
    void cachedFiltersFollowEveryKindOfWeightChange() {
        Rng rng = new Rng(21);
        Parameter w = TestTensors.param(rng, "w", CO, CI * 9, CO, CI, 3, 3);
        Parameter b = TestTensors.param(rng, "b", 1, CO, CO);
        Tensor x = Tensor.randn(rng, 5, CI, 8, 8);
        WeightTiles layer = new WeightTiles();
        try (Grad.Scope off = Grad.disabled()) {
            for (int call = 0; call < 3; call++) assertBothOps(x, w, b, layer, "call " + call);

            float[] view = w.computeWeights().floatView();
            view[4] = 2.5f;
            view[view.length - 1] = -1f;
            w.computeWeights().markWritten();
            for (int call = 0; call < 2; call++) assertBothOps(x, w, b, layer, "after a view write, call " + call);

            float[] delta = new float[CO * CI * 9];
            for (int i = 0; i < delta.length; i += 5) delta[i] = 0.01f * (i % 7 - 3);
            w.computeWeights().applyUpdate(delta);
            for (int call = 0; call < 2; call++) assertBothOps(x, w, b, layer, "after an update, call " + call);
        }
    }

    /** The fused and the plain conv op, each with the cache against a fresh layer's transform. */
    private static void assertBothOps(Tensor x, Parameter w, Parameter b, WeightTiles layer, String when) {
        assertArrayEquals(ConvReluPoolOp.forward(x, w, b, 1, 1, new WeightTiles()).data(),
                ConvReluPoolOp.forward(x, w, b, 1, 1, layer).data(), "conv-relu-pool, " + when);
        assertArrayEquals(Conv2dOp.forward(x, w, b, 1, 1, new WeightTiles(), ScratchPool.none()).data(),
                Conv2dOp.forward(x, w, b, 1, 1, layer, ScratchPool.none()).data(), "conv2d, " + when);
    }

    @Test
    void anUnchangedWeightIsTransformedOnceAndAChangedOneAgain() {
        Rng rng = new Rng(22);
        Parameter w = TestTensors.param(rng, "w", CO, CI * 9, CO, CI, 3, 3);
        WinogradFilterCache cache = new WinogradFilterCache();
        WeightTiles tiles = new WeightTiles();
        float[] first = cache.lookup(w.computeWeights(), tiles, CO, CI).clone();
        float[] again = cache.lookup(w.computeWeights(), tiles, CO, CI);
        assertSame(again, cache.lookup(w.computeWeights(), tiles, CO, CI));
        assertArrayEquals(first, again);
        float[] fresh = new float[Winograd3x3.filterLength(CO, CI)];
        Winograd3x3.transformFilters(w.computeWeights(), tiles, CO, CI, fresh);
        assertArrayEquals(fresh, again, "the cached values are the transform's");

        float[] delta = new float[CO * CI * 9];
        delta[0] = 1f;
        w.computeWeights().applyUpdate(delta);
        float[] changed = cache.lookup(w.computeWeights(), tiles, CO, CI);
        Winograd3x3.transformFilters(w.computeWeights(), tiles, CO, CI, fresh);
        assertArrayEquals(fresh, changed, "after an update, the new weight's transform");
    }
}
