package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.run.Method;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A budget turned into run sets, in the order they run: every set-up's storage, qat and ptq sets (the claims'
 * runs, most important set-up first), then the early-ptq sets, the bias-only controls and the learning-rate
 * sweep. Within a set the runs go seed by seed (every method of seed 0, then seed 1), so an interrupted audit
 * holds complete pairs.
 */
public final class AuditPlan {
    private AuditPlan() {}

    /**
     * The run sets of {@code budget} with {@code overrides}; {@code adaptiveLimit} is the training-set size of the
     * budget's adaptive set-ups (0: all examples).
     */
    public static List<PlannedSet> expand(Budget budget, Overrides o, int adaptiveLimit) {
        int seeds = o.seeds() > 0 ? o.seeds() : budget.seeds();
        List<PlannedSet> main = new ArrayList<>(), early = new ArrayList<>(), bias = new ArrayList<>(), sweep = new ArrayList<>();
        for (Setup s : budget.setups()) {
            boolean images = !s.experiment().equals("regression");
            int epochs = o.epochs() > 0 ? o.epochs() : s.epochs();
            int limitTrain = !images ? 0 : o.limitTrain() > 0 ? o.limitTrain() : s.limitTrain() == Setup.ADAPTIVE ? adaptiveLimit : s.limitTrain();
            int limitTest = !images ? 0 : o.limitTest() > 0 ? o.limitTest() : s.limitTest();
            String p = s.prefix();
            if (!s.storage().isEmpty()) {
                main.add(PlannedSet.of(p + "-storage", PlannedSet.Role.MAIN, s.experiment(), s.model(), TrainingMode.STORAGE,
                        s.storage(), epochs, limitTrain, limitTest, PlannedSet.SEED_LR, RunSetConfig.Trainable.ALL, seeds));
            }
            if (!s.qat().isEmpty()) {
                main.add(PlannedSet.of(p + "-qat", PlannedSet.Role.MAIN, s.experiment(), s.model(), TrainingMode.QAT,
                        s.qat(), epochs, limitTrain, limitTest, PlannedSet.SEED_LR, RunSetConfig.Trainable.ALL, seeds));
            }
            List<String> ptqMethods = List.of("float", "quant8", "octal8");
            if (s.ptq()) {
                main.add(PlannedSet.of(p + "-ptq", PlannedSet.Role.MAIN, s.experiment(), s.model(), TrainingMode.PTQ,
                        ptqMethods, epochs, limitTrain, limitTest, PlannedSet.SEED_LR, RunSetConfig.Trainable.ALL, seeds));
            }
            int e = Setup.earlyEpoch(epochs);
            if (s.ptq() && s.earlyPtq() && e < epochs) {
                early.add(PlannedSet.of(p + "-ptq-e" + e, PlannedSet.Role.PTQ_EARLY, s.experiment(), s.model(), TrainingMode.PTQ,
                        ptqMethods, e, limitTrain, limitTest, PlannedSet.SEED_LR, RunSetConfig.Trainable.ALL, seeds));
            }
            if (s.biasOnly()) {
                bias.add(PlannedSet.of(p + "-biasonly", PlannedSet.Role.BIAS_ONLY, s.experiment(), s.model(), TrainingMode.QAT,
                        List.of("float"), epochs, limitTrain, limitTest, PlannedSet.SEED_LR, RunSetConfig.Trainable.BIASES, seeds));
            }
        }
        Sweep w = budget.sweep();
        if (w != null) {
            Setup base = budget.setups().stream().filter(s -> s.experiment().equals(w.experiment()) && s.model().equals(w.model()))
                    .findFirst().orElseThrow();
            int epochs = o.epochs() > 0 ? o.epochs() : w.epochs();
            int limitTrain = o.limitTrain() > 0 ? o.limitTrain() : Math.max(0, base.limitTrain());
            int limitTest = o.limitTest() > 0 ? o.limitTest() : base.limitTest();
            for (double lr : w.learningRates()) {
                sweep.add(PlannedSet.of(base.prefix() + "-storage-lr" + lrToken(lr), PlannedSet.Role.LR_SWEEP, w.experiment(),
                        w.model(), TrainingMode.STORAGE, w.methods(), epochs, limitTrain, limitTest, lr,
                        RunSetConfig.Trainable.ALL, seeds));
            }
        }
        List<PlannedSet> all = new ArrayList<>(main);
        all.addAll(early);
        all.addAll(bias);
        all.addAll(sweep);
        return all;
    }

    static String lrToken(double lr) {
        return String.format(Locale.ROOT, "%s", java.math.BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString());
    }

    /** The runs of the sets, set after set, seed by seed within a set (one ptq run per seed trains every method). */
    public static List<RunSpec> grid(List<PlannedSet> sets) {
        List<RunSpec> specs = new ArrayList<>();
        for (PlannedSet s : sets) {
            RunSetConfig c = s.config();
            for (int seed : c.seedList()) {
                if (c.mode() == TrainingMode.PTQ) {
                    specs.add(new RunSpec(s.name(), c, c.methods(), TrainingMode.PTQ, seed));
                } else {
                    for (Method m : c.methods()) specs.add(new RunSpec(s.name(), c, List.of(m), c.mode(), seed));
                }
            }
        }
        return specs;
    }
}
