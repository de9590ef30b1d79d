package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.MethodResult;
import octoquant.experiments.result.RunResults;
import octoquant.experiments.result.SeedRun;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audits built from constructed per-seed numbers, for the verdict rules. */
final class AuditFixtures {
    private AuditFixtures() {}

    /** A main run set of the Fashion-MNIST CNN in {@code mode} with quant8 and octal8. */
    static PlannedSet cnnSet(TrainingMode mode, int epochs, int seeds) {
        List<String> methods = mode == TrainingMode.PTQ ? List.of("float", "quant8", "octal8") : List.of("quant8", "octal8");
        return PlannedSet.of("fashion-mnist-cnn-" + mode.token(), PlannedSet.Role.MAIN, "fashion-mnist", "cnn", mode, methods,
                epochs, 1000, 500, PlannedSet.SEED_LR, RunSetConfig.Trainable.ALL, seeds);
    }

    static AuditConfig config(List<PlannedSet> sets) {
        return new AuditConfig(Budget.QUICK, sets.get(0).config().seeds(), Overrides.NONE, null, 0, sets, List.of());
    }

    /** A finished run: test accuracy {@code acc} points, the training losses per epoch. */
    static SeedRun run(int seed, double acc, double... trainLoss) {
        SeedRun r = new SeedRun(seed);
        for (int e = 0; e < trainLoss.length; e++) {
            r.epochs.add(new EpochMetrics(e + 1, trainLoss[e], 0.5, 0.4, acc / 100, 1.0));
        }
        r.finalTestAccuracy = acc / 100;
        r.finalTestLoss = 0.4;
        r.imagesPerSecond = 1000;
        r.parameterCount = 10;
        r.weightBytes = 20;
        return r;
    }

    /** Results of one set: quant8 at {@code quant[i]} and octal8 at {@code octal[i]} points for seed i. */
    static RunResults results(double[] quant, double[] octal) {
        RunResults r = new RunResults("fashion-mnist");
        MethodResult q = r.methodOrAdd("quant8", ""), o = r.methodOrAdd("octal8", "");
        for (int i = 0; i < quant.length; i++) {
            q.runs.add(run(i, quant[i], 2.0, 1.9));
            o.runs.add(run(i, octal[i], 2.0, 1.9));
        }
        return r;
    }

    /** Evidence from a claim-1 audit with one result per set (null: the set did not finish any run). */
    static Evidence evidence(Map<TrainingMode, RunResults> bySet, int seeds) {
        Map<String, RunResults> m = new LinkedHashMap<>();
        List<PlannedSet> sets = new java.util.ArrayList<>();
        for (Map.Entry<TrainingMode, RunResults> e : bySet.entrySet()) {
            PlannedSet s = cnnSet(e.getKey(), 2, seeds);
            sets.add(s);
            m.put(s.name(), e.getValue());
        }
        return new Evidence(config(sets), m, x -> x.equals("cifar10") ? "CIFAR-10 not found (downloads disabled); put it there" : null);
    }

    static ClaimVerdict claim(List<ClaimVerdict> all, int id) {
        return all.stream().filter(v -> v.claim().id() == id).findFirst().orElseThrow();
    }
}
