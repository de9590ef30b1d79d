package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.grid.Probes;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.OptimizerKind;

import java.util.List;

/**
 * One run set of an audit: its folder name, what role it plays for the claims, and the configuration its runs
 * share. Every set records the mechanism statistics.
 *
 * @param name the folder under the audit's output folder, e.g. {@code fashion-mnist-cnn-storage}
 * @param role what the claims read it for
 */
public record PlannedSet(String name, Role role, RunSetConfig config) {

    /** What a run set is for. */
    public enum Role {
        /** The claims' runs: one data set, model and mode at the seed's learning rate. */
        MAIN,
        /** A ptq training stopped at the claim's early epoch (claim 2: the gap at 5 epochs under ptq). */
        PTQ_EARLY,
        /** Weights frozen at their initial values, biases trained in fp32. */
        BIAS_ONLY,
        /** Storage mode at another learning rate (the half-step threshold). */
        LR_SWEEP;

        public String token() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static Role parse(String s) {
            for (Role r : values()) if (r.token().equals(s)) return r;
            throw new IllegalArgumentException("unknown run-set role '" + s + "'");
        }
    }

    /** The seed's optimizer, batch size and learning rate. */
    public static final int BATCH = 64;
    public static final double SEED_LR = 1e-3;

    static PlannedSet of(String name, Role role, String experiment, String model, TrainingMode mode, List<String> methods,
                         int epochs, int limitTrain, int limitTest, double lr, RunSetConfig.Trainable trainable, int seeds) {
        List<Method> ms = methods.stream().map(Method::parse).toList();
        return new PlannedSet(name, role, new RunSetConfig(experiment, epochs, seeds, 0, BATCH, lr, OptimizerKind.ADAM, ms,
                mode, model, limitTrain, limitTest, trainable, Probes.MECHANISM));
    }

    public String experiment() {
        return config.experiment();
    }

    public String model() {
        return config.model();
    }

    public TrainingMode mode() {
        return config.mode();
    }

    public boolean hasMethod(String method) {
        return config.methods().stream().anyMatch(m -> m.name().equals(method));
    }

    PlannedSet with(RunSetConfig c) {
        return new PlannedSet(name, role, c);
    }
}
