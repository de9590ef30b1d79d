package octoquant.engine.autograd;

/**
 * The backward half of an op: given the gradient of the loss with respect to the op's output, add the
 * gradients with respect to its inputs into their gradient buffers (and into parameters' gradients).
 */
@FunctionalInterface
public interface Backward {
    void apply(float[] outputGrad);
}
