package octoquant.engine.ops;

import octoquant.engine.param.Parameter;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.RoundingMode;
import octoquant.engine.storage.ScalePolicy;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conv2dOp's im2col path with a packed weight too big for one {@link WeightTiles} tile (stride 2, so
 * never Winograd): every tile's column gradients are gathered in a pooled buffer before folding back.
 */
class Conv2dOpPackedWeightTest {
    private static final int N = 3, CI = 8, CO = 2000, H = 7, W = 6;

    private static float[][] train(Parameter w, Tensor input, float[] seed, ScratchPool pool) {
        w.zeroGrad();
        Tensor x = Tensor.of(input.data(), input.shape()).requireGrad();
        Tensor y = Conv2dOp.forward(x, w, null, 2, 1, new WeightTiles(), pool);
        y.backward(seed);
        return new float[][] {y.data(), x.grad(), w.grad().clone()};
    }

    @Test
    void multiTilePackedWeightMatchesItsDecodedCopyAndIgnoresStalePoolContents() {
        assertTrue(WeightTiles.rowsPerTile(CI * 9) < CO, "the weight must need two tiles");
        Rng rng = new Rng(71);
        float[] v = Tensor.randn(rng, CO * CI * 9).data();
        QuantizedStorage q = new QuantizedStorage(CO, CI * 9, 8, ScalePolicy.MAXABS, true, RoundingMode.NEAREST_EVEN, 71);
        q.encodeFrom(v);
        assertNull(q.floatView());
        Parameter packed = new Parameter("w", new int[] {CO, CI, 3, 3}, q);
        Parameter dense = new Parameter("w32", packed.shape(), new FloatStorage(CO, CI * 9, q.decodeAll()));
        Tensor x = Tensor.randn(rng, N, CI, H, W);
        float[] seed = Tensor.randn(rng, N * CO * 4 * 3).data();

        float[][] got = train(packed, x, seed, new ScratchPool()), want = train(dense, x, seed, new ScratchPool());
        String[] what = {"output", "input gradient", "weight gradient"};
        for (int r = 0; r < 3; r++) {
            // Two tiles split the input gradient's sum over output channels in two: rounding may differ.
            double scale = 0;
            for (float f : want[r]) scale = Math.max(scale, Math.abs(f));
            for (int i = 0; i < want[r].length; i++) assertEquals(want[r][i], got[r][i], 1e-5 * scale, what[r] + " [" + i + "]");
        }
        float[][] stale = train(packed, x, seed, ScratchPoolTest.poisoned());
        for (int r = 0; r < 3; r++) assertArrayEquals(got[r], stale[r], what[r] + ": fresh vs stale pool");
    }
}
