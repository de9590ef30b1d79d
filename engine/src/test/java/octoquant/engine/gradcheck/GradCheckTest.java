package octoquant.engine.gradcheck;

import octoquant.engine.nn.Linear;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradCheckTest {
    /** y = 4·exp(x/4) (smooth, curved) with a backward that is right or off by the given factor. */
    private static Tensor smoothCurve(Tensor x, float backwardFactor) {
        float[] xs = x.data();
        float[] y = new float[xs.length];
        for (int i = 0; i < xs.length; i++) y[i] = 4 * (float) Math.exp(xs[i] / 4);
        return Tensor.fromOp("exp", y, x.shape(), false, g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < g.length; i++) gx[i] += backwardFactor * (float) Math.exp(xs[i] / 4) * g[i];
        }, x);
    }

    @Test
    void acceptsACorrectBackward() {
        Tensor x = Tensor.randn(new Rng(1), 3, 4);
        GradCheck.Result r = GradCheck.standard().check(() -> smoothCurve(x, 1f), List.of(x), List.of(), new Rng(2));
        assertTrue(r.ok(), r.toString());
        assertEquals(12, r.checked());
    }

    @Test
    void catchesAWrongBackward() {
        Tensor x = Tensor.randn(new Rng(1), 3, 4);
        GradCheck.Result r = GradCheck.standard().check(() -> smoothCurve(x, 1.1f), List.of(x), List.of(), new Rng(2));
        assertFalse(r.ok(), r.toString());
    }

    @Test
    void skipsCoordinatesSittingNearAKink() {
        // |x| via relu(x) + relu(-x) is not smooth at 0: a value 0.004 from the kink with step 0.01 is skipped.
        Tensor x = Tensor.of(new float[] {0.004f, 1f}, 2);
        GradCheck.Result r = GradCheck.piecewiseLinear(1e-2).check(() -> {
            float[] xs = x.data();
            float[] y = {Math.abs(xs[0]), Math.abs(xs[1])};
            return Tensor.fromOp("abs", y, x.shape(), false, g -> {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < 2; i++) gx[i] += Math.signum(xs[i]) * g[i];
            }, x);
        }, List.of(x), List.of(), new Rng(3));
        assertEquals(1, r.skipped(), r.toString());
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void skipsACoordinateInsideANarrowWindowOfAnotherSlope() {
        // f(x) = x + 3·relu(x + a) − 3·relu(x − a): slope 4 on (−a, a), 1 outside. At x = 0 with a = h/12
        // the quotients over h agree on both sides (1.5), so a check that looked only at them would
        // compare the right derivative 4 with a central difference of 1.5 and fail a correct backward.
        float a = 1e-2f / 12;
        Tensor x = Tensor.of(new float[] {0f, 1f}, 2);
        GradCheck.Result r = GradCheck.piecewiseLinear(1e-2).check(() -> {
            float[] xs = x.data();
            float[] y = new float[2];
            for (int i = 0; i < 2; i++) y[i] = xs[i] + 3 * Math.max(0, xs[i] + a) - 3 * Math.max(0, xs[i] - a);
            return Tensor.fromOp("window", y, x.shape(), false, g -> {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < 2; i++) {
                    float slope = 1 + (xs[i] > -a ? 3 : 0) - (xs[i] > a ? 3 : 0);
                    gx[i] += slope * g[i];
                }
            }, x);
        }, List.of(x), List.of(), new Rng(3));
        assertEquals(1, r.skipped(), r.toString());
        assertTrue(r.ok(), r.toString());
    }

    @Test
    void perturbsAWeightALayerKeepsPackedBetweenCalls() {
        // A 64-row batch through a 64-wide Linear: the layer keeps Wᵀ packed while the weight's version stands
        // still, so a perturbation it were not told of would leave every forward pass unchanged.
        Rng rng = new Rng(4);
        Linear layer = new Linear(48, 64, rng);
        Tensor x = Tensor.randn(rng, 64, 48);
        GradCheck.Result r = GradCheck.standard().check(() -> layer.forward(x), List.of(), layer.parameters(), new Rng(5));
        assertTrue(r.ok(), r.toString());
        assertEquals(48 * 64 + 64, r.checked());
    }
}
