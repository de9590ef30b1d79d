package octoquant.engine.ops;

import octoquant.engine.tensor.Tensor;

/** Pointwise activations. */
public final class Activations {
    private Activations() {}

    /** max(0, x); the gradient at exactly 0 is taken as 0, as PyTorch does. */
    public static Tensor relu(Tensor x) {
        float[] xs = x.data();
        float[] out = new float[xs.length];
        // Math.max passes a NaN through (so the loss can report it) and maps -0 to +0, exactly as
        // 'x <= 0 ? 0 : x' would, and the JIT turns it into vector max instructions.
        for (int i = 0; i < xs.length; i++) out[i] = Math.max(xs[i], 0f);
        return Tensor.fromOp("relu", out, x.shape(), false, g -> {
            float[] gx = x.gradBuffer();
            // Branch-free (vectorizable); adding +0 where the input was not positive changes no value.
            for (int i = 0; i < g.length; i++) gx[i] += xs[i] > 0f ? g[i] : 0f;
        }, x);
    }
}
