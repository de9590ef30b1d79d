package octoquant.engine.param;

import octoquant.engine.kernels.ArrayPasses;

import octoquant.engine.storage.WeightStorage;

import java.util.Arrays;

/**
 * A trainable weight or bias: its storage, its gradient (always fp32) and the mode in which it trains.
 * The gradient is with respect to the weights the kernels computed with ({@link #computeWeights()}).
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private WeightStorage storage;
    private ParameterMode mode = ParameterMode.DIRECT;
    private final float[] grad;
    private boolean trainable = true;

    /**
     * @param shape the logical shape (e.g. {@code [out, in, kh, kw]}); its size must equal the storage's
     */
    public Parameter(String name, int[] shape, WeightStorage storage) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != storage.length()) {
            throw new IllegalArgumentException("parameter " + name + " shape " + Arrays.toString(shape)
                    + " does not match storage " + storage.rows() + "x" + storage.cols());
        }
        this.name = name;
        this.shape = shape.clone();
        this.storage = storage;
        this.grad = new float[storage.length()];
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return grad.length;
    }

    /** What the optimizer updates: fp32 master weights, or the quantized codes themselves. */
    public WeightStorage storage() {
        return storage;
    }

    /** Swaps the storage (e.g. fp32 → quantized after training, for PTQ). Same shape required. */
    public void setStorage(WeightStorage newStorage) {
        if (newStorage.rows() != storage.rows() || newStorage.cols() != storage.cols()) {
            throw new IllegalArgumentException("parameter " + name + ": storage " + newStorage.rows() + "x"
                    + newStorage.cols() + " does not fit " + storage.rows() + "x" + storage.cols());
        }
        this.storage = newStorage;
    }

    /** What the kernels read in forward and backward. */
    public WeightStorage computeWeights() {
        return mode.computeWeights(this);
    }

    public ParameterMode mode() {
        return mode;
    }

    public void setMode(ParameterMode mode) {
        this.mode = mode;
    }

    public float[] grad() {
        return grad;
    }

    public void zeroGrad() {
        ArrayPasses.zero(grad);
    }

    public boolean trainable() {
        return trainable;
    }

    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    /** Lets the mode turn the raw gradient into the one the optimizer applies (STE masking in QAT). */
    public void prepareGradient() {
        mode.prepareGradient(this);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + storage.describe();
    }
}
