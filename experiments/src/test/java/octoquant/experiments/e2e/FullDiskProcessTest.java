package octoquant.experiments.e2e;

import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A disk that fills up in the middle of a run: the message names the file and the cause, says what is kept and
 * how to continue; nothing half-written is left; after space is freed, {@code --resume} ends with the numbers
 * of an uninterrupted run.
 *
 * <p>The full disk is a real 3 MB tmpfs where this process may mount one (as root, as CI runs); elsewhere the
 * operating system's file-size limit ({@code ulimit -f}, RLIMIT_FSIZE: every write past the Nth byte of a file
 * fails with "file too large") stands in for it. {@code OCTOQUANT_TEST_NO_MOUNT=1} forces the stand-in.
 */
class FullDiskProcessTest {

    private static List<String> args(Path out, String methods) {
        return new ArrayList<>(List.of("mnist", "--epochs", "3", "--seeds", "1", "--methods", methods,
                "--limit-train", "500", "--limit-test", "200", "--data", CliProcess.sharedData().toString(),
                "--out", out.toString()));
    }

    @Test
    void aFullDiskIsReportedAndTheRunResumesExactlyOnceSpaceIsFreed(@TempDir Path tmp) throws Exception {
        Path mount = tmp.resolve("disk");
        Files.createDirectories(mount);
        if (System.getenv("OCTOQUANT_TEST_NO_MOUNT") == null && run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs",
                mount.toString()) == 0) {
            try {
                onTmpfs(tmp, mount);
            } finally {
                run("umount", mount.toString());
            }
        } else {
            withFileSizeLimit(tmp);
        }
    }

    /**
     * MNIST's MLP: its first checkpoint (1.6 MB) fits the 3 MB disk, the second cannot (it is written beside the
     * first before replacing it).
     */
    private static void onTmpfs(Path tmp, Path mount) throws Exception {
        Path dir = mount.resolve("run");
        CliProcess.Result full = CliProcess.run(args(dir, "float").toArray(String[]::new));
        Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
        assertEquals(1, full.code(), full.out() + full.err());
        assertEquals("error: writing " + ckpt + ": no space left on device; kept: the last complete checkpoint of 1 "
                + "unfinished run (checkpoints/float-seed0.ckpt); free space, then continue with: java -jar "
                + "experiments.jar --resume " + dir + " --data " + CliProcess.sharedData(), full.firstErrorLine());
        assertFalse(full.err().contains("\tat "), full.err());
        Checkpoint kept = CheckpointFile.read(ckpt, null);
        assertEquals(1, kept.longValue("epoch"), "the checkpoint after epoch 1 is whole");
        assertEquals(List.of(), OutputLockProcessTest.temporaryFiles(dir), "no temporary file is left");
        assertFalse(Files.exists(dir.resolve("results.json")));

        assertEquals(0, run("mount", "-o", "remount,size=16m", mount.toString()), "space freed");
        resumeAndCompare(tmp, dir, "float", "float seed 0: resumed after epoch 1 from float-seed0.ckpt");
    }

    /**
     * Without a mount: every file may have 1.7 MB at most. The float run (checkpoint 1.6 MB) finishes; quant8's
     * first checkpoint (1.8 MB) fails at the limit.
     */
    private static void withFileSizeLimit(Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f 1700 && exec \"$@\"", "bash"));
        cmd.addAll(CliProcess.directCommand(args(dir, "float,quant8").toArray(String[]::new)));
        CliProcess.Result full = CliProcess.run(cmd, Map.of());
        Path ckpt = dir.resolve("checkpoints/quant8-seed0.ckpt");
        assertEquals(1, full.code(), full.out() + full.err());
        assertEquals("error: writing " + ckpt + ": file too large; kept: 1 finished run (runs/float-seed0.json); raise "
                + "the file size limit (ulimit -f), then continue with: java -jar experiments.jar --resume " + dir + " --data "
                + CliProcess.sharedData(), full.firstErrorLine());
        assertFalse(Files.exists(ckpt), "no half-written checkpoint under its final name");
        assertEquals(List.of(), OutputLockProcessTest.temporaryFiles(dir), "no temporary file is left");
        resumeAndCompare(tmp, dir, "float,quant8", "float seed 0: finished before the interruption, kept");
    }

    private static void resumeAndCompare(Path tmp, Path dir, String methods, String expectedLine) throws Exception {
        CliProcess.Result resumed = CliProcess.run("--resume", dir.toString(), "--data", CliProcess.sharedData().toString());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains(expectedLine), resumed.out());
        Path whole = tmp.resolve("whole");
        CliProcess.Result ref = CliProcess.run(args(whole, methods).toArray(String[]::new));
        assertEquals(0, ref.code(), ref.err());
        ExperimentsProcessTest.assertSameNumbers(CliProcess.results(whole), CliProcess.results(dir));
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }
}
