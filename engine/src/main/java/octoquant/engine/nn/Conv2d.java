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

    private Conv2d(Builder b) {
        super(weightShape(b.in, b.out, b.kernel, b.stride, b.padding), b.bias, b.rng);
        this.inChannels = b.in;
        this.outChannels = b.out;
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.padding = b.padding;
    }

    /**
     * Names every size, so none can be swapped by position:
     * {@code Conv2d.builder().in(3).out(32).kernel(3).padding(1).init(rng).build()}. Stride 1, padding 0 and a
     * bias unless set; without {@link Builder#init} the weights are zero (load or initialise them later).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a convolution's geometry by name. */
    public static final class Builder {
        private int in = -1;
        private int out = -1;
        private int kernel = -1;
        private int stride = 1;
        private int padding = 0;
        private boolean bias = true;
        private Rng rng;

        private Builder() {}

        /** Input channels (CI). */
        public Builder in(int channels) {
            this.in = channels;
            return this;
        }

        /** Output channels (CO). */
        public Builder out(int channels) {
            this.out = channels;
            return this;
        }

        /** Side of the square kernel. */
        public Builder kernel(int size) {
            this.kernel = size;
            return this;
        }

        public Builder stride(int stride) {
            this.stride = stride;
            return this;
        }

        /** Zeros added on every side of the input. */
        public Builder padding(int padding) {
            this.padding = padding;
            return this;
        }

        public Builder bias(boolean withBias) {
            this.bias = withBias;
            return this;
        }

        /** Draw PyTorch's default initialisation from {@code rng} at construction (weight, then bias). */
        public Builder init(Rng rng) {
            this.rng = rng;
            return this;
        }

        public Conv2d build() {
            if (in < 0 || out < 0 || kernel < 0) {
                throw new IllegalArgumentException("Conv2d: set " + (in < 0 ? "in" : out < 0 ? "out" : "kernel")
                        + " (builder().in(CI).out(CO).kernel(K))");
            }
            return new Conv2d(this);
        }
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
