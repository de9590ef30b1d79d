package octoquant.engine.nn;

import octoquant.engine.ops.Shapes;
import octoquant.engine.tensor.Tensor;

/** {@code [N, ...] → [N, rest]}, like PyTorch's {@code nn.Flatten()}. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Shapes.flatten(x);
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}
