package octoquant.engine.nn;

import octoquant.engine.param.Parameter;

import octoquant.engine.ops.WeightTiles;
import octoquant.engine.util.Rng;

import java.util.List;

/**
 * A layer with a weight matrix and an optional bias, initialised as PyTorch does: the plumbing that
 * {@link Linear} and {@link Conv2d} share (parameters, PyTorch names, the tile buffer the kernels decode
 * packed weights into), so each of them only says what it computes.
 */
public abstract class WeightedModule extends Module {
    private Parameter weight;
    private Parameter bias;
    /** Scratch for decoding a packed weight a tile of rows at a time; reused from step to step. */
    protected final WeightTiles tiles = new WeightTiles();

    /**
     * @param weightShape the logical weight shape; its first dimension is the output count (storage rows),
     *                    the product of the others the fan-in (storage columns)
     */
    protected WeightedModule(int[] weightShape, boolean withBias, Rng rng) {
        int rows = weightShape[0];
        int fanIn = 1;
        for (int i = 1; i < weightShape.length; i++) fanIn *= weightShape[i];
        // Weight first, then bias, from the same stream: PyTorch's order, so seeds mean the same thing.
        this.weight = new Parameter("weight", weightShape, Init.uniform(rng, rows, fanIn, Init.weightBound(fanIn)));
        this.bias = withBias
                ? new Parameter("bias", new int[] {rows}, Init.uniform(rng, 1, rows, Init.biasBound(fanIn)))
                : null;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer built without one. */
    public Parameter bias() {
        return bias;
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
}
