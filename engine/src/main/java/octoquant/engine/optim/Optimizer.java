package octoquant.engine.optim;

import octoquant.engine.nn.Parameter;

import java.util.List;

/**
 * Updates parameters from their gradients. A step lets each parameter's mode prepare its gradient
 * ({@link Parameter#prepareGradient()}, the straight-through hook of QAT), computes a delta and hands it
 * to the storage ({@code storage().applyUpdate(delta)}), which adds it in fp32 or re-quantizes. Delta
 * buffers are allocated once and reused from step to step.
 */
public abstract class Optimizer {
    private final List<Parameter> params;
    private final float[][] deltas;
    private final float[][] decoded;
    private double learningRate;
    private long steps;

    protected Optimizer(List<Parameter> params, double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be positive, got " + learningRate);
        }
        this.params = List.copyOf(params);
        this.deltas = new float[this.params.size()][];
        this.decoded = new float[this.params.size()][];
        this.learningRate = learningRate;
    }

    /** One update of every trainable parameter. */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (!p.trainable()) continue;
            p.prepareGradient();
            if (deltas[i] == null) deltas[i] = new float[p.size()];
            computeDelta(i, p, p.grad(), deltas[i]);
            p.storage().applyUpdate(deltas[i]);
        }
    }

    /** Writes the update for parameter {@code index} into {@code delta} (every element). */
    protected abstract void computeDelta(int index, Parameter p, float[] grad, float[] delta);

    public final void zeroGrad() {
        for (Parameter p : params) p.zeroGrad();
    }

    /**
     * The parameter's current values as the optimizer sees them (for weight decay): the fp32 array itself,
     * or a decode into a buffer kept for this parameter.
     */
    protected final float[] currentWeights(int index, Parameter p) {
        float[] view = p.storage().floatView();
        if (view != null) return view;
        if (decoded[index] == null) decoded[index] = new float[p.size()];
        p.storage().decodeRows(0, p.storage().rows(), decoded[index], 0);
        return decoded[index];
    }

    /** Steps taken so far (1 during the first step's {@link #computeDelta}). */
    protected final long stepCount() {
        return steps;
    }

    public final double learningRate() {
        return learningRate;
    }

    /** For schedules: the rate used from the next step on. */
    public final void setLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        this.learningRate = lr;
    }

    public final List<Parameter> parameters() {
        return params;
    }
}
