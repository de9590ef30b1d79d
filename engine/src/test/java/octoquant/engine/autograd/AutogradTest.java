package octoquant.engine.autograd;

import octoquant.engine.ops.Elementwise;
import octoquant.engine.ops.Reductions;
import octoquant.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The graph mechanics the ops rely on: shared parents, accumulation, no-grad scopes, graph cutting. */
class AutogradTest {
    @Test
    void aTensorUsedTwiceReceivesBothGradients() {
        Tensor x = Tensor.of(new float[] {1, -2, 3}, 3).requireGrad();
        // y = Σ (x·x + x): dy/dx = 2x + 1
        Reductions.sum(Elementwise.add(Elementwise.mul(x, x), x)).backward();
        assertArrayEquals(new float[] {3, -3, 7}, x.grad());
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardPassesUntilZeroed() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requireGrad();
        Reductions.sum(Elementwise.scale(x, 3f)).backward();
        Reductions.sum(Elementwise.scale(x, 3f)).backward();
        assertArrayEquals(new float[] {6, 6}, x.grad());
        x.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, x.grad());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requireGrad();
        try (Grad.Scope off = Grad.disabled()) {
            Tensor y = Elementwise.mul(x, x);
            assertFalse(y.requiresGrad());
            assertNull(y.op());
        }
        assertTrue(Elementwise.mul(x, x).requiresGrad(), "recording resumes after the scope");
    }

    @Test
    void backwardCutsTheGraphAndDropsIntermediateGradients() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requireGrad();
        Tensor mid = Elementwise.mul(x, x);
        Tensor loss = Reductions.sum(mid);
        loss.backward();
        assertNull(mid.grad(), "intermediate gradient released");
        assertArrayEquals(new float[] {2, 4}, x.grad());
        // A second backward from the cut loss reaches nothing beyond it.
        x.zeroGrad();
        loss.backward();
        assertArrayEquals(new float[] {0, 0}, x.grad());
    }
}
