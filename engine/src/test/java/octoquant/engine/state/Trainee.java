package octoquant.engine.state;

import octoquant.engine.autograd.Grad;
import octoquant.engine.nn.Linear;
import octoquant.engine.param.Parameter;
import octoquant.engine.nn.ReLU;
import octoquant.engine.nn.Sequential;
import octoquant.engine.ops.Losses;
import octoquant.engine.optim.Adam;
import octoquant.engine.optim.Optimizer;
import octoquant.engine.optim.Sgd;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.List;

/**
 * A small real training set-up for state tests: a 6→8→4 MLP, its parameters in a scheme and training mode,
 * an optimizer, and a data stream; each step fits a fixed linear map whose coefficients reach ±3, so
 * fixed-grid weights grow past 1 and fill the overflow table. Its whole state is the parameters' storages
 * and modes, the optimizer and the data generator, saved through the engine's state API.
 */
final class Trainee implements Stateful {
    private static final int IN = 6, OUT = 4, BATCH = 16;
    private final Sequential model;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private final Rng data;
    private final float[] teacher = new float[OUT * IN];

    Trainee(String scheme, String mode, String optimizer, long seed) {
        Rng init = new Rng(seed);
        model = new Sequential(new Linear(IN, 8, init), new ReLU(), new Linear(8, OUT, init));
        params = model.parameters();
        Quantization.prepare(params, QuantScheme.parse(scheme), TrainingMode.parse(mode), seed * 31 + 7);
        this.optimizer = switch (optimizer) {
            case "adam" -> new Adam(params, 0.04);
            case "sgd" -> new Sgd(params, 0.02, 0.9, 0, 1e-4, true);
            default -> throw new IllegalArgumentException(optimizer);
        };
        Rng t = new Rng(99);
        for (int i = 0; i < teacher.length; i++) teacher[i] = t.uniform(-3, 3);
        data = new Rng(seed + 1);
    }

    List<Parameter> parameters() {
        return params;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    void steps(int n) {
        for (int s = 0; s < n; s++) step();
    }

    void step() {
        Tensor x = Tensor.randn(data, BATCH, IN);
        float[] y = new float[BATCH * OUT];
        for (int b = 0; b < BATCH; b++) {
            for (int o = 0; o < OUT; o++) {
                float acc = 0;
                for (int i = 0; i < IN; i++) acc += teacher[o * IN + i] * x.data()[b * IN + i];
                y[b * OUT + o] = Math.max(acc, 0) + 0.5f * acc; // a leaky map: needs the hidden ReLU layer
            }
        }
        optimizer.zeroGrad();
        Tensor loss = Losses.mse(model.forward(x), Tensor.of(y, BATCH, OUT));
        loss.backward();
        optimizer.step();
    }

    /** The model's outputs on a fixed probe batch (no graph). */
    float[] predict() {
        try (Grad.Scope off = Grad.disabled()) {
            return model.forward(Tensor.randn(new Rng(5), 8, IN)).data().clone();
        }
    }

    @Override
    public void saveState(StateWriter out) {
        for (Parameter p : params) {
            out.put(p.name() + ".storage", (Stateful) p.storage());
            if (p.mode() instanceof Stateful m) out.put(p.name() + ".mode", m);
        }
        out.put("optim", optimizer);
        out.put("data", data);
    }

    @Override
    public void restoreState(StateReader in) {
        for (Parameter p : params) {
            in.restore(p.name() + ".storage", (Stateful) p.storage());
            if (p.mode() instanceof Stateful m) in.restore(p.name() + ".mode", m);
        }
        in.restore("optim", optimizer);
        in.restore("data", data);
    }
}
