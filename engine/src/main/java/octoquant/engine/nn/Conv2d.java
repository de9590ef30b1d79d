package octoquant.engine.nn;

import octoquant.engine.ops.Conv2dOp;
import octoquant.engine.ops.ConvReluPoolOp;
import octoquant.engine.ops.ScratchPool;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

/**
 * 2-d convolution over NCHW input: weight {@code [CO, CI, K, K]} stored as {@code CO × (CI·K·K)}, bias
 * {@code [CO]}, square kernel, stride and zero padding (see {@link Conv2dOp}).
 */
public final class Conv2d extends WeightedModule {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    /** Column buffers kept from forward to backward, reused from step to step. */
    private final ScratchPool buffers = new ScratchPool();

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernel, stride, padding, true, rng);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean withBias, Rng rng) {
        super(weightShape(inChannels, outChannels, kernel, stride, padding), withBias, rng);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    private static int[] weightShape(int inChannels, int outChannels, int kernel, int stride, int padding) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: bad geometry in " + inChannels + " out " + outChannels
                    + " kernel " + kernel + " stride " + stride + " padding " + padding);
        }
        return new int[] {outChannels, inChannels, kernel, kernel};
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv2dOp.forward(x, weight(), bias(), stride, padding, tiles, buffers);
    }

    /**
     * {@code pool(relu(this(x)))} in one fused pass ({@link ConvReluPoolOp}): the same values and gradients
     * as the three layers one after another. Null when that op does not apply (then run the layers).
     */
    Tensor forwardReluPool(Tensor x, MaxPool2d pool) {
        if (!ConvReluPoolOp.fusable(x, weight(), stride, padding, pool.kernel(), pool.stride())) return null;
        return ConvReluPoolOp.forward(x, weight(), bias(), stride, padding, tiles, buffers);
    }

    /** Output height or width for an input of that size. */
    public int outputSize(int inputSize) {
        return (inputSize + 2 * padding - kernel) / stride + 1;
    }

    /** Input channels (CI of the weight {@code [CO, CI, K, K]}). */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels (CO). */
    public int outChannels() {
        return outChannels;
    }

    /** Side of the square kernel (K). */
    public int kernelSize() {
        return kernel;
    }

    /** Step between neighbouring windows, in both directions. */
    public int stride() {
        return stride;
    }

    /** Zero padding added on every side of the input. */
    public int padding() {
        return padding;
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + " → " + outChannels + ", " + kernel + "x" + kernel
                + ", stride " + stride + ", padding " + padding + ")";
    }
}
