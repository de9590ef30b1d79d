package octoquant.engine.ops;

import octoquant.engine.kernels.ArrayPasses;

import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

import java.util.Arrays;

/** Reshape and flatten: the same row-major values under another shape (no copy). */
public final class Shapes {
    private Shapes() {}

    /** Reshape to {@code dims}; one dimension may be -1 and is then inferred. */
    public static Tensor reshape(Tensor x, int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(dims));
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + x.shape() + " to " + Arrays.toString(dims));
            }
            d[infer] = (int) (x.size() / known);
            known *= d[infer];
        }
        if (known != x.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + x.shape() + " (" + x.size()
                    + " elements) to " + Arrays.toString(dims));
        }
        return Tensor.fromOp("reshape", x.data(), Shape.of(d), false, g -> {
            float[] fresh = x.freshGradBuffer();
            if (fresh != null) ArrayPasses.addToZero(fresh, g);
            else ArrayPasses.addInto(x.gradBuffer(), g);
        }, x);
    }

    /** {@code [N, d1, d2, ...] → [N, d1·d2·...]}, like {@code torch.flatten(x, 1)}. */
    public static Tensor flatten(Tensor x) {
        if (x.rank() < 1) throw new IllegalArgumentException("flatten: needs at least one dimension, got " + x.shape());
        int n = x.dim(0);
        return reshape(x, n, n == 0 ? 0 : x.size() / n);
    }
}
