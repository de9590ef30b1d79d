package octoquant.engine.nn;

import octoquant.engine.ops.Reductions;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Intermediate results of a Sequential serve the next step's results; what the caller holds never does. */
class SequentialBuffersTest {
    @Test
    void theReturnedOutputKeepsItsValuesWhenItSharesAFusedResult() {
        // The flatten returns the fused conv-relu-pool result's own array (8·8·8·8 = 4,096 floats).
        Sequential m = new Sequential(Conv2d.builder().in(1).out(8).kernel(3).padding(1).init(new Rng(1)).build(),
                new ReLU(), new MaxPool2d(2), new Flatten());
        assertEquals(java.util.List.of(0), m.fusedRuns());
        Tensor out1 = m.forward(Tensor.randn(new Rng(2), 8, 1, 16, 16));
        float[] values = out1.data().clone();
        Reductions.sum(out1).backward();
        for (int step = 0; step < 3; step++) {
            Tensor out = m.forward(Tensor.randn(new Rng(3 + step), 8, 1, 16, 16));
            assertNotSame(out1.data(), out.data());
            Reductions.sum(out).backward();
        }
        assertArrayEquals(values, out1.data());
    }

    @Test
    void repeatedStepsGiveTheValuesOfAFreshModel() {
        // The seed CNN's steps reuse arrays (results, gradients, winners, whatever they held before): each
        // step's values must be those of a model built fresh for that step, whose layers have none to reuse.
        Tensor x = Tensor.randn(new Rng(5), 4, 3, 16, 16);
        Sequential reused = Models.seedCnn(new Rng(7), 3, 16, 16);
        for (int step = 0; step < 3; step++) {
            Sequential fresh = Models.seedCnn(new Rng(7), 3, 16, 16);
            Tensor a = reused.forward(x), b = fresh.forward(x);
            assertArrayEquals(b.data(), a.data(), "step " + step);
            Reductions.sum(a).backward();
            Reductions.sum(b).backward();
            for (int p = 0; p < reused.parameters().size(); p++) {
                assertArrayEquals(fresh.parameters().get(p).grad(), reused.parameters().get(p).grad(), "step " + step);
                reused.parameters().get(p).zeroGrad();
            }
        }
    }
}
