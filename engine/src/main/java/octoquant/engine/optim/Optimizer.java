package octoquant.engine.optim;

import octoquant.engine.param.Parameter;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;
import octoquant.engine.state.Stateful;

import java.util.List;

/**
 * Updates parameters from their gradients. A step lets each parameter's mode prepare its gradient
 * ({@link Parameter#prepareGradient()}, the straight-through hook of QAT), computes a delta and hands it
 * to the storage ({@code storage().applyUpdate(delta)}), which adds it in fp32 or re-quantizes. Delta
 * buffers are allocated once and reused from step to step.
 */
public abstract class Optimizer implements Stateful {
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

    public final List<Parameter> parameters() {
        return params;
    }

    // ------------------------------------------------------------------ state
    // Configuration (checked on restore): the kind and hyper-parameters (describeConfig()) and the
    // sizes of the parameters, in order. State: the step count (Adam's bias correction), the learning rate
    // (schedules change it) and the subclass's per-parameter buffers. The delta and decode buffers are
    // scratch, overwritten before every use: not state.

    /**
     * Writes the step count, the learning rate and the subclass's buffers ({@link #saveBuffers}), with the
     * configuration entries {@code optimizer} and {@code parameterSizes} that restore checks.
     */
    @Override
    public final void saveState(StateWriter out) {
        out.putString("optimizer", describeConfig());
        out.putInts("parameterSizes", parameterSizes());
        out.putLong("steps", steps);
        out.putDouble("learningRate", learningRate);
        saveBuffers(out);
    }

    @Override
    public final void restoreState(StateReader in) {
        in.expect("optimizer", describeConfig(), "optimizer");
        in.expect("parameterSizes", parameterSizes(), "optimizer's parameter list");
        long savedSteps = in.longValue("steps");
        double lr = in.doubleValue("learningRate");
        if (savedSteps < 0) throw in.mismatch("steps", "is negative (" + savedSteps + ")");
        if (!(lr > 0) || !Double.isFinite(lr)) throw in.mismatch("learningRate", "is not a positive number (" + lr + ")");
        steps = savedSteps;
        learningRate = lr;
        restoreBuffers(in);
    }

    /** The kind and every hyper-parameter, e.g. {@code Sgd momentum=0.9 ...}: fixed by construction. */
    protected abstract String describeConfig();

    /** Writes the subclass's per-parameter state (moments, momentum buffers). */
    protected abstract void saveBuffers(StateWriter out);

    /** Reads back what {@link #saveBuffers} wrote. */
    protected abstract void restoreBuffers(StateReader in);

    /** Writes {@code buffers[i]} as entry {@code name.i}; a buffer not allocated yet (null) is left out. */
    protected static void putBuffers(StateWriter out, String name, float[][] buffers) {
        for (int i = 0; i < buffers.length; i++) if (buffers[i] != null) out.putFloats(name + "." + i, buffers[i]);
    }

    /** Reads what {@link #putBuffers} wrote: entry {@code name.i} into a buffer of parameter i's size, or null. */
    protected final void readBuffers(StateReader in, String name, float[][] buffers) {
        for (int i = 0; i < buffers.length; i++) {
            String key = name + "." + i;
            if (in.has(key)) {
                float[] b = new float[params.get(i).size()];
                in.readInto(key, b);
                buffers[i] = b;
            } else {
                buffers[i] = null;
            }
        }
    }

    private int[] parameterSizes() {
        int[] sizes = new int[params.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = params.get(i).size();
        return sizes;
    }
}
