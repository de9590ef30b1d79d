package octoquant.engine.quant;

import octoquant.engine.storage.FloatStorage;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.UpdateStats;

import octoquant.engine.param.Parameter;
import octoquant.engine.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Storage-mode training on a real least-squares problem (y = X·w* + noise, 16 features, full batch, plain
 * gradient descent): the codes are the weights, so an update smaller than half a grid step vanishes
 * under nearest rounding, and stochastic rounding keeps it in expectation.
 */
class StorageDynamicsTest {
    static final int N = 256, D = 16, STEPS = 3000;
    static final float LR = 1e-4f;

    record Run(double initialLoss, double finalLoss, UpdateStats total, float[] weights) {}

    static Run train(String scheme) {
        Rng rng = new Rng(2024);
        float[] x = new float[N * D];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * 3); // feature variance 9
        float[] wStar = new float[D];
        for (int j = 0; j < D; j++) wStar[j] = (float) (rng.nextGaussian() * 0.3);
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            double s = 0;
            for (int j = 0; j < D; j++) s += x[i * D + j] * wStar[j];
            y[i] = (float) (s + 0.01 * rng.nextGaussian());
        }
        Parameter w = new Parameter("w", new int[] {1, D}, new FloatStorage(1, D)); // starts at 0
        Quantization.prepare(List.of(w), QuantScheme.parse(scheme), TrainingMode.STORAGE, 7);
        double initial = loss(w, x, y);
        float[] delta = new float[D];
        for (int step = 0; step < STEPS; step++) {
            float[] wv = w.computeWeights().decodeAll();
            float[] g = new float[D];
            for (int i = 0; i < N; i++) {
                double r = -y[i];
                for (int j = 0; j < D; j++) r += x[i * D + j] * wv[j];
                for (int j = 0; j < D; j++) g[j] += (float) (2 * r * x[i * D + j] / N);
            }
            for (int j = 0; j < D; j++) delta[j] = -LR * g[j];
            w.storage().applyUpdate(delta);
        }
        UpdateStats total = w.storage() instanceof QuantizedStorage q ? q.totalUpdates() : UpdateStats.NONE;
        return new Run(initial, loss(w, x, y), total, w.storage().decodeAll());
    }

    static double loss(Parameter w, float[] x, float[] y) {
        float[] wv = w.computeWeights().decodeAll();
        double l = 0;
        for (int i = 0; i < N; i++) {
            double r = -y[i];
            for (int j = 0; j < D; j++) r += x[i * D + j] * wv[j];
            l += r * r;
        }
        return l / N;
    }

    @Test
    void nearestRoundingLosesTheUpdatesAndStochasticRoundingTrains() {
        Run fp32 = train("float");
        Run nearest = train("quant8");
        Run stochastic = train("int8-fixed-stochastic");

        System.out.printf("storage dynamics (lr 1e-4, %d steps): fp32 %s%n  quant8 %s%n  int8-fixed-stochastic %s%n", STEPS, fp32, nearest, stochastic);
        // the reference: fp32 with the same learning rate converges
        assertTrue(fp32.finalLoss() < 0.05 * fp32.initialLoss(), "fp32 " + fp32);

        // nearest on the fixed 8-bit grid: every step asks for |δ| ≈ lr·|g| ≤ 1e-4·O(10) < step/2 = 1/510
        assertTrue(nearest.total().lostFraction() > 0.99, "lost fraction " + nearest.total());
        assertTrue(nearest.total().applied() < 0.01 * nearest.total().weights(), nearest.total().toString());
        assertEquals(0, nearest.total().crossed());
        assertTrue(nearest.finalLoss() > 0.9 * nearest.initialLoss(), "nearest stalls: " + nearest);

        // stochastic: each code moves with probability |δ|/step, so the expected update survives
        assertTrue(stochastic.total().applied() > 0.01 * stochastic.total().weights(), stochastic.total().toString());
        assertTrue(stochastic.finalLoss() < 0.1 * stochastic.initialLoss(), "stochastic trains: " + stochastic);
        assertEquals(stochastic.total().requested(), stochastic.total().realized(),
                0.15 * stochastic.total().requested(), "realized ≈ requested in expectation");
    }

    @Test
    void towardZeroTruncationDragsWeightsToZero() {
        Run zero = train("int8-fixed-zero");
        Run fp32 = train("float");
        double normZero = 0, normFp = 0;
        for (int j = 0; j < D; j++) {
            normZero += Math.abs(zero.weights()[j]);
            normFp += Math.abs(fp32.weights()[j]);
        }
        // every negative-going update of a positive weight (and vice versa) costs a whole step, while
        // updates away from zero vanish: the weights cannot leave the dead zone around 0
        assertTrue(normZero < 0.2 * normFp, "toward zero |w|₁ " + normZero + " vs fp32 " + normFp);
        assertTrue(zero.finalLoss() > 0.9 * zero.initialLoss(), "toward zero stalls: " + zero);
    }
}
