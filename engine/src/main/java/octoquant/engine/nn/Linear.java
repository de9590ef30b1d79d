package octoquant.engine.nn;

import octoquant.engine.ops.LinearOp;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

/**
 * {@code y = x · Wᵀ + b}: weight {@code [out, in]} (storage rows = outputs), bias {@code [out]}. The weights
 * are read through their storage in forward and backward (see {@link LinearOp}).
 */
public final class Linear extends WeightedModule {
    private final int in;
    private final int out;

    /** PyTorch's {@code nn.Linear(in, out)}, initialised as PyTorch does from {@code rng}. */
    public Linear(int in, int out, Rng rng) {
        this(in, out, true, rng);
    }

    /** With zero weights and bias: initialise them later ({@link #resetParameters}) or load them. */
    public Linear(int in, int out) {
        this(in, out, true, null);
    }

    /** {@code rng} null leaves the weights zero. */
    public Linear(int in, int out, boolean withBias, Rng rng) {
        super(weightShape(in, out), withBias, rng);
        this.in = in;
        this.out = out;
    }

    private static int[] weightShape(int in, int out) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear: sizes must be positive, got in " + in + " out " + out);
        return new int[] {out, in};
    }

    @Override
    public Tensor forward(Tensor x) {
        return LinearOp.forward(x, weight(), bias(), tiles);
    }

    /** {@code relu(this(x))} in one op ({@link LinearOp#forwardRelu}): the same values and gradients as the two layers. */
    Tensor forwardRelu(Tensor x) {
        return LinearOp.forwardRelu(x, weight(), bias(), tiles);
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(" + in + " → " + out + (bias() == null ? ", no bias" : "") + ")";
    }
}
