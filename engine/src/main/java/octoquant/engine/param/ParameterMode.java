package octoquant.engine.param;

import octoquant.engine.storage.WeightStorage;

/**
 * How a parameter takes part in training. The default reads and updates the same storage; quantization-
 * aware training reads a quantized copy of fp32 master weights and filters the gradient through a
 * straight-through estimator.
 */
public interface ParameterMode {
    /** The storage the kernels read in the forward pass and the backward pass (input gradients). */
    WeightStorage computeWeights(Parameter p);

    /**
     * Called once per step after backward and before the optimizer: turns the gradient with respect to
     * the computed weights into the gradient the optimizer applies to {@link Parameter#storage()}.
     */
    default void prepareGradient(Parameter p) {}

    /** Reads and updates {@link Parameter#storage()} directly (fp32 training, and {@code storage} mode). */
    ParameterMode DIRECT = Parameter::storage;
}
