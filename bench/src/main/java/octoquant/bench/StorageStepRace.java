package octoquant.bench;

import octoquant.engine.param.Parameter;
import octoquant.engine.quant.Quantization;
import octoquant.engine.quant.TrainingMode;
import octoquant.engine.storage.QuantizedStorage;
import octoquant.engine.storage.UpdateStats;

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
        TrainStepRace.Result r = TrainStepRace.run("StorageStepRace", TrainingMode.STORAGE, args);
        String model = r.model();
        String[] names = r.names();
        RaceStats.print(model, names, "step", r.stepNs(), r.cpuNs());
        for (int s = 0; s < names.length; s++) {
            System.out.printf(Locale.ROOT, "%-5s %-9s allocated %.1f KB per step (all threads)%n", model, names[s],
                    r.allocated()[s] / 1024.0 / ((double) r.rounds() * r.steps()));
        }
        for (int s = 1; s < names.length; s++) {
            UpdateStats t = Quantization.totalUpdates(r.fixtures()[s].net.parameters());
            System.out.printf(Locale.ROOT, "%-5s %-9s fingerprint: weights %d applied %d lost %d crossed %d clipped %d"
                            + " requested %s realized %s codes %016x%n", model, names[s], t.weights(), t.applied(),
                    t.lost(), t.crossed(), t.clipped(), Double.toHexString(t.requested()),
                    Double.toHexString(t.realized()), codeHash(r.fixtures()[s]));
        }
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
