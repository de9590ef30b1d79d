package octoquant.engine.nn;

import octoquant.engine.ops.Activations;
import octoquant.engine.tensor.Tensor;

/** max(0, x) elementwise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.relu(x);
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}
