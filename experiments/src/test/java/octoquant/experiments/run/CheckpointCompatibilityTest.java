package octoquant.experiments.run;

import octoquant.experiments.Main;
import octoquant.experiments.checkpoint.CheckpointException;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.grid.Probes;
import octoquant.experiments.grid.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checkpoints that cannot be resumed exactly are refused with one line saying what to do: one written by
 * the reflection-based version 1, and one whose engine state does not fit the objects rebuilt for the run.
 */
class CheckpointCompatibilityTest {
    private static final Progress QUIET = new Progress(new PrintStream(OutputStream.nullOutputStream()), false);

    @Test
    void versionOneCheckpointSaysToStartAgain(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, Main.run(new String[] {"regression", "--epochs", "2", "--seeds", "1", "--methods", "float",
            "--out", dir.toString()}, quiet(), quiet()));
        Files.delete(dir.resolve("results.json")); // looks interrupted
        Files.delete(dir.resolve("runs/float-seed0.json"));
        Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
        Files.write(ckpt, asVersion(Files.readAllBytes(ckpt), 1));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"regression", "--resume", dir.toString()}, quiet(),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertEquals("error: checkpoint " + ckpt + " has format version 1, written by an earlier octoquant whose saved "
                + "engine state this build (version 2) cannot read; delete it to start that run again", text.lines().findFirst().orElse(""));
        assertFalse(text.contains("\tat "), text);

        // Doing what it says works: the run starts again and finishes.
        Files.delete(ckpt);
        assertEquals(0, Main.run(new String[] {"regression", "--resume", dir.toString()}, quiet(), quiet()));
        assertTrue(Files.exists(dir.resolve("results.json")));
    }

    @Test
    void optimizerStateOfAnotherKindIsRefused(@TempDir Path tmp) throws Exception {
        Task task = new RegressionTask(100);
        RunSpec adam = TrainingRunResumeTest.spec("int4-stochastic", "storage", 1, Probes.NONE, OptimizerKind.ADAM);
        Path ckpt = tmp.resolve("a.ckpt");
        new TrainingRun(task, adam, ckpt, QUIET, List.of()).run();
        // Another optimizer with the same configuration hash: only the engine state can tell.
        RunSpec sgd = TrainingRunResumeTest.spec("int4-stochastic", "storage", 2, Probes.NONE, OptimizerKind.SGD);
        TrainingRunResumeTest.retag(ckpt, sgd.config());
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new TrainingRun(task, sgd, ckpt, QUIET, List.of()).run());
        assertEquals("checkpoint " + ckpt + ": state entry 'optim.optimizer' is 'Adam beta1=0.9 beta2=0.999 eps=1.0E-8 "
                + "weightDecay=0.0 L2', but this optimizer is 'Sgd momentum=0.0 dampening=0.0 weightDecay=0.0'; delete it "
                + "to rerun int4-stochastic seed 4 from the start", e.getMessage());
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** The file with another format version and a checksum that matches, as that version would have it. */
    private static byte[] asVersion(byte[] data, int version) throws Exception {
        byte[] out = data.clone();
        out[8] = (byte) (version >> 8);
        out[9] = (byte) version;
        int body = out.length - CheckpointFile.HASH_BYTES;
        byte[] sum = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out, body));
        System.arraycopy(sum, 0, out, body, sum.length);
        return out;
    }
}
