package octoquant.experiments.e2e;

import octoquant.experiments.checkpoint.CheckpointFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Every kind of bad input, through a real process: the exit code and the one-line message. */
class BadInputProcessTest {

    private static void assertUsage(CliProcess.Result r, String message) {
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + message, r.firstErrorLine());
        assertTrue(r.err().contains("usage: java -jar experiments.jar"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void badCommandLinesExitTwo() throws Exception {
        assertUsage(CliProcess.run("train"), "unknown experiment 'train' (expected one of: regression, mnist, "
                + "fashion-mnist, cifar10, gradients, audit, quantize, merge, list)");
        assertUsage(CliProcess.run("mnist", "--epoch", "3"), "unknown option '--epoch'");
        assertUsage(CliProcess.run("mnist", "--epochs", "three"), "option --epochs needs a whole number, got 'three'");
        assertUsage(CliProcess.run("mnist", "--batch-size", "0"), "option --batch-size must be at least 1, got 0");
        assertUsage(CliProcess.run("mnist", "--methods", "float,octal9z"), "unknown method 'octal9z'; methods: "
                + octoquant.engine.storage.QuantScheme.GRAMMAR);
        assertUsage(CliProcess.run(), "no experiment given");
    }

    @Test
    void missingDataExitsThreeNamingTheFolder(@TempDir Path empty) throws Exception {
        CliProcess.Result r = CliProcess.run(java.util.List.of(CliProcess.java(), "--add-modules", "jdk.incubator.vector",
                "-cp", CliProcess.classPath(), "octoquant.experiments.Main", "fashion-mnist", "--data", empty.toString(),
                "--out", empty.resolve("out").toString()), java.util.Map.of("OCTOQUANT_VERIFY", "structure"));
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.firstErrorLine().startsWith("data error: Fashion-MNIST not found under"), r.err());
        assertTrue(r.firstErrorLine().contains(empty.toString()), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void corruptAndForeignCheckpointsAreRefusedClearly(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        CliProcess.Result first = CliProcess.run("regression", "--epochs", "2", "--seeds", "1", "--methods", "float",
                "--out", dir.toString());
        assertEquals(0, first.code(), first.err());
        // Make it look interrupted: drop the finished run's result, then damage its checkpoint.
        Files.delete(dir.resolve("results.json"));
        Files.delete(dir.resolve("runs/float-seed0.json"));
        Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(ckpt, bytes);
        CliProcess.Result corrupt = CliProcess.run("regression", "--resume", dir.toString());
        assertEquals(1, corrupt.code(), corrupt.err());
        assertEquals("error: checkpoint " + ckpt + " is corrupt (checksum mismatch); delete it to restart that run "
                + "from scratch", corrupt.firstErrorLine());

        Files.writeString(ckpt, "PK\u0003\u0004 this is a zip file, not a checkpoint");
        CliProcess.Result foreign = CliProcess.run("regression", "--resume", dir.toString());
        assertEquals(1, foreign.code());
        assertEquals("error: " + ckpt + " is not an octoquant checkpoint (wrong magic bytes)", foreign.firstErrorLine());

        CliProcess.Result wrongExperiment = CliProcess.run("mnist", "--resume", dir.toString());
        assertEquals(1, wrongExperiment.code());
        assertEquals("error: --resume " + dir + " holds a 'regression' run, not 'mnist'", wrongExperiment.firstErrorLine());
        assertTrue(CheckpointFile.VERSION >= 1);
    }

    @Test
    void reusingAnOutputDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, CliProcess.run("regression", "--epochs", "1", "--seeds", "1", "--methods", "float", "--out",
                dir.toString()).code());
        CliProcess.Result again = CliProcess.run("regression", "--epochs", "1", "--seeds", "1", "--out", dir.toString());
        assertEquals(1, again.code());
        assertTrue(again.firstErrorLine().contains("already holds a run; continue it with --resume"), again.err());
    }

    @Test
    void mergeRefusesWhatIsNotAResultsFile(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("results.json"), "{\"hello\": 1}");
        CliProcess.Result r = CliProcess.run("merge", tmp.toString(), "--out", tmp.resolve("m").toString());
        assertEquals(3, r.code());
        assertEquals("data error: merge: " + tmp.resolve("results.json") + " is not an octoquant results file "
                + "(schema is missing)", r.firstErrorLine());
    }
}
