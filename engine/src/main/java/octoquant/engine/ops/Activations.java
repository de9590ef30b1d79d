package octoquant.engine.ops;

import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Kernels;
import octoquant.engine.tensor.Tensor;

/** Pointwise activations. */
public final class Activations {
    private Activations() {}

    /** max(0, x); the gradient at exactly 0 is taken as 0, as PyTorch does. */
    public static Tensor relu(Tensor x) {
        float[] xs = x.data();
        float[] out = new float[xs.length];
        // Math.max semantics: a NaN passes through (so the loss can report it), -0 maps to +0.
        Kernels kern = VectorizationProvider.get().kernels();
        kern.relu(xs, out, xs.length);
        return Tensor.fromOp("relu", out, x.shape(), false, g -> {
            // gx += (x > 0 ? g : 0): adding +0 where the input was not positive changes no value.
            kern.reluBackward(xs, g, x.gradBuffer(), g.length);
        }, x);
    }
}
