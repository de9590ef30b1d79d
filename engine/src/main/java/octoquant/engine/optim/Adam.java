package octoquant.engine.optim;

import octoquant.engine.kernels.VectorizationProvider;
import octoquant.engine.kernels.Kernels;
import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.state.StateReader;
import octoquant.engine.state.StateWriter;

import java.util.List;

/**
 * Adam with bias correction, as PyTorch computes it: {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code w ← w − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)}. Weight decay is either PyTorch Adam's L2 term
 * ({@code g += wd·w}) or, for AdamW, decoupled ({@code w ← w − lr·wd·w} before the Adam step).
 */
public final class Adam extends Optimizer {
    /** Elements per thread below which the update runs on the caller alone (the hand-off would cost more). */
    private static final int PARALLEL_MIN = 16_384;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final float[][] m;
    private final float[][] v;

    public Adam(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** @param decoupled true for AdamW's decoupled weight decay, false for Adam's L2 penalty */
    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(params, lr);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("Adam: need 0 ≤ β < 1, ε ≥ 0, weight decay ≥ 0; got β1 " + beta1
                    + " β2 " + beta2 + " ε " + eps + " weight decay " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
    }

    /** AdamW (decoupled weight decay) with the usual betas and ε. */
    public static Adam adamW(List<Parameter> params, double lr, double weightDecay) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    @Override
    protected void computeDelta(int index, Parameter p, float[] grad, float[] delta) {
        if (m[index] == null) {
            m[index] = new float[grad.length];
            v[index] = new float[grad.length];
        }
        float[] mi = m[index], vi = v[index];
        long t = stepCount();
        double lr = learningRate();
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
        float wd = (float) weightDecay;
        float decay = (float) (lr * weightDecay);
        float[] w = weightDecay != 0 ? currentWeights(index, p) : null;
        if (w == null) {
            // The common case on the active backend's kernel (vectorised), split over the threads; each
            // element's arithmetic is the same as below and independent of the split.
            Kernels kern = VectorizationProvider.get().kernels();
            Parallel.forRange(grad.length, PARALLEL_MIN, (from, to) ->
                    kern.adamUpdate(grad, mi, vi, delta, from, to, b1, b2, stepSize, bc2Sqrt, e));
            return;
        }
        for (int i = 0; i < grad.length; i++) {
            float g = grad[i];
            if (!decoupled) g += wd * w[i];
            mi[i] += (1 - b1) * (g - mi[i]);
            vi[i] = b2 * vi[i] + (1 - b2) * g * g;
            float denom = (float) Math.sqrt(vi[i]) / bc2Sqrt + e;
            float d = -stepSize * mi[i] / denom;
            if (decoupled) d -= decay * w[i];
            delta[i] = d;
        }
    }

    // ------------------------------------------------------------------ state
    // Configuration: β1, β2, ε, weight decay and its kind. State: the first and second moments of each
    // parameter (allocated at its first step; the step count lives in Optimizer).

    @Override
    protected String describeConfig() {
        return "Adam beta1=" + beta1 + " beta2=" + beta2 + " eps=" + eps + " weightDecay=" + weightDecay
                + (decoupled ? " decoupled" : " L2");
    }

    @Override
    protected void saveBuffers(StateWriter out) {
        putBuffers(out, "m", m);
        putBuffers(out, "v", v);
    }

    @Override
    protected void restoreBuffers(StateReader in) {
        readBuffers(in, "m", m);
        readBuffers(in, "v", v);
        for (int i = 0; i < m.length; i++) {
            if ((m[i] == null) != (v[i] == null)) throw in.mismatch("v." + i, "and m." + i + " must both be saved or neither");
        }
    }
}
