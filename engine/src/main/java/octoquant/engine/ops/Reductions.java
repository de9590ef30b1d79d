package octoquant.engine.ops;

import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/** Sum and mean of all elements, to a scalar. Accumulated in double so large tensors stay accurate. */
public final class Reductions {
    private Reductions() {}

    public static Tensor sum(Tensor x) {
        return reduce("sum", x, 1.0);
    }

    public static Tensor mean(Tensor x) {
        if (x.size() == 0) throw new IllegalArgumentException("mean: empty tensor " + x.shape());
        return reduce("mean", x, 1.0 / x.size());
    }

    private static Tensor reduce(String op, Tensor x, double factor) {
        double s = 0;
        for (float v : x.data()) s += v;
        float f = (float) factor;
        return Tensor.fromOp(op, new float[] {(float) (s * factor)}, Shape.of(), false, g -> {
            float[] gx = x.gradBuffer();
            float d = g[0] * f;
            for (int i = 0; i < gx.length; i++) gx[i] += d;
        }, x);
    }
}
