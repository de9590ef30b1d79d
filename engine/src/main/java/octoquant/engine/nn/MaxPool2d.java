package octoquant.engine.nn;

import octoquant.engine.ops.MaxPool2dOp;
import octoquant.engine.tensor.Tensor;

/** Max pooling with a square window; the stride defaults to the window size, as in PyTorch. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;

    /** A window of {@code kernel × kernel} moved by its own size (no overlap), as PyTorch's default. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel);
    }

    /** A window of {@code kernel × kernel} moved by {@code stride}: named, so the two cannot be swapped. */
    public static MaxPool2d withStride(int kernel, int stride) {
        return new MaxPool2d(kernel, stride);
    }

    private MaxPool2d(int kernel, int stride) {
        if (kernel < 1 || stride < 1) throw new IllegalArgumentException("MaxPool2d: kernel and stride must be ≥ 1, got " + kernel + ", " + stride);
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        return MaxPool2dOp.forward(x, kernel, stride);
    }

    /** Side of the square window. */
    public int kernel() {
        return kernel;
    }

    /** Step between neighbouring windows, in both directions. */
    public int stride() {
        return stride;
    }

    public int outputSize(int inputSize) {
        return (inputSize - kernel) / stride + 1;
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + kernel + ", stride " + stride + ")";
    }
}
