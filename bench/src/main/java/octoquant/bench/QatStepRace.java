package octoquant.bench;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;


/**
 * QAT training against float training on a shared, loaded machine: the same model (MLP or seed CNN,
 * Adam, batch 64, the {@link TrainStepFixture} step) once in float and once per QAT scheme, taking turns
 * round after round so that load changes hit every scheme alike. Prints each scheme's median time per
 * step and its ratio to float; the issue-6 goal is ≤ 1.15. Usage: {@code java --add-modules
 * jdk.incubator.vector -cp benchmarks.jar octoquant.bench.QatStepRace mlp|cnn rounds threads scheme...}
 * (float is always included), e.g. {@code mlp 15 2 quant8 octal8 int8-pc int4-pc}.
 */
public final class QatStepRace {
    private QatStepRace() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: QatStepRace mlp|cnn rounds threads scheme... (e.g. mlp 15 2 quant8 int8-pc)");
            System.exit(2);
        }
        String model = args[0];
        int rounds = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.parseInt(args[2]));
        int schemes = args.length - 2;
        String[] names = new String[schemes];
        names[0] = "float";
        System.arraycopy(args, 3, names, 1, schemes - 1);
        TrainStepFixture[] fixtures = new TrainStepFixture[schemes];
        for (int s = 0; s < schemes; s++) {
            fixtures[s] = new TrainStepFixture(model, 3);
            Quantization.prepare(fixtures[s].net, QuantScheme.parse(names[s]), TrainingMode.QAT, 5);
        }
        int batch = 64;
        Rng data = new Rng(9);
        float[] images = new float[batch * fixtures[0].imageSize()];
        TrainStepFixture.fillGaussian(data, images);
        Tensor x = fixtures[0].batch(images, batch);
        int[] labels = TrainStepFixture.randomLabels(data, batch);
        int steps = model.equals("mlp") ? 100 : 4; // about the same time per turn
        double[][] stepNs = new double[schemes][rounds], cpuNs = new double[schemes][rounds];
        for (int r = -3; r < rounds; r++) { // three warm-up rounds
            for (int s = 0; s < schemes; s++) {
                long t0 = System.nanoTime(), c0 = ProcessStats.processCpuNanos();
                for (int k = 0; k < steps; k++) fixtures[s].step(x, labels);
                if (r >= 0) {
                    stepNs[s][r] = (System.nanoTime() - t0) / (double) steps;
                    cpuNs[s][r] = (ProcessStats.processCpuNanos() - c0) / (double) steps;
                }
            }
        }
        RaceStats.print(model, names, "step", stepNs, cpuNs);
    }
}
