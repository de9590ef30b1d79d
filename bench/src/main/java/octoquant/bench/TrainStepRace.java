package octoquant.bench;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

/**
 * The race {@link QatStepRace} and {@link StorageStepRace} share: the same model (Adam, batch 64, the
 * {@link TrainStepFixture} step) once in float and once per scheme in one training mode, taking turns round
 * after round (three warm-up rounds first) so that load changes hit every variant alike.
 */
final class TrainStepRace {
    /** Per variant (float first, then the schemes): wall and process CPU nanoseconds per step of each round, bytes allocated. */
    record Result(String model, String[] names, TrainStepFixture[] fixtures, double[][] stepNs, double[][] cpuNs,
                  long[] allocated, int rounds, int steps) {}

    private TrainStepRace() {}

    /** {@code args}: model rounds threads scheme...; exits with a usage line naming {@code race} when they are too few. */
    static Result run(String race, TrainingMode mode, String[] args) {
        if (args.length < 4) {
            System.err.println("usage: " + race + " mlp|cnn|cnn28 rounds threads scheme... (e.g. mlp 15 2 quant8)");
            System.exit(2);
        }
        String model = args[0];
        int rounds = Integer.parseInt(args[1]);
        Parallel.setThreads(Integer.parseInt(args[2]));
        int variants = args.length - 2;
        String[] names = new String[variants];
        names[0] = "float";
        System.arraycopy(args, 3, names, 1, variants - 1);
        TrainStepFixture[] fixtures = new TrainStepFixture[variants];
        for (int s = 0; s < variants; s++) {
            fixtures[s] = new TrainStepFixture(model, 3);
            Quantization.prepare(fixtures[s].net, QuantScheme.parse(names[s]), mode, 5);
        }
        int batch = 64;
        Rng data = new Rng(9);
        float[] images = new float[batch * fixtures[0].imageSize()];
        TrainStepFixture.fillGaussian(data, images);
        Tensor x = fixtures[0].batch(images, batch);
        int[] labels = TrainStepFixture.randomLabels(data, batch);
        int steps = model.equals("mlp") ? 100 : model.equals("cnn28") ? 8 : 4; // about the same time per turn
        double[][] stepNs = new double[variants][rounds], cpuNs = new double[variants][rounds];
        long[] allocated = new long[variants];
        for (int r = -3; r < rounds; r++) {
            for (int s = 0; s < variants; s++) {
                long a0 = allocatedBytes();
                long t0 = System.nanoTime(), c0 = ProcessStats.processCpuNanos();
                for (int k = 0; k < steps; k++) fixtures[s].step(x, labels);
                long t1 = System.nanoTime(), c1 = ProcessStats.processCpuNanos();
                if (r >= 0) {
                    stepNs[s][r] = (t1 - t0) / (double) steps;
                    cpuNs[s][r] = (c1 - c0) / (double) steps;
                    allocated[s] += allocatedBytes() - a0;
                }
            }
        }
        return new Result(model, names, fixtures, stepNs, cpuNs, allocated, rounds, steps);
    }

    /** Bytes allocated so far by the live threads (the team's workers included), or 0 when the JVM cannot tell. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean t)) return 0;
        long sum = 0;
        for (long b : t.getThreadAllocatedBytes(mx.getAllThreadIds())) sum += Math.max(0, b);
        return sum;
    }
}
