package octoquant.experiments.audit;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.grid.Probes;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.probe.MechanismProbe;
import octoquant.experiments.result.SeedRun;
import octoquant.experiments.run.Method;
import octoquant.experiments.run.OptimizerKind;
import octoquant.experiments.run.Progress;
import octoquant.experiments.run.RegressionTask;
import octoquant.experiments.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Why the audit trains fp32 once per seed, in its ptq run set: fp32 trained in qat mode, in storage mode and as
 * the ptq run's training gives the same numbers bit for bit, mechanism records included, so the float run of
 * one set is the float run of every set.
 */
class FloatAcrossModesTest {
    static final Progress QUIET = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);

    static SeedRun train(TrainingMode mode, List<String> methods, Path ckpt) throws Exception {
        List<Method> ms = methods.stream().map(Method::parse).toList();
        RunSetConfig c = new RunSetConfig("regression", 3, 1, 7, 50, 1e-2, OptimizerKind.ADAM, ms, mode, "mlp-10-64-1", 0, 0,
                RunSetConfig.Trainable.ALL, Probes.MECHANISM);
        return new TrainingRun(new RegressionTask(50), new RunSpec("", c, ms, mode, 7), ckpt, QUIET,
                List.of(new MechanismProbe())).run().get(0);
    }

    @Test
    void floatTrainsIdenticallyInEveryMode(@TempDir Path tmp) throws Exception {
        SeedRun ptq = train(TrainingMode.PTQ, List.of("float", "quant8", "octal8"), tmp.resolve("ptq.ckpt"));
        SeedRun qat = train(TrainingMode.QAT, List.of("float"), tmp.resolve("qat.ckpt"));
        SeedRun storage = train(TrainingMode.STORAGE, List.of("float"), tmp.resolve("storage.ckpt"));
        assertEquals(3, ptq.epochs.size());
        assertFalse(ptq.mechanism.isEmpty());
        assertEquals(java.util.Optional.empty(), ControlCheck.firstDifference(ptq, qat));
        assertEquals(java.util.Optional.empty(), ControlCheck.firstDifference(ptq, storage));
    }
}
