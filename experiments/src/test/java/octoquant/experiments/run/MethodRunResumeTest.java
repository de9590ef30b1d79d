package octoquant.experiments.run;

import octoquant.experiments.cli.Experiment;
import octoquant.experiments.cli.Options;
import octoquant.experiments.result.EpochMetrics;
import octoquant.experiments.result.SeedRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resume is exact for every storage and mode, stochastic rounding included: a run stopped after epoch 1
 * and continued from its checkpoint ends with the numbers of the uninterrupted run.
 */
class MethodRunResumeTest {
    private static final Progress QUIET = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);

    private static Options options(String mode, int epochs) {
        Options o = new Options();
        o.experiment = Experiment.REGRESSION;
        o.epochs = epochs;
        o.mode = mode;
        o.lr = 1e-2;
        o.batchSize = 100;
        return o;
    }

    @ParameterizedTest(name = "{0} in {1} mode")
    @CsvSource({"int4-stochastic, storage", "octal8, storage", "int8, storage", "int6-pc-minmax-stochastic, qat",
        "quant8, qat", "int4-pc, ptq", "float, qat"})
    void resumedRunEqualsUninterruptedRun(String method, String mode, @TempDir Path tmp) throws Exception {
        Task task = new RegressionTask(100);
        Options full = options(mode, 3);
        byte[] hash = RunConfig.hash(full);
        SeedRun whole = new MethodRun(task, full, method, 4, tmp.resolve("whole.ckpt"), hash, QUIET).run();

        Path ckpt = tmp.resolve("broken.ckpt");
        SeedRun firstEpoch = new MethodRun(task, options(mode, 1), method, 4, ckpt, hash, QUIET).run();
        assertEquals(1, firstEpoch.epochs.size());
        SeedRun resumed = new MethodRun(task, full, method, 4, ckpt, hash, QUIET).run();

        assertEquals(3, resumed.epochs.size());
        for (int e = 0; e < 3; e++) {
            EpochMetrics a = whole.epochs.get(e), b = resumed.epochs.get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), 0.0, "train loss, epoch " + (e + 1));
            assertEquals(a.testLoss(), b.testLoss(), 0.0, "test loss, epoch " + (e + 1));
        }
        assertEquals(whole.finalTestLoss, resumed.finalTestLoss, 0.0);
        assertEquals(whole.weightBytes, resumed.weightBytes);
        // The run really learned something, so equal numbers are not two untouched models.
        assertTrue(whole.epochs.get(2).trainLoss() < whole.epochs.get(0).trainLoss() || mode.equals("storage"));
    }
}
