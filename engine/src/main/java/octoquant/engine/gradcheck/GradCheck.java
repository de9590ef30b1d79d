package octoquant.engine.gradcheck;

import octoquant.engine.autograd.Grad;

import octoquant.engine.param.Parameter;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Checks the analytic gradients of a computation against central finite differences.
 *
 * <p>The computation's output {@code y} is reduced to the scalar {@code L = Σ rᵢ·yᵢ} with a fixed random
 * projection r, accumulated in double. The analytic gradient is {@code y.backward(r)}; the numeric one is
 * {@code (L(v+h) − L(v−h)) / (v₊ − v₋)} per input or parameter value v, in double, with the actual float
 * perturbation as the denominator. The forward pass itself runs in float32, so the step h must be much
 * larger than float rounding (default 1e-2 relative to the value scale).
 *
 * <p>Piecewise-linear computations (ReLU, max-pool and the linear maps around them) have kinks where
 * finite differences are meaningless. Checks built with {@link #piecewiseLinear} skip a coordinate when
 * its one-sided difference quotients {@code (L(v+d) − L(v))/d} and {@code (L(v) − L(v−d))/d}, for
 * d = h, h/2, h/4, h/8, do not all agree: L then has a kink within h. The caller bounds how many may be
 * skipped. (With one kink in reach, the central difference errs by exactly half the disagreement at
 * d = h; the shorter distances catch two kinks whose errors cancel in the quotients over h but not in
 * the central difference.) Skipping depends only on the forward function, never on the analytic
 * gradient, so a wrong backward cannot hide behind it. (For curved functions the one-sided differences
 * differ by h·f'' even without a kink, so {@link #standard} checks do not skip.)
 */
public final class GradCheck {
    private final double step;
    private final double relTol;
    private final double absTol;
    private final boolean skipKinks;

    /**
     * @param step   finite-difference step h
     * @param relTol allowed error relative to |numeric|
     * @param absTol allowed error relative to the largest |numeric| of the whole check (float noise floor)
     */
    public GradCheck(double step, double relTol, double absTol, boolean skipKinks) {
        this.step = step;
        this.relTol = relTol;
        this.absTol = absTol;
        this.skipKinks = skipKinks;
    }

    /** For smooth computations: every coordinate is compared. Suited to float32 values of order 1. */
    public static GradCheck standard() {
        return new GradCheck(1e-2, 2e-2, 2e-3, false);
    }

    /** For piecewise-linear computations: coordinates with a kink within the step are skipped. */
    public static GradCheck piecewiseLinear(double step) {
        return new GradCheck(step, 2e-2, 2e-3, true);
    }

    /** One disagreement between the analytic and the numeric gradient. */
    public record Mismatch(String where, int index, double analytic, double numeric) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s[%d]: analytic %.6g, numeric %.6g", where, index, analytic, numeric);
        }
    }

    /** The outcome: coordinates checked, skipped at kinks, and any mismatches. */
    public record Result(int checked, int skipped, double maxAbsError, List<Mismatch> mismatches) {
        public boolean ok() {
            return mismatches.isEmpty();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "gradcheck: %d checked, %d skipped at kinks, max |error| %.3g, %d mismatches%s",
                    checked, skipped, maxAbsError, mismatches.size(),
                    mismatches.isEmpty() ? "" : " e.g. " + mismatches.subList(0, Math.min(5, mismatches.size())));
        }
    }

    /**
     * Runs the check.
     *
     * @param forward recomputes the output from the current values of {@code inputs} and {@code params}
     * @param inputs  leaf tensors to differentiate with respect to (their data is perturbed in place)
     * @param params  parameters with an fp32 storage ({@link FloatStorage}), perturbed in place
     */
    public Result check(Supplier<Tensor> forward, List<Tensor> inputs, List<Parameter> params, Rng rng) {
        for (Tensor t : inputs) {
            t.requireGrad();
            t.zeroGrad();
        }
        for (Parameter p : params) {
            if (!(p.storage() instanceof FloatStorage)) { // a quantized storage's decoded view is read-only
                throw new IllegalArgumentException("GradCheck: parameter " + p.name() + " needs an fp32 storage to perturb");
            }
            p.zeroGrad();
        }
        Tensor y = forward.get();
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) r[i] = rng.uniform(-1f, 1f);
        y.backward(r);

        List<float[]> values = new ArrayList<>();
        List<float[]> analytic = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            values.add(t.data());
            analytic.add(t.grad() == null ? new float[t.size()] : t.grad().clone());
            names.add("input" + i + t.shape());
        }
        for (Parameter p : params) {
            values.add(p.storage().floatView());
            analytic.add(p.grad().clone());
            names.add(p.name());
        }

        List<double[]> numeric = new ArrayList<>();
        List<boolean[]> smooth = new ArrayList<>();
        double maxNumeric = 0;
        int skipped = 0;
        // Every perturbation below writes a parameter through its float view: tell the storages before each
        // pass, so copies derived from the weight (a packed Wᵀ, a QAT shadow) are made again.
        Supplier<Tensor> written = () -> {
            for (Parameter p : params) p.storage().markWritten();
            return forward.get();
        };
        try (Grad.Scope off = Grad.disabled()) {
            Tensor y0 = written.get();
            double l0 = project(y0, r);
            double noise = roundingNoise(y0, r);
            for (float[] v : values) {
                double[] num = new double[v.length];
                boolean[] ok = new boolean[v.length];
                for (int j = 0; j < v.length; j++) {
                    float orig = v[j];
                    float plus = (float) (orig + step), minus = (float) (orig - step);
                    v[j] = plus;
                    double lp = project(written.get(), r);
                    v[j] = minus;
                    double lm = project(written.get(), r);
                    num[j] = (lp - lm) / ((double) plus - (double) minus);
                    ok[j] = !skipKinks || straightAround(v, j, orig, l0, noise, lp, lm, written, r);
                    v[j] = orig;
                    if (ok[j]) maxNumeric = Math.max(maxNumeric, Math.abs(num[j]));
                    else skipped++;
                }
                numeric.add(num);
                smooth.add(ok);
            }
        }

        List<Mismatch> bad = new ArrayList<>();
        int checked = 0;
        double maxErr = 0;
        double floor = absTol * Math.max(1.0, maxNumeric);
        for (int t = 0; t < values.size(); t++) {
            double[] num = numeric.get(t);
            float[] an = analytic.get(t);
            boolean[] ok = smooth.get(t);
            for (int j = 0; j < num.length; j++) {
                if (!ok[j]) continue;
                checked++;
                double err = Math.abs(an[j] - num[j]);
                maxErr = Math.max(maxErr, err);
                if (err > relTol * Math.abs(num[j]) + floor) bad.add(new Mismatch(names.get(t), j, an[j], num[j]));
            }
        }
        return new Result(checked, skipped, maxErr, bad);
    }

    /** How many times the probe distance is halved below h when looking for kinks. */
    private static final int KINK_PROBE_HALVINGS = 3;

    /**
     * Whether L is one straight line on [v − h, v + h], judged from one-sided difference quotients
     * over h, h/2, h/4 and h/8 on either side of v. The quotients over h alone miss two kinks, one on
     * each side, that bend both sides alike: with conv weights, which move dozens of ReLU and pool
     * inputs at once, about one case in 700 had v inside a window of another slope narrower than h/2
     * (seen: 0.6e-3 wide for h = 3e-3) and failed a correct backward. A kink at distance a shifts the
     * quotient over d by Δ·(1 − a/d) for a < d and not at all for a ≥ d, so the shorter distances
     * expose such windows. Their quotients carry float rounding of L divided by d, so each is compared
     * with the quotients over h with that noise added to the tolerance; the quotients over h are held
     * to the plain tolerance, as a check with one distance would. Leaves v[j] changed; the caller
     * restores it.
     */
    private boolean straightAround(float[] v, int j, float orig, double l0, double noise, double lp, double lm,
                                   Supplier<Tensor> forward, float[] r) {
        double right = (lp - l0) / ((double) (float) (orig + step) - orig);
        double left = (l0 - lm) / ((double) orig - (float) (orig - step));
        if (!agree(right, left, 0)) return false;
        double d = step;
        for (int level = 1; level <= KINK_PROBE_HALVINGS; level++) {
            d /= 2;
            float plus = (float) (orig + d), minus = (float) (orig - d);
            v[j] = plus;
            double nearRight = (project(forward.get(), r) - l0) / ((double) plus - orig);
            v[j] = minus;
            double nearLeft = (l0 - project(forward.get(), r)) / ((double) orig - minus);
            double slack = noise / d;
            if (!agree(nearRight, right, slack) || !agree(nearRight, left, slack)
                    || !agree(nearLeft, right, slack) || !agree(nearLeft, left, slack)) {
                return false;
            }
        }
        return true;
    }

    private boolean agree(double a, double b, double slack) {
        return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b)) + absTol + slack;
    }

    /**
     * A generous bound on the float32 rounding in L = Σ rᵢ·yᵢ at the current point: 2⁻¹⁸ (about 64 float
     * ulps) of Σ |rᵢ·yᵢ|. Differences of L smaller than this say nothing about the slope.
     */
    private static double roundingNoise(Tensor y, float[] r) {
        float[] d = y.data();
        double s = 0;
        for (int i = 0; i < d.length; i++) s += Math.abs((double) r[i] * d[i]);
        return Math.scalb(s, -22);
    }

    private static double project(Tensor y, float[] r) {
        float[] d = y.data();
        double s = 0;
        for (int i = 0; i < d.length; i++) s += (double) r[i] * d[i];
        return s;
    }
}
