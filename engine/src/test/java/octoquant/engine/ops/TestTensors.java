package octoquant.engine.ops;

import octoquant.engine.gradcheck.GradCheck;
import octoquant.engine.param.Parameter;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small helpers shared by the op tests. */
final class TestTensors {
    private TestTensors() {}

    static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(rng, shape);
    }

    /** Distinct values at least {@code gap} apart, shuffled: no ties and no kinks within a finite-difference step. */
    static Tensor distinct(Rng rng, float gap, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int[] perm = new int[t.size()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        rng.shuffle(perm);
        float[] d = t.data();
        // (k + 0.3)·gap for integers k: never 0, so ReLU's kink is at least 0.3·gap away too.
        for (int i = 0; i < d.length; i++) d[i] = (perm[i] - d.length / 2 + 0.3f) * gap;
        return t;
    }

    /** A parameter with fp32 storage {@code rows × cols} and the given logical shape, standard normal values. */
    static Parameter param(Rng rng, String name, int rows, int cols, int... shape) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.5);
        return new Parameter(name, shape, new FloatStorage(rows, cols, v));
    }

    /** Smooth (or linear) computations: every coordinate must agree. */
    static void assertGradients(Supplier<Tensor> f, List<Tensor> inputs, List<Parameter> params, Rng rng) {
        GradCheck.Result r = GradCheck.standard().check(f, inputs, params, rng);
        assertTrue(r.ok(), r.toString());
        assertEquals(0, r.skipped());
    }

    /** Piecewise-linear computations (ReLU, max-pool): detected kinks may be skipped, but few. */
    static void assertPiecewiseGradients(Supplier<Tensor> f, List<Tensor> inputs, Rng rng) {
        GradCheck.Result r = GradCheck.piecewiseLinear(1e-2).check(f, inputs, List.of(), rng);
        assertTrue(r.ok(), r.toString());
        assertTrue(r.skipped() <= Math.max(1, (r.checked() + r.skipped()) / 10), "too many kinks: " + r);
    }
}
