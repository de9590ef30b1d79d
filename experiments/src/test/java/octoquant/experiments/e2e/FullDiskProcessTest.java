package octoquant.experiments.e2e;

import octoquant.engine.nn.WeightsFile;
import octoquant.experiments.checkpoint.Checkpoint;
import octoquant.experiments.checkpoint.CheckpointFile;
import octoquant.experiments.io.Json;
import octoquant.experiments.result.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A disk that fills up in the middle of a run: the message names the file and the cause, says what is kept and
 * how to continue; nothing half-written is left under a final name and no temporary file stays; after space is
 * freed, {@code --resume} ends with the numbers of an uninterrupted run.
 *
 * <p>The full disk is a real tmpfs of a few megabytes where this process may mount one (as root, as CI runs);
 * elsewhere the operating system's file-size limit ({@code ulimit -f}, RLIMIT_FSIZE: every write past the Nth
 * byte of a file fails with "file too large") stands in for it. {@code OCTOQUANT_TEST_NO_MOUNT=1} forces the
 * stand-in.
 */
class FullDiskProcessTest {
    static final int SWEEP = 6;
    private static final Pattern FAILURE = Pattern.compile("error: writing (\\S+): (no space left on device|file too "
            + "large); (kept: .*|no run had finished or completed an epoch yet|nothing was written yet); (free space|"
            + "raise the file size limit \\(ulimit -f\\)), then (continue with: java -jar experiments.jar --resume \\S+|"
            + "run the same command again)");

    /** Where the run writes: a tmpfs mounted for the test, or a per-file size limit on the writing process. */
    private interface Disk extends AutoCloseable {
        /** The command that writes to {@link #folder()} under the limit. */
        List<String> limited(List<String> cmd);

        Path folder();

        /** Frees space: a larger tmpfs, or no limit. */
        void free() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A tmpfs of {@code kb} KiB, or null when this process cannot mount one. */
    private static Disk tmpfs(Path at, int kb) throws Exception {
        Files.createDirectories(at);
        if (System.getenv("OCTOQUANT_TEST_NO_MOUNT") != null
                || run("mount", "-t", "tmpfs", "-o", "size=" + kb + "k", "tmpfs", at.toString()) != 0) {
            return null;
        }
        return new Disk() {
            public List<String> limited(List<String> cmd) {
                return cmd;
            }

            public Path folder() {
                return at;
            }

            public void free() throws Exception {
                assertEquals(0, run("mount", "-o", "remount,size=16m", at.toString()), "space freed");
            }

            public void close() throws Exception {
                run("umount", at.toString());
            }
        };
    }

    /** Every file the process writes may have {@code kb} KiB at most. */
    private static Disk fileSizeLimit(Path at, int kb) throws IOException {
        Files.createDirectories(at);
        return new Disk() {
            public List<String> limited(List<String> cmd) {
                List<String> c = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + kb + " && exec \"$@\"", "bash"));
                c.addAll(cmd);
                return c;
            }

            public Path folder() {
                return at;
            }

            public void free() {}

            public void close() {}
        };
    }

    private static List<String> mnist(Path out, String methods) {
        return new ArrayList<>(List.of("mnist", "--epochs", "3", "--seeds", "1", "--methods", methods,
                "--limit-train", "500", "--limit-test", "200", "--data", CliProcess.sharedData().toString(),
                "--out", out.toString()));
    }

    /**
     * The case: MNIST's MLP on a 3 MB disk. Its first checkpoint (1.6 MB) fits, the second cannot (it is
     * written beside the first before replacing it). With the stand-in, files may have 1.7 MB: the float run
     * (checkpoint 1.6 MB) finishes and quant8's first checkpoint (1.8 MB) fails.
     */
    @Test
    void aFullDiskIsReportedAndTheRunResumesExactlyOnceSpaceIsFreed(@TempDir Path tmp) throws Exception {
        Disk disk = tmpfs(tmp.resolve("disk"), 3 * 1024);
        boolean real = disk != null;
        if (!real) disk = fileSizeLimit(tmp.resolve("disk"), 1700);
        try (Disk d = disk) {
            Path dir = d.folder().resolve("run");
            String methods = real ? "float" : "float,quant8";
            CliProcess.Result full = CliProcess.run(d.limited(CliProcess.directCommand(mnist(dir, methods)
                    .toArray(String[]::new))), Map.of());
            assertEquals(1, full.code(), full.out() + full.err());
            assertFalse(full.err().contains("\tat "), full.err());
            String resume = "continue with: java -jar experiments.jar --resume " + dir + " --data " + CliProcess.sharedData();
            if (real) {
                Path ckpt = dir.resolve("checkpoints/float-seed0.ckpt");
                assertEquals("error: writing " + ckpt + ": no space left on device; kept: the last complete checkpoint "
                        + "of 1 unfinished run (checkpoints/float-seed0.ckpt); free space, then " + resume,
                        full.firstErrorLine());
                Checkpoint kept = CheckpointFile.read(ckpt, null);
                assertEquals(1, kept.longValue("epoch"), "the checkpoint after epoch 1 is whole");
            } else {
                Path ckpt = dir.resolve("checkpoints/quant8-seed0.ckpt");
                assertEquals("error: writing " + ckpt + ": file too large; kept: 1 finished run (runs/float-seed0.json); "
                        + "raise the file size limit (ulimit -f), then " + resume, full.firstErrorLine());
                assertFalse(Files.exists(ckpt), "no half-written checkpoint under its final name");
            }
            assertEquals(List.of(), OutputLockProcessTest.temporaryFiles(dir), "no temporary file is left");
            assertAllWhole(dir);

            d.free();
            CliProcess.Result resumed = CliProcess.run("--resume", dir.toString(), "--data", CliProcess.sharedData().toString());
            assertEquals(0, resumed.code(), resumed.out() + resumed.err());
            assertTrue(resumed.out().contains(real ? "float seed 0: resumed after epoch 1 from float-seed0.ckpt"
                    : "float seed 0: finished before the interruption, kept"), resumed.out());
            ExperimentsProcessTest.assertSameNumbers(CliProcess.reference(mnist(tmp.resolve("whole"), methods)),
                    CliProcess.results(dir));
        }
    }

    /**
     * Disks of random sizes, so that the space runs out in a different writer each time (config.json, a
     * checkpoint, the weights, a run's result, results.json, curves.csv, report.html, a plot): each failure is
     * reported the same way, leaves only whole files, and resumes exactly.
     */
    @Test
    void everyWriterFailsCleanlyAndResumesExactly(@TempDir Path tmp) throws Exception {
        String[] regression = {"regression", "--epochs", "2", "--seeds", "1", "--methods", "float,quant8"};
        RunResults expected = CliProcess.reference(List.of(withOut(regression, tmp.resolve("whole"))));
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        Map<String, Integer> failedIn = new TreeMap<>();
        for (int trial = 0; trial < SWEEP; trial++) {
            Path at = tmp.resolve("disk" + trial);
            int tmpfsKb = 8 + 4 * rnd.nextInt(44), limitKb = 4 + rnd.nextInt(36); // 8..180 KiB; 4..39 KiB a file
            Disk disk = tmpfs(at, tmpfsKb);
            String size = disk != null ? tmpfsKb + " KiB disk" : limitKb + " KiB a file";
            if (disk == null) disk = fileSizeLimit(at, limitKb);
            try (Disk d = disk) {
                Path dir = d.folder().resolve("run");
                String where = "trial " + trial + " (" + size + ", seed " + seed + ")";
                CliProcess.Result r = CliProcess.run(d.limited(CliProcess.directCommand(withOut(regression, dir))),
                        Map.of());
                if (r.code() == 0) {
                    failedIn.merge("(nothing: it fit)", 1, Integer::sum);
                } else {
                    assertEquals(1, r.code(), where + ": " + r.out() + r.err());
                    Matcher m = FAILURE.matcher(r.firstErrorLine());
                    assertTrue(m.matches(), where + ": " + r.firstErrorLine());
                    Path file = Path.of(m.group(1));
                    assertTrue(file.startsWith(dir), where + ": names a file of the run: " + file);
                    failedIn.merge(dir.relativize(file).toString().replaceAll("seed\\d|\\d\\d-.*svg", "*"), 1, Integer::sum);
                    assertEquals(List.of(), OutputLockProcessTest.temporaryFiles(dir), where + ": no temporary file");
                    assertAllWhole(dir);
                    d.free();
                    boolean resumable = Files.exists(dir.resolve("config.json"));
                    assertEquals(resumable, m.group(5).startsWith("continue with"), where + ": " + m.group(5));
                    CliProcess.Result again = resumable ? CliProcess.run("--resume", dir.toString())
                            : CliProcess.run(withOut(regression, dir));
                    assertEquals(0, again.code(), where + ": " + again.out() + again.err());
                }
                ExperimentsProcessTest.assertSameNumbers(expected, CliProcess.results(dir));
            }
        }
        System.out.printf("[FullDiskProcessTest] %d disks (seed %d), where the space ran out: %s%n", SWEEP, seed, failedIn);
    }

    private static String[] withOut(String[] args, Path out) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    /** Every file under its final name is complete: each kind parses with its own reader. */
    static void assertAllWhole(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> files;
        try (var all = Files.walk(dir)) {
            files = all.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String what = f + " is whole";
            if (name.endsWith(".json")) {
                assertDoesNotThrow(() -> Json.parse(Files.readString(f)), what);
            } else if (name.endsWith(".ckpt")) {
                assertDoesNotThrow(() -> CheckpointFile.read(f, null), what);
            } else if (name.endsWith(".safetensors")) {
                assertDoesNotThrow(() -> WeightsFile.read(f), what);
            } else if (name.endsWith(".html")) {
                assertTrue(Files.readString(f).stripTrailing().endsWith("</html>"), what);
            } else if (name.endsWith(".svg")) {
                assertTrue(Files.readString(f).stripTrailing().endsWith("</svg>"), what);
            } else if (name.endsWith(".csv")) {
                String csv = Files.readString(f);
                assertTrue(csv.startsWith("experiment,method,") && csv.endsWith("\r\n"), what);
            } else {
                fail("unexpected file " + f);
            }
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }
}
