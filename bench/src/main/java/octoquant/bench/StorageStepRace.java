package octoquant.bench;

import octoquant.engine.kernels.Parallel;
import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.QuantScheme;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.UpdateStats;
import octoquant.engine.tensor.Tensor;
import octoquant.engine.util.Rng;

import java.util.Locale;

/**
 * {@code storage}-mode training against float training on a shared, loaded machine: the same model (MLP,
 * the seed CNN on 3×32×32 or, as {@code cnn28}, on 1×28×28; Adam, batch 64, the {@link TrainStepFixture}
 * step) once in float and once per scheme in the {@code storage} mode (no fp32 master: every optimizer
 * update re-quantizes the codes), taking turns round after round so that load changes hit every variant
 * alike. Prints each variant's median time per step and its ratio to float (issue 10's goal: ≤ 1.2), the
 * bytes it allocated per step, then a fingerprint of each storage-mode model after the race — the counters of its updates, their two sums
 * and a hash of every weight's code — so that two engine builds can be checked to train the same codes.
 * Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar octoquant.bench.StorageStepRace
 * mlp|cnn|cnn28 rounds threads scheme...} (float is always included), e.g. {@code mlp 15 2 quant8}. Race
 * one scheme per JVM, as a real run trains one (several make the storage call sites megamorphic).
 */
public final class StorageStepRace {
    private StorageStepRace() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: StorageStepRace mlp|cnn|cnn28 rounds threads scheme... (e.g. mlp 15 2 quant8)");
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
            Quantization.prepare(fixtures[s].net, QuantScheme.parse(names[s]), TrainingMode.STORAGE, 5);
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
        for (int r = -3; r < rounds; r++) { // three warm-up rounds
            for (int s = 0; s < variants; s++) {
                long t0 = System.nanoTime(), c0 = ProcessStats.processCpuNanos(), a0 = allocatedBytes();
                for (int k = 0; k < steps; k++) fixtures[s].step(x, labels);
                if (r >= 0) {
                    stepNs[s][r] = (System.nanoTime() - t0) / (double) steps;
                    cpuNs[s][r] = (ProcessStats.processCpuNanos() - c0) / (double) steps;
                    allocated[s] += allocatedBytes() - a0;
                }
            }
        }
        RaceStats.print(model, names, "step", stepNs, cpuNs);
        for (int s = 0; s < variants; s++) {
            System.out.printf(Locale.ROOT, "%-5s %-9s allocated %.1f KB per step (all threads)%n", model, names[s],
                    allocated[s] / 1024.0 / ((double) rounds * steps));
        }
        for (int s = 1; s < variants; s++) {
            UpdateStats t = Quantization.totalUpdates(fixtures[s].net.parameters());
            System.out.printf(Locale.ROOT, "%-5s %-9s fingerprint: weights %d applied %d lost %d crossed %d clipped %d"
                            + " requested %s realized %s codes %016x%n", model, names[s], t.weights(), t.applied(),
                    t.lost(), t.crossed(), t.clipped(), Double.toHexString(t.requested()),
                    Double.toHexString(t.realized()), codeHash(fixtures[s]));
        }
    }

    /** Bytes allocated so far by the live threads (the team's workers included), or 0 when the JVM cannot tell. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean t)) return 0;
        long sum = 0;
        for (long b : t.getThreadAllocatedBytes(mx.getAllThreadIds())) sum += Math.max(0, b);
        return sum;
    }

    /** A hash of every quantized parameter's codes, in parameter and index order. */
    private static long codeHash(TrainStepFixture f) {
        long h = 1125899906842597L;
        for (Parameter p : f.net.parameters()) {
            if (!(p.storage() instanceof QuantizedStorage q)) continue;
            for (int i = 0; i < q.length(); i++) h = 31 * h + q.code(i);
        }
        return h;
    }
}
