package octoquant.engine.optim;

import octoquant.engine.param.Parameter;
import octoquant.engine.param.ParameterMode;
import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.WeightStorage;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The optimizers against double-precision transcriptions of the algorithms as PyTorch's documentation
 * states them (torch.optim.SGD / Adam / AdamW pseudo-code), over several steps with changing gradients.
 */
class OptimizerTest {
    private static final int N = 37;
    private static final int STEPS = 5;

    /** Gradient of step t (fixed random numbers, depending on the current weights so the paths must agree). */
    private static double[] gradient(int t, double[] w) {
        Rng rng = new Rng(100 + t);
        double[] g = new double[w.length];
        for (int i = 0; i < g.length; i++) g[i] = rng.nextGaussian() + 0.5 * w[i];
        return g;
    }

    private static double[] initial() {
        Rng rng = new Rng(7);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) w[i] = (float) rng.nextGaussian();
        return w;
    }

    /** Runs the engine optimizer for STEPS steps on one parameter with the given storage. */
    private static float[] runEngine(WeightStorage storage, Function<List<Parameter>, Optimizer> make) {
        double[] w0 = initial();
        float[] f = new float[N];
        for (int i = 0; i < N; i++) f[i] = (float) w0[i];
        storage.encodeFrom(f);
        Parameter p = new Parameter("w", new int[] {N}, storage);
        Optimizer opt = make.apply(List.of(p));
        for (int t = 1; t <= STEPS; t++) {
            float[] cur = storage.decodeAll();
            double[] wd = new double[N];
            for (int i = 0; i < N; i++) wd[i] = cur[i];
            double[] g = gradient(t, wd);
            opt.zeroGrad();
            for (int i = 0; i < N; i++) p.grad()[i] = (float) g[i];
            opt.step();
        }
        return storage.decodeAll();
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < N; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), "weight " + i);
        }
    }

    private static double[] referenceSgd(double lr, double mu, double damp, double wd, boolean nesterov) {
        double[] w = initial();
        double[] buf = null;
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gradient(t, w);
            for (int i = 0; i < N; i++) g[i] += wd * w[i];
            if (mu != 0) {
                if (buf == null) buf = g.clone();
                else for (int i = 0; i < N; i++) buf[i] = mu * buf[i] + (1 - damp) * g[i];
                if (nesterov) for (int i = 0; i < N; i++) g[i] += mu * buf[i];
                else g = buf.clone();
            }
            for (int i = 0; i < N; i++) w[i] -= lr * g[i];
        }
        return w;
    }

    private static double[] referenceAdam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] w = initial();
        double[] m = new double[N], v = new double[N];
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gradient(t, w);
            for (int i = 0; i < N; i++) {
                if (decoupled) w[i] -= lr * wd * w[i];
                else g[i] += wd * w[i];
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return w;
    }

    @Test
    void plainSgd() {
        assertClose(referenceSgd(0.1, 0, 0, 0, false), runEngine(new FloatStorage(1, N), ps -> new Sgd(ps, 0.1)));
    }

    @Test
    void sgdWithMomentumDampeningAndWeightDecay() {
        assertClose(referenceSgd(0.05, 0.9, 0.1, 1e-2, false),
                runEngine(new FloatStorage(1, N), ps -> new Sgd(ps, 0.05, 0.9, 0.1, 1e-2, false)));
    }

    @Test
    void sgdNesterovWithWeightDecay() {
        assertClose(referenceSgd(0.1, 0.9, 0, 1e-4, true),
                runEngine(new FloatStorage(1, N), ps -> new Sgd(ps, 0.1, 0.9, 0, 1e-4, true)));
    }

    @Test
    void adamWithBiasCorrection() {
        assertClose(referenceAdam(1e-2, 0.9, 0.999, 1e-8, 0, false),
                runEngine(new FloatStorage(1, N), ps -> new Adam(ps, 1e-2)));
    }

    /**
     * The no-decay Adam path runs on the active backend's vectorised kernel, split over the threads for
     * large parameters: the weights after a few steps are the same bits for 1, 2 and 3 threads, and the
     * vectorised kernel gives the same bits as the scalar backend's element-by-element loop.
     */
    @Test
    void adamIsBitIdenticalForAnyThreadCountAndMatchesTheScalarLoop() {
        int size = 100_003; // several parallel chunks and a vector tail
        float[] first = null;
        int saved = octoquant.engine.kernels.Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                octoquant.engine.kernels.Parallel.setThreads(threads);
                float[] w = runAdamSteps(size, ps -> new Adam(ps, 1e-3));
                if (first == null) first = w;
                else assertArrayEquals(first, w, threads + " threads");
            }
        } finally {
            octoquant.engine.kernels.Parallel.setThreads(saved);
        }
        octoquant.engine.kernels.Kernels scalar = octoquant.engine.kernels.VectorizationProvider.scalar().kernels();
        Rng rng = new Rng(5);
        float[] g = new float[size], m = new float[size], v = new float[size];
        for (int i = 0; i < size; i++) {
            g[i] = (float) rng.nextGaussian();
            m[i] = (float) rng.nextGaussian() * 0.1f;
            v[i] = Math.abs((float) rng.nextGaussian()) * 0.01f;
        }
        float[] m2 = m.clone(), v2 = v.clone(), d1 = new float[size], d2 = new float[size];
        scalar.adamUpdate(g, m, v, d1, 0, size, 0.9f, 0.999f, 0.01f, 0.3f, 1e-8f);
        octoquant.engine.kernels.VectorizationProvider.get().kernels().adamUpdate(g, m2, v2, d2, 0, size, 0.9f, 0.999f, 0.01f, 0.3f, 1e-8f);
        assertArrayEquals(d1, d2, "delta: active backend vs scalar");
        assertArrayEquals(m, m2, "first moment");
        assertArrayEquals(v, v2, "second moment");
    }

    private static float[] runAdamSteps(int size, Function<List<Parameter>, Optimizer> make) {
        FloatStorage storage = new FloatStorage(1, size);
        Rng rng = new Rng(3);
        float[] w0 = new float[size];
        for (int i = 0; i < size; i++) w0[i] = (float) rng.nextGaussian();
        storage.encodeFrom(w0);
        Parameter p = new Parameter("w", new int[] {size}, storage);
        Optimizer opt = make.apply(List.of(p));
        for (int t = 1; t <= 3; t++) {
            opt.zeroGrad();
            float[] cur = storage.decodeAll();
            for (int i = 0; i < size; i++) p.grad()[i] = (float) rng.nextGaussian() + 0.5f * cur[i];
            opt.step();
        }
        return storage.decodeAll();
    }

    @Test
    void adamWithL2WeightDecayAndAdamW() {
        assertClose(referenceAdam(1e-2, 0.8, 0.99, 1e-6, 0.1, false),
                runEngine(new FloatStorage(1, N), ps -> new Adam(ps, 1e-2, 0.8, 0.99, 1e-6, 0.1, false)));
        assertClose(referenceAdam(1e-2, 0.9, 0.999, 1e-8, 0.1, true),
                runEngine(new FloatStorage(1, N), ps -> Adam.adamW(ps, 1e-2, 0.1)));
    }

    /** fp32 behind an interface without a float view: weight decay must decode, updates go through applyUpdate. */
    private static final class NoViewStorage implements WeightStorage {
        final FloatStorage inner = new FloatStorage(1, N);
        int updates;

        public int rows() { return 1; }
        public int cols() { return N; }
        public void decodeRows(int row0, int count, float[] dst, int dstOff) { inner.decodeRows(row0, count, dst, dstOff); }
        public void applyUpdate(float[] delta) { updates++; inner.applyUpdate(delta); }
        public void encodeFrom(float[] values) { inner.encodeFrom(values); }
        public long sizeInBytes() { return inner.sizeInBytes(); }
        public String describe() { return "no-view"; }
    }

    @Test
    void storagesWithoutAFloatViewAreDecodedForWeightDecay() {
        NoViewStorage s = new NoViewStorage();
        assertClose(referenceSgd(0.05, 0.9, 0.1, 1e-2, false), runEngine(s, ps -> new Sgd(ps, 0.05, 0.9, 0.1, 1e-2, false)));
        assertEquals(STEPS, s.updates);
        NoViewStorage a = new NoViewStorage();
        assertClose(referenceAdam(1e-2, 0.9, 0.999, 1e-8, 0.1, true), runEngine(a, ps -> Adam.adamW(ps, 1e-2, 0.1)));
    }

    @Test
    void stepPreparesGradientsAndSkipsFrozenParameters() {
        int[] prepared = {0};
        ParameterMode counting = new ParameterMode() {
            @Override
            public WeightStorage computeWeights(Parameter p) {
                return p.storage();
            }

            @Override
            public void prepareGradient(Parameter p) {
                prepared[0]++;
                p.grad()[0] = 0f; // an STE-like mask: this weight must not move
            }
        };
        Parameter a = new Parameter("a", new int[] {2}, new FloatStorage(1, 2, new float[] {1, 1}));
        a.setMode(counting);
        Parameter frozen = new Parameter("b", new int[] {2}, new FloatStorage(1, 2, new float[] {1, 1}));
        frozen.setTrainable(false);
        Sgd sgd = new Sgd(List.of(a, frozen), 0.5);
        a.grad()[0] = 1f;
        a.grad()[1] = 1f;
        frozen.grad()[0] = 1f;
        sgd.step();
        assertEquals(1, prepared[0]);
        assertArrayEquals(new float[] {1f, 0.5f}, a.storage().decodeAll());
        assertArrayEquals(new float[] {1f, 1f}, frozen.storage().decodeAll());
        sgd.zeroGrad();
        assertArrayEquals(new float[] {0f, 0f}, a.grad());
        assertArrayEquals(new float[] {0f, 0f}, frozen.grad());
    }

    @Test
    void badHyperparametersAreRejected() {
        List<Parameter> ps = List.of(new Parameter("w", new int[] {1}, new FloatStorage(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 1e-3, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Double.NaN));
    }
}
