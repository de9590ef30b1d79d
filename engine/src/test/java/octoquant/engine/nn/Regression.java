package octoquant.engine.nn;

import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

/**
 * A small real training task for the state-dict tests: a 6→8→4 MLP fitting a leaky linear map whose
 * coefficients reach ±3, so fixed-grid weights grow past 1 and their codes overflow the packed field.
 */
final class Regression {
    static final int IN = 6, HIDDEN = 8, OUT = 4, BATCH = 16;

    private Regression() {}

    static Sequential model(long seed) {
        Rng init = new Rng(seed);
        return new Sequential(new Linear(IN, HIDDEN, init), new ReLU(), new Linear(HIDDEN, OUT, init));
    }

    /** {@code steps} Adam steps (a fresh optimizer, lr 0.04) on batches drawn from {@code dataSeed}. */
    static void train(Module model, int steps, long dataSeed) {
        Adam adam = new Adam(model.parameters(), 0.04);
        Rng data = new Rng(dataSeed), teacherRng = new Rng(99);
        float[] teacher = new float[OUT * IN];
        for (int i = 0; i < teacher.length; i++) teacher[i] = teacherRng.uniform(-3, 3);
        for (int s = 0; s < steps; s++) {
            Tensor x = Tensor.randn(data, BATCH, IN);
            float[] y = new float[BATCH * OUT];
            for (int b = 0; b < BATCH; b++) {
                for (int o = 0; o < OUT; o++) {
                    float acc = 0;
                    for (int i = 0; i < IN; i++) acc += teacher[o * IN + i] * x.data()[b * IN + i];
                    y[b * OUT + o] = Math.max(acc, 0) + 0.5f * acc;
                }
            }
            adam.zeroGrad();
            Tensor loss = Losses.mse(model.forward(x), Tensor.of(y, BATCH, OUT));
            loss.backward();
            adam.step();
        }
    }
}
