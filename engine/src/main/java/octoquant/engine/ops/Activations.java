package octoquant.engine.ops;

import octoquant.engine.tensor.Tensor;

/** Pointwise activations. */
public final class Activations {
    private Activations() {}

    /** max(0, x); the gradient at exactly 0 is taken as 0, as PyTorch does. */
    public static Tensor relu(Tensor x) {
        float[] xs = x.data();
        float[] out = new float[xs.length];
        // Written as 'x <= 0 ? 0 : x' so a NaN passes through and the loss can report it.
        for (int i = 0; i < xs.length; i++) out[i] = xs[i] <= 0f ? 0f : xs[i];
        return Tensor.fromOp("relu", out, x.shape(), false, g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < g.length; i++) if (xs[i] > 0f) gx[i] += g[i];
        }, x);
    }
}
