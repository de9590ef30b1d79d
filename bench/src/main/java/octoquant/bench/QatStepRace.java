package octoquant.bench;

import octoquant.engine.quant.TrainingMode;

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
        TrainStepRace.Result r = TrainStepRace.run("QatStepRace", TrainingMode.QAT, args);
        RaceStats.print(r.model(), r.names(), "step", r.stepNs(), r.cpuNs());
    }
}
