package octoquant.engine.nn;

import octoquant.engine.storage.FloatStorage;
import octoquant.engine.util.Rng;

/**
 * PyTorch's default initialisation of Linear and Conv2d: weights from {@code kaiming_uniform_(a=√5)},
 * i.e. U(−bound, bound) with {@code bound = gain·√(3/fan_in)} and {@code gain = √(2/(1+a²))} — which
 * comes to {@code 1/√fan_in} — and biases from U(−1/√fan_in, 1/√fan_in). The weight is drawn first,
 * then the bias, from the given generator.
 */
public final class Init {
    private Init() {}

    /** The Kaiming-uniform bound for {@code a = √5}. */
    public static double weightBound(int fanIn) {
        double a = Math.sqrt(5);
        double gain = Math.sqrt(2.0 / (1 + a * a));
        return gain * Math.sqrt(3.0 / fanIn);
    }

    public static double biasBound(int fanIn) {
        return 1.0 / Math.sqrt(fanIn);
    }

    /**
     * Initialises every weighted layer of {@code model} in order, each weight then its bias, exactly as building
     * the model with {@code rng} would have: {@code pytorchDefault(built without a generator, new Rng(s))} equals
     * the model built with {@code new Rng(s)}, bit for bit.
     */
    public static void pytorchDefault(Module model, Rng rng) {
        if (model instanceof WeightedModule w) {
            w.resetParameters(rng);
        } else if (model instanceof Sequential s) {
            for (Module m : s.layers()) pytorchDefault(m, rng);
        }
    }

    /** A {@code rows × cols} fp32 storage filled with U(−bound, bound). */
    static FloatStorage uniform(Rng rng, int rows, int cols, double bound) {
        float[] v = new float[Math.multiplyExact(rows, cols)];
        float b = (float) bound;
        for (int i = 0; i < v.length; i++) v[i] = rng.uniform(-b, b);
        return new FloatStorage(rows, cols, v);
    }
}
