package octoquant.engine.nn;

import octoquant.engine.ops.LinearOp;
import octoquant.engine.ops.WeightTiles;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.List;

/**
 * {@code y = x · Wᵀ + b}: weight {@code [out, in]} (storage rows = outputs), bias {@code [out]}. The weights
 * are read through their storage in forward and backward (see {@link LinearOp}).
 */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private Parameter weight;
    private Parameter bias;
    private final WeightTiles tiles = new WeightTiles();

    public Linear(int in, int out, Rng rng) {
        this(in, out, true, rng);
    }

    public Linear(int in, int out, boolean withBias, Rng rng) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear: sizes must be positive, got in " + in + " out " + out);
        this.in = in;
        this.out = out;
        this.weight = new Parameter("weight", new int[] {out, in}, Init.uniform(rng, out, in, Init.weightBound(in)));
        this.bias = withBias ? new Parameter("bias", new int[] {out}, Init.uniform(rng, 1, out, Init.biasBound(in))) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return LinearOp.forward(x, weight, bias, tiles);
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    protected void prefixNames(String prefix) {
        weight = renamed(weight, prefix + weight.name());
        if (bias != null) bias = renamed(bias, prefix + bias.name());
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer built without one. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public String toString() {
        return "Linear(" + in + " → " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
