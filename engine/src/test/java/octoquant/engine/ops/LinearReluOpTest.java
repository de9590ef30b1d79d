package octoquant.engine.ops;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import octoquant.engine.autograd.Grad;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.nn.Linear;
import octoquant.engine.nn.Models;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
import octoquant.engine.param.Parameter;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fused linear → ReLU against the two ops one after another: the very same floats, forward and backward. */
class LinearReluOpTest {

    /** Output, input gradient, weight gradient, bias gradient. */
    private static float[][] run(boolean fused, int threads, int n, int in, int out, long seed, boolean specials) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(seed);
            Parameter w = TestTensors.param(rng, "w", out, in, out, in);
            Parameter b = TestTensors.param(rng, "b", 1, out, out);
            Tensor x = Tensor.randn(rng, n, in).requireGrad();
            if (specials) {
                // A NaN row poisons its outputs; a zero row gives pre-activations equal to the bias, and a
                // zero bias entry makes them exactly 0 (the ReLU's gradient mask is false there).
                x.data()[in + 1] = Float.NaN;
                java.util.Arrays.fill(x.data(), 2 * in, 3 * in, 0f);
                b.computeWeights().floatView()[0] = 0f;
                if (out > 1) b.computeWeights().floatView()[1] = -0f;
            }
            Tensor y = fused ? LinearOp.forwardRelu(x, w, b, new WeightTiles())
                    : Activations.relu(LinearOp.forward(x, w, b));
            float[] g = Tensor.randn(new Rng(seed + 1), y.size()).data();
            if (specials) g[out + 2] = -0f;
            y.backward(g);
            return new float[][] {y.data(), x.grad(), w.grad(), b.grad()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Property(tries = 40)
    void fusedGivesTheUnfusedValuesAndGradientsForAnyThreadCount(@ForAll @IntRange(min = 4, max = 70) int n,
                                                                 @ForAll @IntRange(min = 1, max = 300) int in,
                                                                 @ForAll @IntRange(min = 1, max = 150) int out,
                                                                 @ForAll @IntRange(min = 1, max = 4) int threads,
                                                                 @ForAll boolean specials) {
        float[][] ref = run(false, 1, n, in, out, 31L * n + in, specials);
        float[][] got = run(true, threads, n, in, out, 31L * n + in, specials);
        String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
        for (int i = 0; i < ref.length; i++) assertArrayEquals(ref[i], got[i], what[i]);
    }

    @Test
    void sequentialFusesLinearReluAndTrainsToTheSameNumbers() {
        // One step of the MLP (784-128-10): the loss and every parameter gradient, fused against unfused.
        float[][] fused = mlpStep(true), plain = mlpStep(false);
        for (int i = 0; i < fused.length; i++) assertArrayEquals(plain[i], fused[i], "array " + i);
    }

    private static float[][] mlpStep(boolean fusion) {
        Sequential m = Models.mlp(new Rng(5)).setFusion(fusion);
        Tensor x = Tensor.randn(new Rng(6), 17, 1, 28, 28);
        Tensor loss = Losses.softmaxCrossEntropy(m.forward(x), new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7});
        loss.backward();
        float[][] r = new float[1 + m.parameters().size()][];
        r[0] = loss.data();
        for (int i = 0; i < m.parameters().size(); i++) r[i + 1] = m.parameters().get(i).grad().clone();
        return r;
    }

    @Test
    void inferenceIsBitIdenticalForAnyThreadCountAndEqualToTheUnfusedLayers() {
        Sequential m = new Sequential(new Linear(300, 200, new Rng(1)), new ReLU(), new Linear(200, 130, new Rng(2)),
                new ReLU(), new Linear(130, 10, new Rng(3)));
        m.eval();
        Tensor x = Tensor.randn(new Rng(4), 64, 300);
        int saved = Parallel.threads();
        try (Grad.Scope off = Grad.disabled()) {
            Parallel.setThreads(1);
            float[] ref = m.setFusion(false).forward(x).data();
            m.setFusion(true);
            for (int t = 1; t <= 4; t++) {
                Parallel.setThreads(t);
                assertArrayEquals(ref, m.forward(x).data(), "threads " + t);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        assertEquals(10, m.forward(x).dim(1));
    }
}
