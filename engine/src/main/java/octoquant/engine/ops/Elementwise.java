package octoquant.engine.ops;

import octoquant.engine.tensor.Shape;
import octoquant.engine.tensor.Tensor;

/**
 * Elementwise add, sub and mul with broadcasting (see {@link Broadcast}): same shapes, a trailing-shape
 * operand such as a bias {@code [C]} against {@code [N, C]}, or any size-1 dimension. The backward pass
 * sums the gradient over the positions an operand was repeated at.
 */
public final class Elementwise {
    private Elementwise() {}

    private enum Kind { ADD, SUB, MUL }

    public static Tensor add(Tensor a, Tensor b) {
        return apply("add", Kind.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return apply("sub", Kind.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return apply("mul", Kind.MUL, a, b);
    }

    /** {@code a * s} for a constant s (no gradient with respect to s). */
    public static Tensor scale(Tensor a, float s) {
        float[] x = a.data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * s;
        return Tensor.fromOp("scale", y, a.shape(), false, g -> {
            float[] ga = a.gradBuffer();
            for (int i = 0; i < g.length; i++) ga[i] += g[i] * s;
        }, a);
    }

    private static Tensor apply(String op, Kind kind, Tensor a, Tensor b) {
        Shape outShape = Broadcast.resultShape(op, a.shape(), b.shape());
        int n = outShape.size();
        int[] ia = Broadcast.sourceIndex(outShape, a.shape());
        int[] ib = Broadcast.sourceIndex(outShape, b.shape());
        float[] x = a.data(), y = b.data();
        float[] out = new float[n];
        switch (kind) {
            case ADD: for (int i = 0; i < n; i++) out[i] = x[ia[i]] + y[ib[i]]; break;
            case SUB: for (int i = 0; i < n; i++) out[i] = x[ia[i]] - y[ib[i]]; break;
            default: for (int i = 0; i < n; i++) out[i] = x[ia[i]] * y[ib[i]]; break;
        }
        return Tensor.fromOp(op, out, outShape, false, g -> {
            // Sequential accumulation in output order: deterministic whatever the thread count.
            if (a.requiresGrad()) {
                float[] ga = a.gradBuffer();
                if (kind == Kind.MUL) for (int i = 0; i < n; i++) ga[ia[i]] += g[i] * y[ib[i]];
                else for (int i = 0; i < n; i++) ga[ia[i]] += g[i];
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradBuffer();
                switch (kind) {
                    case ADD: for (int i = 0; i < n; i++) gb[ib[i]] += g[i]; break;
                    case SUB: for (int i = 0; i < n; i++) gb[ib[i]] -= g[i]; break;
                    default: for (int i = 0; i < n; i++) gb[ib[i]] += g[i] * x[ia[i]]; break;
                }
            }
        }, a, b);
    }
}
