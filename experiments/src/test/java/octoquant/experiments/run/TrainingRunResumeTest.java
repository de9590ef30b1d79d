package octoquant.experiments.run;

import octoquant.engine.quant.TrainingMode;
import octoquant.experiments.grid.Probes;
import octoquant.experiments.grid.RunSetConfig;
import octoquant.experiments.grid.RunSpec;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.MechanismRecord;
import octoquant.experiments.result.SeedRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resume is exact for every storage and mode, stochastic rounding included: a run stopped after epoch 1
 * and continued from its checkpoint ends with the numbers of the uninterrupted run, probes' records included.
 */
class TrainingRunResumeTest {
    static final Progress QUIET = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);

    static RunSpec spec(String method, String mode, int epochs, Probes probes, OptimizerKind optimizer) {
        TrainingMode m = TrainingMode.parse(mode);
        RunSetConfig c = new RunSetConfig("regression", epochs, 1, 4, 100, 1e-2, optimizer, List.of(Method.parse(method)),
                m, "mlp-10-64-1", 0, 0, RunSetConfig.Trainable.ALL, probes);
        return new RunSpec("", c, List.of(Method.parse(method)), m, 4);
    }

    @ParameterizedTest(name = "{0} in {1} mode")
    @CsvSource({"int4-stochastic, storage", "octal8, storage", "int8, storage", "int6-pc-minmax-stochastic, qat",
        "quant8, qat", "int4-pc, ptq", "float, qat"})
    void resumedRunEqualsUninterruptedRun(String method, String mode, @TempDir Path tmp) throws Exception {
        Task task = new RegressionTask(100);
        RunSpec full = spec(method, mode, 3, Probes.ALL, OptimizerKind.ADAM);
        SeedRun whole = new TrainingRun(task, full, tmp.resolve("whole.ckpt"), QUIET, probes()).run().get(0);

        Path ckpt = tmp.resolve("broken.ckpt");
        // Killed in the middle of epoch 2: the checkpoint after epoch 1 is what is left.
        List<TrainingProbe> killed = new java.util.ArrayList<>(probes());
        killed.add(new Kill(task.trainSize() / 100 + 3));
        assertThrows(Killed.class, () -> new TrainingRun(task, full, ckpt, QUIET, killed).run());
        SeedRun resumed = new TrainingRun(task, full, ckpt, QUIET, probes()).run().get(0);

        assertEquals(3, resumed.epochs.size());
        for (int e = 0; e < 3; e++) {
            EpochMetrics a = whole.epochs.get(e), b = resumed.epochs.get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), 0.0, "train loss, epoch " + (e + 1));
            assertEquals(a.testLoss(), b.testLoss(), 0.0, "test loss, epoch " + (e + 1));
        }
        assertEquals(whole.finalTestLoss, resumed.finalTestLoss, 0.0);
        assertEquals(whole.weightBytes, resumed.weightBytes);
        assertEquals(whole.trace.loss, resumed.trace.loss, "trace");
        assertEquals(whole.trace.histograms.size(), resumed.trace.histograms.size());
        assertEquals(whole.mechanism.size(), resumed.mechanism.size());
        for (int i = 0; i < whole.mechanism.size(); i++) {
            MechanismRecord a = whole.mechanism.get(i), b = resumed.mechanism.get(i);
            assertEquals(a, b, "mechanism record " + i);
        }
        assertEquals(3 * 4, whole.mechanism.size(), "4 parameters × 3 epochs");
        // The run really learned something, so equal numbers are not two untouched models.
        assertTrue(whole.epochs.get(2).trainLoss() < whole.epochs.get(0).trainLoss() || mode.equals("storage"));
    }

    private static List<TrainingProbe> probes() {
        return List.of(new octoquant.experiments.probe.GradientTraceProbe(
                new octoquant.experiments.result.GradientSeries("t", 8, "nearest", "qat")),
                new octoquant.experiments.probe.MechanismProbe());
    }

    /**
     * Rewrites a checkpoint's configuration hash (bytes 10-41, after the magic and the version) and its
     * checksum, as if it had been written under {@code c}.
     */
    static void retag(Path ckpt, RunSetConfig c) throws Exception {
        byte[] data = java.nio.file.Files.readAllBytes(ckpt);
        System.arraycopy(c.hash(), 0, data, 10, 32);
        int body = data.length - 32;
        byte[] sum = java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(data, body));
        System.arraycopy(sum, 0, data, body, 32);
        java.nio.file.Files.write(ckpt, data);
    }

    static final class Killed extends RuntimeException {}

    /** Stops the run like a kill would, after {@code step} batches. */
    record Kill(long step) implements TrainingProbe {
        public String name() {
            return "kill";
        }

        public void attach(Context context) {}

        public void afterUpdate(long s, double loss) {
            if (s == step) throw new Killed();
        }

        public Object saveState() {
            return java.util.Map.of();
        }

        public void restoreState(Object state) {}

        public void finish(SeedRun result) {}
    }
}
