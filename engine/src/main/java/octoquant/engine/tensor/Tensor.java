package octoquant.engine.tensor;

import octoquant.engine.autograd.Backward;
import octoquant.engine.autograd.Grad;
import octoquant.engine.util.Rng;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;

/**
 * A contiguous float32 tensor with an explicit shape, and its place in the autograd graph.
 *
 * <p>A tensor made by an op while {@link Grad#isEnabled()} remembers its parents and the op's
 * {@link Backward}; {@link #backward()} walks that graph once in reverse topological order and then
 * cuts it, so no graph outlives the step that built it.
 */
public final class Tensor {
    private final float[] data;
    private final Shape shape;
    private float[] grad;
    private boolean requiresGrad;
    /** The data array is an op's result that no other tensor or caller was given ({@link #ownData}). */
    private boolean ownsData;
    /** Nothing outside the graph reads the values once the graph is cut ({@link #releaseDataAtCut}). */
    private boolean releaseData;

    // Graph: set only on tensors made by ops while grad is enabled.
    private String op;
    private Tensor[] parents;
    private Backward backward;

    private Tensor(float[] data, Shape shape) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " elements but shape " + shape + " needs " + shape.size());
        }
        this.data = data;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- creation

    /** Wraps the array (no copy). */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, Shape.of(shape));
    }

    public static Tensor of(float[] data, Shape shape) {
        return new Tensor(data, shape);
    }

    public static Tensor zeros(int... shape) {
        Shape s = Shape.of(shape);
        return new Tensor(new float[s.size()], s);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, Shape.of());
    }

    /** Standard normal entries from the given generator. */
    public static Tensor randn(Rng rng, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) rng.nextGaussian();
        return t;
    }

    /** Uniform entries in [lo, hi) from the given generator. */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(lo, hi);
        return t;
    }

    /**
     * The result of an op. Records the graph edge when grad is enabled and either a parent needs a
     * gradient or {@code paramsNeedGrad} (the op reads trainable parameters, which are not tensors).
     */
    public static Tensor fromOp(String op, float[] data, Shape shape, boolean paramsNeedGrad,
                                Backward backward, Tensor... parents) {
        Tensor out = new Tensor(data, shape);
        if (!Grad.isEnabled()) return out;
        boolean needs = paramsNeedGrad;
        for (Tensor p : parents) needs |= p.requiresGrad;
        if (needs) {
            out.requiresGrad = true;
            out.op = op;
            out.parents = parents;
            out.backward = backward;
        }
        return out;
    }

    /**
     * An array for an op's result, {@code length} floats with unspecified contents (the op writes every
     * element): one a cut graph released, or new. The op then marks its result {@link #ownData}.
     */
    public static float[] resultBuffer(int length) {
        return StepBuffers.take(length);
    }

    /** Declares this tensor's data an array made for it alone (an op's result, {@link #resultBuffer}); returns this. */
    public Tensor ownData() {
        ownsData = true;
        return this;
    }

    /**
     * The caller's promise that nothing reads this tensor's values once its graph is cut (an intermediate
     * result a container made and never hands out, whose array no returned tensor shares): the cut then
     * keeps an array this tensor {@link #ownData owns} for the next step's results.
     */
    public void releaseDataAtCut() {
        releaseData = true;
    }

    // ---------------------------------------------------------------- accessors

    /** The backing array (row-major). Ops read it directly; do not change it while a graph holds it. */
    public float[] data() {
        return data;
    }

    public Shape shape() {
        return shape;
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public int rank() {
        return shape.rank();
    }

    public int size() {
        return data.length;
    }

    public float item() {
        if (data.length != 1) throw new IllegalStateException("item() needs a single element, shape is " + shape);
        return data[0];
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as needing a gradient (inputs of a gradient check, say). */
    public Tensor requireGrad() {
        if (parents != null) throw new IllegalStateException("requireGrad() is for leaf tensors");
        requiresGrad = true;
        return this;
    }

    /** The gradient accumulated by backward(), or null if none reached this tensor. */
    public float[] grad() {
        return grad;
    }

    /**
     * The gradient buffer, created zeroed on first use: backward closures add into it. Hold it no longer
     * than the backward pass: an intermediate tensor's buffer is reused once its graph is cut.
     */
    public float[] gradBuffer() {
        if (grad == null) grad = StepBuffers.takeZeroed(data.length);
        return grad;
    }

    /**
     * For a backward closure that sets every element of the gradient to {@code +0 + its value} (the floats
     * adding into a zeroed buffer gives, a −0 turned into +0): when no closure has created this tensor's
     * gradient yet, the buffer, with unspecified contents (spared the zeroing, and the closure spared
     * reading it); otherwise null, and the closure adds into {@link #gradBuffer} as usual. Either way the
     * buffer then is this tensor's gradient.
     */
    public float[] freshGradBuffer() {
        if (grad != null) return null;
        grad = StepBuffers.take(data.length);
        return grad;
    }

    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    /** Name of the op that produced this tensor, or null for a leaf. */
    public String op() {
        return op;
    }

    // ---------------------------------------------------------------- autograd

    /** Backpropagates from this scalar (a loss): d(this)/d(this) = 1. */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward() without a seed gradient needs a scalar, shape is " + shape);
        }
        backward(new float[] {1f});
    }

    /** Backpropagates the given gradient of some scalar with respect to this tensor. */
    public void backward(float[] seed) {
        if (seed.length != data.length) {
            throw new IllegalArgumentException("seed gradient has " + seed.length + " elements, tensor " + shape);
        }
        float[] g = gradBuffer();
        for (int i = 0; i < g.length; i++) g[i] += seed[i];
        List<Tensor> order = topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            if (t.backward != null && t.grad != null) t.backward.apply(t.grad);
        }
        // Cut the graph: intermediate results are garbage from here on, and their gradient buffers serve
        // the next step's graph.
        for (Tensor t : order) {
            if (t.parents != null) {
                t.parents = null;
                t.backward = null;
                StepBuffers.give(t.grad);
                if (t.ownsData && t.releaseData) StepBuffers.give(t.data);
                t.grad = null;
            }
        }
    }

    /** Post-order (parents before children), iterative so deep graphs do not overflow the stack. */
    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.put(this, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] ps = t.parents;
            if (ps != null && next < ps.length) {
                frame[1] = next + 1;
                Tensor p = ps[next];
                if (p.requiresGrad && seen.put(p, Boolean.TRUE) == null) stack.push(new Object[] {p, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /** A leaf copy sharing no graph: the values of this tensor, cut from whatever produced it. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape);
        if (op != null) sb.append(" op=").append(op);
        if (data.length <= 64) {
            sb.append(' ');
            appendNested(sb, 0, 0);
        } else {
            sb.append(" [");
            for (int i = 0; i < 6; i++) sb.append(fmt(data[i])).append(", ");
            sb.append("... ").append(data.length - 6).append(" more]");
        }
        return sb.toString();
    }

    private int appendNested(StringBuilder sb, int axis, int offset) {
        if (shape.rank() == 0) {
            sb.append(fmt(data[0]));
            return 1;
        }
        sb.append('[');
        int n = shape.dim(axis);
        int consumed = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            if (axis == shape.rank() - 1) {
                sb.append(fmt(data[offset + i]));
                consumed++;
            } else {
                consumed += appendNested(sb, axis + 1, offset + consumed);
            }
        }
        sb.append(']');
        return consumed;
    }

    private static String fmt(float v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
