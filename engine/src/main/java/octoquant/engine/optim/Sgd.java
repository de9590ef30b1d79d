package octoquant.engine.optim;

import octoquant.engine.param.Parameter;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;

import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's semantics: {@code g = grad + wd·w}; with momentum μ the
 * buffer starts as g and then becomes {@code μ·buf + (1 − dampening)·g}; the step direction is the
 * buffer, or {@code g + μ·buf} with Nesterov; {@code w ← w − lr·direction}.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final float[][] buffers;

    public Sgd(List<Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    public Sgd(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (momentum < 0 || dampening < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("Sgd: momentum, dampening and weight decay must be ≥ 0, got "
                    + momentum + ", " + dampening + ", " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0 and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new float[params.size()][];
    }

    @Override
    protected void computeDelta(int index, Parameter p, float[] grad, float[] delta) {
        float lr = (float) learningRate(), wd = (float) weightDecay, mu = (float) momentum;
        float keep = (float) (1 - dampening);
        float[] w = weightDecay != 0 ? currentWeights(index, p) : null;
        boolean first = buffers[index] == null;
        if (momentum != 0 && first) buffers[index] = new float[grad.length];
        float[] buf = buffers[index];
        for (int i = 0; i < grad.length; i++) {
            float g = w != null ? grad[i] + wd * w[i] : grad[i];
            if (buf != null) {
                buf[i] = first ? g : mu * buf[i] + keep * g;
                g = nesterov ? g + mu * buf[i] : buf[i];
            }
            delta[i] = -lr * g;
        }
    }

    // ------------------------------------------------------------------ state
    // Configuration: momentum, dampening, weight decay, Nesterov. State: each parameter's momentum buffer
    // (allocated at its first step with momentum ≠ 0; its absence is what marks the first step).

    @Override
    protected String describeConfig() {
        return "Sgd momentum=" + momentum + " dampening=" + dampening + " weightDecay=" + weightDecay
                + (nesterov ? " nesterov" : "");
    }

    @Override
    protected void saveBuffers(StateWriter out) {
        putBuffers(out, "momentum", buffers);
    }

    @Override
    protected void restoreBuffers(StateReader in) {
        readBuffers(in, "momentum", buffers);
    }
}
