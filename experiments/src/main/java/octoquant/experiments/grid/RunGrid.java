package octoquant.experiments.grid;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.run.Method;

import java.util.ArrayList;
import java.util.List;

/** The runs a run set is made of. */
public final class RunGrid {
    private RunGrid() {}

    /**
     * Every method with every seed of {@code config}, method by method; in ptq mode one run per seed that
     * quantizes its fp32 training with every method.
     */
    public static List<RunSpec> of(RunSetConfig config, String runSet) {
        List<RunSpec> specs = new ArrayList<>();
        if (config.mode() == TrainingMode.PTQ) {
            for (int seed : config.seedList()) specs.add(new RunSpec(runSet, config, config.methods(), TrainingMode.PTQ, seed));
            return specs;
        }
        for (Method m : config.methods()) {
            for (int seed : config.seedList()) specs.add(new RunSpec(runSet, config, List.of(m), config.mode(), seed));
        }
        return specs;
    }
}
