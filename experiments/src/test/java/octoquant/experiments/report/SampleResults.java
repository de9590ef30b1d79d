package octoquant.experiments.report;

import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.GradientSeries;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.result.WeightHistogram;

/** Hand-made results with known numbers, for report tests. */
final class SampleResults {
    private SampleResults() {}

    static final double[][] FINAL_ACC = {{0.971, 0.974, 0.969}, {0.962, 0.968, 0.965}, {0.951, 0.955, Double.NaN}};
    static final String[] METHODS = {"float", "quant8", "octal8"};

    static RunResults classification() {
        RunResults r = new RunResults("mnist");
        r.config.put("epochs", 3);
        r.config.put("methods", java.util.List.of(METHODS));
        r.environment.put("jdk", "17");
        for (int m = 0; m < METHODS.length; m++) {
            MethodResult mr = r.methodOrAdd(METHODS[m], METHODS[m] + " storage");
            for (int s = 0; s < 3; s++) {
                SeedRun run = new SeedRun(s);
                for (int e = 1; e <= 3; e++) {
                    double acc = e == 3 ? FINAL_ACC[m][s] : 0.8 + 0.05 * e;
                    run.epochs.add(new EpochMetrics(e, 1.0 / e + 0.01 * s, 0.8 + 0.05 * e, 0.5 / e + 0.02 * m, acc, 1.5));
                }
                if (Double.isNaN(FINAL_ACC[m][s])) {
                    run.status = "diverged";
                    run.divergedAtEpoch = 3;
                }
                run.finalTestAccuracy = FINAL_ACC[m][s];
                run.finalTestLoss = 0.5 / 3 + 0.02 * m;
                run.imagesPerSecond = 10_000 + 1000 * s;
                run.parameterCount = 101_770;
                run.weightBytes = m == 0 ? 407_080 : 102_000;
                float[] w = new float[1000];
                for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i) * 0.1f;
                run.histograms.add(WeightHistogram.of("layer0.weight", w, 40, m == 0 ? Double.NaN : 1.0 / 255));
                mr.runs.add(run);
            }
        }
        GradientSeries g = new GradientSeries("storage int4 nearest", 4, "nearest", "storage");
        for (int i = 0; i < 10; i++) {
            g.steps.add(i * 50);
            g.loss.add(2.0 - 0.1 * i);
            g.lostFraction.add(0.9);
            g.cosine.add(0.8);
        }
        g.histograms.add(WeightHistogram.of("layer0.weight", new float[] {0.1f, -0.2f, 0.3f}, 10, 1.0 / 15));
        g.histogramEpochs.add(0);
        g.finalTestAccuracy = 0.5;
        r.gradients.add(g);
        return r;
    }
}
