package octoquant.engine.nn;

import octoquant.engine.param.Parameter;

import octoquant.engine.ops.WeightTiles;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.util.Rng;

import java.util.List;

/**
 * A layer with a weight matrix and an optional bias, initialised as PyTorch does when given a generator and
 * zero otherwise (initialise later with {@link #resetParameters} or {@link Init#pytorchDefault}, or load
 * weights into it): the plumbing that
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
        int fanIn = fanIn(weightShape);
        this.weight = new Parameter("weight", weightShape, new FloatStorage(rows, fanIn, new float[rows * fanIn]));
        this.bias = withBias ? new Parameter("bias", new int[] {rows}, new FloatStorage(1, rows, new float[rows])) : null;
        if (rng != null) resetParameters(rng);
    }

    private static int fanIn(int[] weightShape) {
        int fanIn = 1;
        for (int i = 1; i < weightShape.length; i++) fanIn *= weightShape[i];
        return fanIn;
    }

    /**
     * Draws PyTorch's default initialisation ({@link Init}) into fp32 storages: the weight first, then the
     * bias, from {@code rng} — PyTorch's order, so a seed means the same thing as at construction. Replaces
     * whatever storage the parameters had.
     */
    public void resetParameters(Rng rng) {
        int[] shape = weight.shape();
        int rows = shape[0];
        int fanIn = fanIn(shape);
        weight.setStorage(Init.uniform(rng, rows, fanIn, Init.weightBound(fanIn)));
        if (bias != null) bias.setStorage(Init.uniform(rng, 1, rows, Init.biasBound(fanIn)));
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
