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

    /** The storage-mode methods of the synthetic run, one of each colour family and marker kind. */
    static final String[] STORAGE_METHODS = {"float", "quant8", "octal8", "int8-pc", "int4-pc-stochastic", "int8-fixed-zero"};

    /**
     * A storage-mode classification run with six methods, 3 seeds × 8 epochs, made-up but smooth curves
     * (quant8 and int8-pc end within a few hundredths of a point of each other, so the plots must zoom) and
     * one run that diverges in epoch 5.
     */
    static RunResults storageMethods() {
        RunResults r = new RunResults("fashion-mnist");
        r.config.put("experiment", "fashion-mnist");
        r.config.put("epochs", 8);
        r.config.put("seeds", 3);
        r.config.put("seedOffset", 0);
        r.config.put("batchSize", 64);
        r.config.put("methods", java.util.List.of(STORAGE_METHODS));
        r.config.put("mode", "storage");
        r.config.put("model", "mlp");
        r.environment.put("jdk", "17");
        double[] ceiling = {0.885, 0.884, 0.861, 0.8843, 0.872, 0.79};
        for (int m = 0; m < STORAGE_METHODS.length; m++) {
            MethodResult mr = r.methodOrAdd(STORAGE_METHODS[m], STORAGE_METHODS[m] + " storage");
            for (int s = 0; s < 3; s++) {
                SeedRun run = new SeedRun(s);
                boolean diverges = m == 4 && s == 2;
                for (int e = 1; e <= 8; e++) {
                    if (diverges && e == 5) {
                        run.epochs.add(new EpochMetrics(e, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1.0));
                        break;
                    }
                    double acc = ceiling[m] - 0.12 * Math.exp(-0.6 * e) + 0.002 * (s - 1) + 0.001 * Math.sin(3 * e + m);
                    double loss = 0.3 + 0.9 * Math.exp(-0.5 * e) + 0.5 * (0.885 - ceiling[m]) + 0.004 * s;
                    run.epochs.add(new EpochMetrics(e, loss * 0.9, acc + 0.02, loss, acc, 1.0));
                }
                if (diverges) {
                    run.status = "diverged";
                    run.divergedAtEpoch = 5;
                } else {
                    run.finalTestAccuracy = run.last().testAccuracy();
                    run.finalTestLoss = run.last().testLoss();
                }
                run.imagesPerSecond = 20_000;
                run.parameterCount = 101_770;
                run.weightBytes = m == 0 ? 407_080 : 110_000;
                float[] w = new float[4000];
                for (int i = 0; i < w.length; i++) w[i] = (float) (0.08 * Math.sin(0.37 * i + m) * Math.cos(0.011 * i));
                boolean grid = m == 1 || m == 2 || m == 5; // float and per-channel scales have no single grid
                double step = grid ? 1.0 / 255 : Double.NaN;
                run.histograms.add(WeightHistogram.of("layer0.weight", w, 60, step));
                if (grid) run.histograms.add(WeightHistogram.window("layer0.weight near zero", w, -8.5 * step, 8.5 * step, 17, step));
                mr.runs.add(run);
            }
        }
        return r;
    }
}
