package octoquant.experiments.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Too little memory, through real processes: a heap too small for the data and a batch that cannot fit are
 * refused before anything is loaded or written, with the estimate; memory that runs out anyway (the check
 * switched off) is one line saying what to change, and leaves the last checkpoint as it was.
 */
class MemoryProcessTest {

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("mnist", "--epochs", "3", "--seeds", "1", "--methods", "float",
                "--limit-train", "500", "--limit-test", "200", "--data", CliProcess.sharedData().toString(),
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aHeapTooSmallForTheDataIsRefusedUpFrontAlsoThroughTheRelaunch(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("small");
        CliProcess.Result r = CliProcess.run(CliProcess.plainCommand(List.of("-Xmx32m"),
                args(dir).toArray(String[]::new)), Map.of());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(Pattern.matches("error: mnist \\(mlp\\) needs about \\d+ MB of heap \\(data \\d+ MB while loading, "
                + "[0-9.]+ MB kept as stored; model, gradients and optimizer [0-9.]+ MB; activations and scratch at batch "
                + "64 [0-9.]+ MB; JVM \\d+ MB\\), more than this JVM's heap of (3\\d) MB \\(-Xmx\\); give the JVM more: "
                + "java -Xmx\\d+[mg] -jar experiments.jar … \\(the relaunch passes JVM options on to its child JVM\\); "
                + "-Doctoquant.memoryCheck=false skips this check", r.firstErrorLine()), r.firstErrorLine());
        assertFalse(Files.exists(dir), "nothing was written");
        assertEquals("", r.out());
    }

    @Test
    void aBatchThatCannotFitIsRefusedUpFrontWithTheBatchThatWould(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("batch");
        CliProcess.Result r = CliProcess.run(CliProcess.directCommand(List.of("-Xmx256m"), "mnist", "--model", "cnn",
                "--batch-size", "60000", "--data", CliProcess.sharedData().toString(), "--out", dir.toString()), Map.of());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(Pattern.matches("error: mnist \\(cnn\\) needs about [0-9.]+ GB of heap \\(.*activations and scratch "
                + "at batch 60,000 [0-9.]+ GB; .*\\), more than this JVM's heap of 256 MB \\(-Xmx\\); use --batch-size "
                + "[0-9,]+ or smaller, or give the JVM more: java -Xmx\\d+g .*", r.firstErrorLine()), r.firstErrorLine());
        assertFalse(Files.exists(dir), "nothing was written");
    }

    @Test
    void runningOutOfHeapAnywayIsOneLineAndKeepsTheCheckpoint(@TempDir Path tmp) throws Exception {
        // A run stopped (SIGTERM) after its first checkpoint.
        Path dir = tmp.resolve("run");
        Process p = CliProcess.start(CliProcess.directCommand(args(dir).toArray(String[]::new)), tmp.resolve("log").toFile());
        Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("log")));
        byte[] before = Files.readAllBytes(ckpt);

        // Resumed with far too little heap and the check off: the data do not fit.
        CliProcess.Result oom = CliProcess.run(CliProcess.directCommand(List.of("-Xmx40m",
                "-Doctoquant.memoryCheck=false"), "--resume", dir.toString(), "--data",
                CliProcess.sharedData().toString()), Map.of());
        assertEquals(1, oom.code(), oom.out() + oom.err());
        // The heap a JVM reports is -Xmx less what its collector keeps aside (G1: nothing; Serial: a survivor space).
        assertTrue(Pattern.matches(Pattern.quote("error: out of memory: the Java heap (") + "(40|3\\d) MB"
                + Pattern.quote(", -Xmx) ran out; kept: the last complete checkpoint of 1 unfinished run "
                + "(checkpoints/float-seed0.ckpt); give the JVM more heap (e.g. java -Xmx256m -jar experiments.jar …; "
                + "the relaunch passes JVM options on to its child JVM) or start again with a smaller --batch-size, "
                + "then continue with: java -Xmx256m -jar experiments.jar --resume " + dir + " --data "
                + CliProcess.sharedData()), oom.firstErrorLine()), oom.firstErrorLine());
        assertFalse(oom.err().contains("\tat ") || oom.err().contains("internal error"), oom.err());
        assertArrayEquals(before, Files.readAllBytes(ckpt), "the checkpoint is untouched");

        // With enough heap the run ends as one that was never interrupted.
        CliProcess.Result resumed = CliProcess.run("--resume", dir.toString(), "--data", CliProcess.sharedData().toString());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        ExperimentsProcessTest.assertSameNumbers(CliProcess.reference(args(tmp.resolve("whole"))), CliProcess.results(dir));
    }
}
